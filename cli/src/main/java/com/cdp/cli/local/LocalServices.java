package com.cdp.cli.local;

import java.util.ArrayList;
import java.util.List;

/** The areas the local platform runs. Each area adds one line here. */
final class LocalServices {
  private LocalServices() {}

  static List<LocalService> all() {
    List<LocalService> services = new ArrayList<>();
    // one line per area, e.g. services.add(new com.cdp.cli.local.ingestion.IngestionLocal());
    services.add(new com.cdp.cli.local.ingestion.IngestionLocal());
    services.add(new com.cdp.cli.local.realtime.RealtimeLocal());
    services.add(new com.cdp.cli.local.links.LinksLocal());
    services.add(new com.cdp.cli.local.connectors.ConnectorsLocal());
    services.add(new com.cdp.cli.local.transactions.TransactionsLocal());
    services.add(new com.cdp.cli.local.groups.GroupAssignmentLocal());
    return services;
  }
}
