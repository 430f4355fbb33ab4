package com.cdp.ingestion.loader;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import java.util.Objects;

/** The loader's configuration, read once from the environment. */
record LoaderConfig(
    String environment,
    String warehouseTable,
    String ingestionTable,
    String eventBusName,
    int concurrency) {
  LoaderConfig {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(warehouseTable, "warehouseTable");
    Objects.requireNonNull(ingestionTable, "ingestionTable");
    Objects.requireNonNull(eventBusName, "eventBusName");
  }

  static LoaderConfig from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    return new LoaderConfig(
        environment,
        env.optional("TABLE_WAREHOUSE", Tables.WAREHOUSE.physicalName(environment)),
        env.optional("TABLE_INGESTION", Tables.INGESTION.physicalName(environment)),
        env.optional("EVENT_BUS_NAME", "default"),
        env.integer("LOADER_CONCURRENCY", 8, 1, 64));
  }
}
