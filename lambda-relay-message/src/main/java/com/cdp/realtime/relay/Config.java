package com.cdp.realtime.relay;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.MemberStreams;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The function's configuration, read once from its environment: {@code CDP_ENV}, {@code
 * TABLE_REALTIME} (default: the environment's physical name), {@code REALTIME_MANAGEMENT_ENDPOINT}
 * (the WebSocket stage's callback URL, {@code
 * https://{api}.execute-api.{region}.amazonaws.com/{stage}}), {@code RELAY_CONCURRENCY} (posts in
 * flight, default 16), {@code RELAY_CLAIM_LEASE} (ISO-8601, default the function timeout of one
 * minute), {@code REALTIME_REPLAY_WINDOW} (how long events are kept for replay, ISO-8601, default
 * 24 hours, at most 7 days) and {@code TABLE_WAREHOUSE} (where the accounts' owners are recorded).
 */
record Config(
    String environment,
    String realtimeTable,
    URI managementEndpoint,
    int concurrency,
    Duration claimLease,
    Duration replayWindow,
    String warehouseTable) {
  public static final int DEFAULT_CONCURRENCY = 16;
  public static final Duration MAX_REPLAY_WINDOW = Duration.ofDays(7);

  public Config {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(realtimeTable, "realtimeTable");
    Objects.requireNonNull(managementEndpoint, "managementEndpoint");
    Objects.requireNonNull(claimLease, "claimLease");
    Objects.requireNonNull(replayWindow, "replayWindow");
    Objects.requireNonNull(warehouseTable, "warehouseTable");
    if (replayWindow.isNegative()
        || replayWindow.isZero()
        || replayWindow.compareTo(MAX_REPLAY_WINDOW) > 0) {
      throw new IllegalStateException(
          "configuration: REALTIME_REPLAY_WINDOW must be positive and at most 7 days");
    }
    if (concurrency < 1) {
      throw new IllegalStateException("configuration: RELAY_CONCURRENCY must be positive");
    }
  }

  public static Config from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    return new Config(
        environment,
        env.optional("TABLE_REALTIME", Tables.REALTIME.physicalName(environment)),
        URI.create(env.required("REALTIME_MANAGEMENT_ENDPOINT")),
        env.integer("RELAY_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 256),
        env.duration("RELAY_CLAIM_LEASE", Duration.ofMinutes(1)),
        env.duration("REALTIME_REPLAY_WINDOW", MemberStreams.DEFAULT_WINDOW),
        env.optional("TABLE_WAREHOUSE", Tables.WAREHOUSE.physicalName(environment)));
  }
}
