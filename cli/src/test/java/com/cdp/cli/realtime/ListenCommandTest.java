package com.cdp.cli.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.cli.CdpCommand;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * {@code ./cdp listen} against a local platform whose WebSocket API closes idle connections after 2
 * seconds and every connection after 6 (API Gateway: 10 minutes and 2 hours), so pinging and
 * reconnecting can be seen in a few seconds.
 */
class ListenCommandTest {
  private static final Duration IDLE = Duration.ofSeconds(2);
  private static final Duration MAX_DURATION = Duration.ofSeconds(6);

  @TempDir static Path data;
  private static LocalPlatform platform;
  private static RealtimeLocal realtime;
  private static SessionService sessions;
  private static EventBridgeClient events;

  @BeforeAll
  static void start() {
    realtime = new RealtimeLocal(RealtimeLocal.Options.defaults().withLimits(IDLE, MAX_DURATION));
    platform = LocalPlatform.start(LocalOptions.forTests(data, RepoRoot.find()), List.of(realtime));
    sessions =
        new SessionService(
            platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC());
    events = AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget());
    WarmUp.realtime(platform, realtime.webSocketUrl());
  }

  @AfterAll
  static void stop() {
    if (events != null) {
      events.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  /** A running {@code cdp listen}: its exit code, stdout and stderr. */
  private record Run(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
    List<String> lines() {
      return out.toString().lines().toList();
    }
  }

  private static Run listen(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = CdpCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(args));
    return new Run(exit, out, err);
  }

  private static void await(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static int occurrences(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  /** Account events reach the account's owners: the member owns {@code account}. */
  private static void own(OrganizationId org, String member, String account) {
    platform
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    java.util.Map.of(
                        platform.tableName(com.cdp.model.table.Tables.WAREHOUSE),
                        com.cdp.access.AccountOwnership.writes(
                            org, MemberId.of(member), com.cdp.model.id.AccountId.of(account)))));
  }

  private static void publish(OrganizationId org, String member, String eventId) {
    String detail =
        Json.write(
            java.util.Map.of(
                "organizationId",
                org.value(),
                "eventId",
                eventId,
                "memberId",
                member,
                "accountId",
                "acct-1",
                "transactionIds",
                List.of("t-1"),
                "count",
                1));
    events.putEvents(
        r ->
            r.entries(
                e ->
                    e.source("cdp.platform")
                        .detailType("account_transactionadded")
                        .detail(detail)));
  }

  @Test
  void listen_printsEventsAsJsonLines_pingsWhileIdle_andReconnectsAndResubscribesWhenClosed()
      throws Exception {
    OrganizationId org = TestIds.org();
    own(org, "m-1", "acct-1");
    String token = sessions.create(org, MemberId.of("m-1"), Duration.ofHours(1)).token();
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    Instant started = Instant.now();

    Run run =
        listen(
            "listen",
            "--token",
            token,
            "--topic",
            "account_transactionadded",
            "--endpoint",
            realtime.webSocketUrl().toString(),
            "--count",
            "2",
            "--ping-interval",
            "PT0.5S");
    await(
        "subscribed", () -> run.err().toString().contains("subscribed to"), Duration.ofSeconds(15));
    publish(org, "m-1", first);
    await("the first event", () -> run.lines().size() == 1, Duration.ofSeconds(15));
    // The gateway ends the connection after 6 s; listen reconnects and subscribes again.
    await(
        "a reconnect",
        () -> occurrences(run.err().toString(), "subscribed to") == 2,
        Duration.ofSeconds(20));
    publish(org, "m-1", second);

    assertThat(run.exit().get(20, TimeUnit.SECONDS)).isZero();
    List<JsonNode> printed = run.lines().stream().map(Json::tree).toList();
    assertThat(printed).extracting(f -> f.path("eventId").asText()).containsExactly(first, second);
    assertThat(printed).allSatisfy(f -> assertThat(f.path("type").asText()).isEqualTo("event"));
    String err = run.err().toString();
    assertThat(err).contains("reconnected");
    // Pings kept the connection open past the 2 s idle timeout until the 6 s limit closed it.
    assertThat(err).contains("connection closed (1001 Going away)").doesNotContain("Idle");
    assertThat(Duration.between(started, Instant.now())).isGreaterThan(MAX_DURATION);
    assertThat(err + run.out()).doesNotContain(token);
  }

  @Test
  void listen_whenTheOldestMissedEventHasExpired_writesExactlyOneContinuityLostLineToStderr()
      throws Exception {
    OrganizationId org = TestIds.org();
    MemberId member = MemberId.of("m-lost");
    own(org, member.value(), "acct-1");
    String token = sessions.create(org, member, Duration.ofHours(1)).token();
    List<String> ids =
        List.of("e-1", "e-2", "e-3").stream().map(e -> e + UUID.randomUUID()).toList();
    ids.forEach(id -> publish(org, member.value(), id));
    var streams =
        new com.cdp.realtime.store.MemberStreams(
            platform.dynamoDb(),
            platform.tableName(Tables.REALTIME),
            Clock.systemUTC(),
            Duration.ofHours(24));
    await("three kept events", () -> streams.last(org, member) == 3, Duration.ofSeconds(15));
    // The first one leaves the replay window (dynalite has no TTL: its expiry is set in the past,
    // which is what the replay reads).
    platform
        .dynamoDb()
        .updateItem(
            r ->
                r.tableName(platform.tableName(Tables.REALTIME))
                    .key(
                        java.util.Map.of(
                            Tables.PK,
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                com.cdp.model.realtime.RealtimeKeys.stream(org, member)),
                            Tables.SK,
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                com.cdp.model.realtime.RealtimeKeys.seq(1))))
                    .updateExpression("SET #ttl = :past")
                    .expressionAttributeNames(java.util.Map.of("#ttl", Tables.TTL))
                    .expressionAttributeValues(
                        java.util.Map.of(
                            ":past",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(
                                Long.toString(Instant.now().minusSeconds(60).getEpochSecond())))));

    Run run =
        listen(
            "listen",
            "--token",
            token,
            "--topic",
            "account_transactionadded",
            "--endpoint",
            realtime.webSocketUrl().toString(),
            "--since",
            "0",
            "--count",
            "2",
            "--ping-interval",
            "PT0.5S");

    assertThat(run.exit().get(20, TimeUnit.SECONDS)).isZero();
    assertThat(run.lines().stream().map(Json::tree).map(f -> f.path("seq").asLong()))
        .containsExactly(2L, 3L);
    List<String> lost = run.err().toString().lines().filter(l -> l.contains("continuity")).toList();
    assertThat(lost)
        .containsExactly(
            "cdp listen: continuity lost: the events after seq 0 before seq 2 are no longer kept;"
                + " refetch the state");
  }

  @Test
  void gateway_closesAConnectionThatStaysIdleLongerThanTheIdleTimeout() throws Exception {
    String token = sessions.create(TestIds.org(), MemberId.of("m-1"), Duration.ofHours(1)).token();
    try (WsTestClient silent = WsTestClient.connect(realtime.webSocketUrl(), token)) {
      assertThat(silent.awaitClose(Duration.ofSeconds(10))).isEqualTo(1001);
    }
  }

  @Test
  void listen_withAnExpiredToken_failsWithOneLineAndNoToken() throws Exception {
    OrganizationId org = TestIds.org();
    SessionService past =
        new SessionService(
            platform.dynamoDb(),
            platform.tableName(Tables.SESSIONS),
            Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
    String expired = past.create(org, MemberId.of("m-1"), Duration.ofMinutes(5)).token();

    Run run =
        listen(
            "listen",
            "--token",
            expired,
            "--topic",
            "account_transactionadded",
            "--endpoint",
            realtime.webSocketUrl().toString());

    assertThat(run.exit().get(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(run.err().toString().strip())
        .isEqualTo(
            "cdp: connection refused (HTTP 401): the session token is missing, unknown or expired");
    assertThat(run.out().toString()).isEmpty();
  }

  @Test
  void listen_withAnUnknownTopic_failsBeforeConnecting() throws Exception {
    Run run =
        listen(
            "listen",
            "--token",
            "x".repeat(43),
            "--topic",
            "account_everything",
            "--endpoint",
            realtime.webSocketUrl().toString());

    assertThat(run.exit().get(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(run.err().toString()).startsWith("cdp: unknown topic ['account_everything']");
  }
}
