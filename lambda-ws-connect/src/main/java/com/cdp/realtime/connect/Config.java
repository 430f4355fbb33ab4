package com.cdp.realtime.connect;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The function's configuration, read once from its environment: {@code CDP_ENV}, the table names
 * {@code TABLE_REALTIME} and {@code TABLE_SESSIONS} (default: the environment's physical names),
 * {@code MAX_CONNECTIONS_PER_SESSION} (1-100, default 5) and {@code REALTIME_MANAGEMENT_ENDPOINT}
 * (the stage's callback URL, to close the oldest connection of a session over the limit).
 */
record Config(
    String environment,
    String realtimeTable,
    String sessionsTable,
    int maxConnectionsPerSession,
    Optional<URI> managementEndpoint) {
  public static final int DEFAULT_MAX_CONNECTIONS_PER_SESSION = 5;

  public Config {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(realtimeTable, "realtimeTable");
    Objects.requireNonNull(sessionsTable, "sessionsTable");
    Objects.requireNonNull(managementEndpoint, "managementEndpoint");
  }

  public static Config from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    String endpoint = env.optional("REALTIME_MANAGEMENT_ENDPOINT", "");
    return new Config(
        environment,
        env.optional("TABLE_REALTIME", Tables.REALTIME.physicalName(environment)),
        env.optional("TABLE_SESSIONS", Tables.SESSIONS.physicalName(environment)),
        env.integer("MAX_CONNECTIONS_PER_SESSION", DEFAULT_MAX_CONNECTIONS_PER_SESSION, 1, 100),
        endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint)));
  }
}
