package com.cdp.ingestion.platform;

import com.cdp.model.config.EnvReader;
import com.cdp.model.connector.ConnectorSources;
import com.cdp.model.connector.HubApiKey;
import com.cdp.model.table.Tables;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** Configuration of the platform-announced transactions function, read once. */
record PlatformTxnConfig(
    String environment,
    String warehouseTable,
    String ingestionTable,
    String eventBusName,
    URI hubBaseUrl,
    String coreConnector,
    String coreVersion,
    Duration hubTimeout,
    int concurrency,
    String hubApiKeySecret,
    ConnectorSources connectorSources,
    int accountConcurrency) {
  PlatformTxnConfig {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(hubBaseUrl, "hubBaseUrl");
    Objects.requireNonNull(connectorSources, "connectorSources");
    if (hubApiKeySecret == null || hubApiKeySecret.isBlank()) {
      throw new IllegalStateException(
          "configuration: environment variable "
              + HubApiKey.SECRET_ARN_ENV
              + " is not set (every Connector Hub call must carry the hub key)");
    }
  }

  static PlatformTxnConfig from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    return new PlatformTxnConfig(
        environment,
        env.optional("TABLE_WAREHOUSE", Tables.WAREHOUSE.physicalName(environment)),
        env.optional("TABLE_INGESTION", Tables.INGESTION.physicalName(environment)),
        env.optional("EVENT_BUS_NAME", "default"),
        URI.create(env.required("CONNECTOR_HUB_URL")),
        env.optional("CORE_CONNECTOR", CoreTransactionsClient.DEFAULT_CONNECTOR),
        env.optional("CORE_CONNECTOR_VERSION", CoreTransactionsClient.DEFAULT_VERSION),
        env.duration("HUB_TIMEOUT", Duration.ofSeconds(10)),
        env.integer("LOADER_CONCURRENCY", 8, 1, 64),
        env.optional(HubApiKey.SECRET_ARN_ENV, null),
        ConnectorSources.parse(env.optional(ConnectorSources.ENV_VAR, "")),
        env.integer("ANNOUNCED_ACCOUNTS_CONCURRENCY", 16, 1, 64));
  }
}
