package com.cdp.cli.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.AccountOwnership;
import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.RealtimeKeys;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Issue 21's finding: account events relayed while dynalite restarted did not reach their
 * listeners, because the local platform retried a failed asynchronous invocation after 1 s and 2 s,
 * which a restart outlasts; Lambda waits about 1 and 2 minutes. With the platform's default retry
 * delays (the property the cli suite sets is cleared here), every event published across a 10-s
 * outage is kept in the member's stream and reaches the member's open connection, once each, in seq
 * order. With 1 s and 2 s this test fails: the events are kept by the retries, but the open
 * connection gets only those relayed before the outage (the attempt that failed mid-way still holds
 * the member's stream for its one-minute lease, so the quick retries keep the events without
 * posting them).
 */
class RelayDuringDynamoDbRestartTest {
  private static final int EVENTS = 60;

  @TempDir static Path data;
  private static String suiteRetryDelays;
  private static LocalPlatform platform;
  private static RealtimeLocal realtime;

  @BeforeAll
  static void start() {
    suiteRetryDelays = System.clearProperty(LocalPlatform.RETRY_DELAYS_PROPERTY);
    realtime = new RealtimeLocal();
    platform = LocalPlatform.start(LocalOptions.forTests(data, RepoRoot.find()), List.of(realtime));
    WarmUp.realtime(platform, realtime.webSocketUrl());
  }

  @AfterAll
  static void stop() {
    try {
      if (platform != null) {
        platform.close();
      }
    } finally {
      if (suiteRetryDelays != null) {
        System.setProperty(LocalPlatform.RETRY_DELAYS_PROPERTY, suiteRetryDelays);
      }
    }
  }

  @Test
  void eventsRelayedWhileDynamoDbRestarts_areRetriedAfterItIsBack_noneDeadLettered()
      throws Exception {
    OrganizationId org = TestIds.org();
    MemberId member = MemberId.of("m-1");
    platform
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    Map.of(
                        platform.tableName(Tables.WAREHOUSE),
                        AccountOwnership.writes(org, member, AccountId.of("acct-1")))));
    String token =
        new SessionService(
                platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC())
            .create(org, member, Duration.ofHours(1))
            .token();
    List<String> published = new ArrayList<>();
    try (WsTestClient client = WsTestClient.connect(realtime.webSocketUrl(), token);
        EventBridgeClient events =
            AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget())) {
      client.send("{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\"]}");
      assertThat(client.next(Duration.ofSeconds(30)).path("type").asText()).isEqualTo("subscribed");

      // One event every 100 ms; DynamoDB goes down after a third of them, for 10 s plus its start
      // (longer than the SDK's retries and than 1 s + 2 s between attempts).
      CompletableFuture<Void> restart =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Thread.sleep(EVENTS / 3 * 100L);
                  platform.restartDynamoDb(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      for (int i = 0; i < EVENTS; i++) {
        String eventId = "e-" + i;
        String detail =
            Json.write(
                Map.of(
                    "organizationId",
                    org.value(),
                    "eventId",
                    eventId,
                    "memberId",
                    member.value(),
                    "accountId",
                    "acct-1",
                    "transactionIds",
                    List.of("t-" + i),
                    "count",
                    1));
        // PutEvents is served by the gateway's bus, which does not need DynamoDB.
        assertThat(
                events
                    .putEvents(
                        r ->
                            r.entries(
                                e ->
                                    e.source("cdp.platform")
                                        .detailType("account_transactionadded")
                                        .detail(detail)))
                    .failedEntryCount())
            .isZero();
        published.add(eventId);
        Thread.sleep(100);
      }
      restart.join();

      // Lambda's retries come after about 1 and 2 minutes.
      assertThat(platform.awaitIdle(Duration.ofMinutes(6)))
          .as("every invocation and retry finished")
          .isTrue();
      Thread.sleep(500); // a duplicate would arrive now

      assertThat(deadLettered(published)).as("dead-lettered events").isEmpty();
      assertThat(keptEventIds(org, member))
          .as("events kept in the member's stream")
          .containsExactlyInAnyOrderElementsOf(published);
      List<JsonNode> frames =
          client.drain().stream().filter(f -> f.has("eventId") && f.has("seq")).toList();
      assertThat(frames.stream().map(f -> f.path("eventId").asText()).toList())
          .as("events delivered to the open connection")
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(published);
      assertThat(frames.stream().map(f -> f.path("seq").asLong()).toList()).isSorted();
    }
  }

  /** The on-failure and dead-letter records (.cdp-local/destinations) naming a published event. */
  private static List<String> deadLettered(List<String> eventIds) throws Exception {
    Path dir = data.resolve("destinations");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          for (String id : eventIds) {
            if (line.contains("\"eventId\":\"" + id + "\"")) {
              found.add(f.getFileName() + ": " + id);
            }
          }
        }
      }
    }
    return found;
  }

  private static List<String> keptEventIds(OrganizationId org, MemberId member) {
    return platform
        .dynamoDb()
        .queryPaginator(
            r ->
                r.tableName(platform.tableName(Tables.REALTIME))
                    .keyConditionExpression("pk = :pk and begins_with(sk, :seq)")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk",
                            AttributeValue.fromS(RealtimeKeys.stream(org, member)),
                            ":seq",
                            AttributeValue.fromS("SEQ#"))))
        .items()
        .stream()
        .map(i -> i.get("eventId") == null ? "?" + i.get("sk").s() : i.get("eventId").s())
        .toList();
  }
}
