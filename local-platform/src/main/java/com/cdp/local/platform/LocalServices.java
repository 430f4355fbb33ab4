package com.cdp.local.platform;

import java.util.ArrayList;
import java.util.List;

/** The areas the local platform runs. Each area adds one line here. */
final class LocalServices {
  private LocalServices() {}

  static List<LocalService> all() {
    List<LocalService> services = new ArrayList<>();
    // one line per area, e.g. services.add(new com.cdp.local.platform.ingestion.IngestionLocal());
    services.add(new com.cdp.local.platform.ingestion.IngestionLocal());
    services.add(new com.cdp.local.platform.realtime.RealtimeLocal());
    services.add(new com.cdp.local.platform.links.LinksLocal());
    services.add(new com.cdp.local.platform.connectors.ConnectorsLocal());
    services.add(new com.cdp.local.platform.transactions.TransactionsLocal());
    services.add(new com.cdp.local.platform.groups.GroupAssignmentLocal());
    return services;
  }
}
