package com.cdp.transactions;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import java.time.Duration;
import java.util.Objects;

/**
 * The function's configuration, read once from its environment: {@code CDP_ENV}, the table names
 * ({@code TABLE_WAREHOUSE}, {@code TABLE_SESSIONS}; default: the environment's physical names), the
 * Secrets Manager secret holding the cursor-signing key ({@code CURSOR_SECRET_ARN}) and how long a
 * cursor stays valid ({@code CURSOR_TTL}, ISO-8601 duration, default one hour).
 */
record Config(
    String environment,
    String warehouseTable,
    String sessionsTable,
    String cursorSecretArn,
    Duration cursorTtl) {
  public static final Duration MAX_CURSOR_TTL = Duration.ofDays(7);

  public Config {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(warehouseTable, "warehouseTable");
    Objects.requireNonNull(sessionsTable, "sessionsTable");
    Objects.requireNonNull(cursorSecretArn, "cursorSecretArn");
    Objects.requireNonNull(cursorTtl, "cursorTtl");
    if (cursorTtl.isNegative() || cursorTtl.isZero() || cursorTtl.compareTo(MAX_CURSOR_TTL) > 0) {
      throw new IllegalStateException(
          "configuration: CURSOR_TTL must be positive and at most " + MAX_CURSOR_TTL);
    }
  }

  public static Config from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    return new Config(
        environment,
        env.optional("TABLE_WAREHOUSE", Tables.WAREHOUSE.physicalName(environment)),
        env.optional("TABLE_SESSIONS", Tables.SESSIONS.physicalName(environment)),
        env.required("CURSOR_SECRET_ARN"),
        env.duration("CURSOR_TTL", CursorCodec.DEFAULT_TTL));
  }
}
