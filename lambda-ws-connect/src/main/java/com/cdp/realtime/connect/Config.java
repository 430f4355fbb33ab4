package com.cdp.realtime.connect;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import java.util.Objects;

/**
 * The function's configuration, read once from its environment: {@code CDP_ENV} and the table names
 * {@code TABLE_REALTIME} and {@code TABLE_SESSIONS} (default: the environment's physical names).
 */
public record Config(String environment, String realtimeTable, String sessionsTable) {
  public Config {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(realtimeTable, "realtimeTable");
    Objects.requireNonNull(sessionsTable, "sessionsTable");
  }

  public static Config from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    return new Config(
        environment,
        env.optional("TABLE_REALTIME", Tables.REALTIME.physicalName(environment)),
        env.optional("TABLE_SESSIONS", Tables.SESSIONS.physicalName(environment)));
  }
}
