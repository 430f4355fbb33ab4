package com.cdp.realtime.subscribe;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.MemberStreams;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The function's configuration, read once from its environment: {@code CDP_ENV}, the table names
 * {@code TABLE_REALTIME} and {@code TABLE_SESSIONS} (default: the environment's physical names),
 * {@code REALTIME_MANAGEMENT_ENDPOINT} (the stage's callback URL, to post replays) and {@code
 * REALTIME_REPLAY_WINDOW} (ISO-8601, default 24 hours) and {@code CURSOR_SECRET_ARN} (the Secrets
 * Manager secret {@code GET /realtime/events} cursors are signed with).
 */
record Config(
    String environment,
    String realtimeTable,
    String sessionsTable,
    Optional<URI> managementEndpoint,
    Duration replayWindow,
    String cursorSecretArn) {
  public Config {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(realtimeTable, "realtimeTable");
    Objects.requireNonNull(sessionsTable, "sessionsTable");
    Objects.requireNonNull(managementEndpoint, "managementEndpoint");
    Objects.requireNonNull(replayWindow, "replayWindow");
    Objects.requireNonNull(cursorSecretArn, "cursorSecretArn");
  }

  public static Config from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    String endpoint = env.optional("REALTIME_MANAGEMENT_ENDPOINT", "");
    return new Config(
        environment,
        env.optional("TABLE_REALTIME", Tables.REALTIME.physicalName(environment)),
        env.optional("TABLE_SESSIONS", Tables.SESSIONS.physicalName(environment)),
        endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint)),
        env.duration("REALTIME_REPLAY_WINDOW", MemberStreams.DEFAULT_WINDOW),
        env.required("CURSOR_SECRET_ARN"));
  }
}
