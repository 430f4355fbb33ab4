package com.cdp.cli.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.AccountOwnership;
import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.model.event.Topic;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * REST catch-up on the local platform, through its public interfaces only: events published with
 * PutEvents, then {@code GET /realtime/events} with a session token, paged by {@code nextCursor}.
 */
class CatchUpEndToEndTest {
  @TempDir static Path data;
  private static LocalPlatform platform;
  private static SessionService sessions;
  private static EventBridgeClient events;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    platform =
        LocalPlatform.start(
            LocalOptions.forTests(data, RepoRoot.find()), List.of(new RealtimeLocal()));
    sessions =
        new SessionService(
            platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC());
    events = AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget());
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

  /** A session of a member who owns the account {@code acct-MEMBER} the events are about. */
  private static String token(OrganizationId org, String member) {
    platform
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    Map.of(
                        platform.tableName(Tables.WAREHOUSE),
                        AccountOwnership.writes(
                            org, MemberId.of(member), AccountId.of("acct-" + member)))));
    return sessions.create(org, MemberId.of(member), Duration.ofHours(1)).token();
  }

  private record Published(OrganizationId org, String member, Topic topic, String eventId) {}

  /** Publishes the events with PutEvents (10 per call) and waits until the relay is done. */
  private static void publish(List<Published> all) throws InterruptedException {
    for (int from = 0; from < all.size(); from += 10) {
      List<PutEventsRequestEntry> entries = new ArrayList<>();
      for (Published p : all.subList(from, Math.min(all.size(), from + 10))) {
        ObjectNode detail = Json.object();
        detail.put("organizationId", p.org().value());
        detail.put("eventId", p.eventId());
        detail.put("memberId", p.member());
        detail.put("accountId", "acct-" + p.member());
        detail.put("transactionId", "t-" + p.eventId());
        detail.put("updatedAt", Instant.now().toString());
        detail.put("balance", new java.math.BigDecimal("10.00"));
        entries.add(
            PutEventsRequestEntry.builder()
                .source("cdp.platform")
                .detailType(p.topic().detailType())
                .detail(Json.write(detail))
                .build());
      }
      PutEventsResponse response = events.putEvents(r -> r.entries(entries));
      assertThat(response.failedEntryCount()).isZero();
    }
    assertThat(platform.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }

  private record Rest(int status, JsonNode body) {}

  private static Rest get(String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + pathAndQuery)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Rest(response.statusCode(), Json.tree(response.body()));
  }

  private static String put(String path, String token) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Follows nextCursor from the first page; checks every page but the last is full. */
  private static List<JsonNode> catchUp(String token, String filters, int limit) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    Rest page = get("/realtime/events?since=0&limit=" + limit + filters, token);
    while (true) {
      assertThat(page.status()).as("%s", page.body()).isEqualTo(200);
      page.body().path("events").forEach(frames::add);
      JsonNode next = page.body().path("nextCursor");
      if (next.isNull()) {
        assertThat(page.body().path("events").size()).isLessThanOrEqualTo(limit);
        return frames;
      }
      assertThat(page.body().path("events").size()).isEqualTo(limit);
      page =
          get(
              "/realtime/events?limit="
                  + limit
                  + filters
                  + "&cursor="
                  + URLEncoder.encode(next.asText(), StandardCharsets.UTF_8),
              token);
    }
  }

  @Test
  void pagingThroughTheCatchUp_givesExactlyTheMembersEventsOfTheTopics_inSeqOrder()
      throws Exception {
    OrganizationId org = TestIds.org();
    OrganizationId otherOrg = TestIds.org();
    String a = token(org, "member-a");
    String b = token(org, "member-b");
    String otherA = token(otherOrg, "member-a"); // the same member id in another organization
    List<Topic> topics =
        List.of(
            Topic.ACCOUNT_BALANCE_UPDATED,
            Topic.ACCOUNT_TRANSACTION_ADDED,
            Topic.ACCOUNT_NICKNAME_UPDATED);
    List<Published> all = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      all.add(new Published(org, "member-a", topics.get(i % 3), "a-" + UUID.randomUUID()));
      if (i % 2 == 0) {
        all.add(new Published(org, "member-b", topics.get(i % 3), "b-" + UUID.randomUUID()));
        all.add(new Published(otherOrg, "member-a", topics.get(i % 3), "o-" + UUID.randomUUID()));
      }
    }
    publish(all);
    List<String> expected =
        all.stream()
            .filter(p -> p.org().equals(org) && p.member().equals("member-a"))
            .filter(p -> p.topic() != Topic.ACCOUNT_NICKNAME_UPDATED)
            .map(Published::eventId)
            .toList();

    List<JsonNode> frames =
        catchUp(a, "&topic=account_balanceupdated&topic=account_transactionadded", 3);

    assertThat(frames)
        .extracting(f -> f.path("eventId").asText())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(frames).extracting(f -> f.path("seq").asLong()).isSorted().doesNotHaveDuplicates();
    assertThat(frames)
        .allSatisfy(
            f -> {
              assertThat(f.path("type").asText()).isEqualTo("event");
              assertThat(f.path("transactionId").asText())
                  .isEqualTo("t-" + f.path("eventId").asText());
              assertThat(f.path("data").path("memberId").asText()).isEqualTo("member-a");
              assertThat(f.path("data").path("organizationId").asText()).isEqualTo(org.value());
              assertThat(Json.write(f.path("data"))).contains("10.00");
            });

    // Without topic parameters: the session's subscribed topics.
    put("/realtime/subscriptions/account_nicknameupdated", a);
    assertThat(catchUp(a, "", 4))
        .extracting(f -> f.path("eventId").asText())
        .containsExactlyInAnyOrderElementsOf(
            all.stream()
                .filter(p -> p.org().equals(org) && p.member().equals("member-a"))
                .filter(p -> p.topic() == Topic.ACCOUNT_NICKNAME_UPDATED)
                .map(Published::eventId)
                .toList());
    // The other members each get their own, nothing of member-a of org.
    assertThat(catchUp(b, "&topic=account_balanceupdated,account_transactionadded", 2))
        .extracting(f -> f.path("eventId").asText())
        .allMatch(id -> id.startsWith("b-"))
        .isNotEmpty();
    assertThat(catchUp(otherA, "&topic=account_balanceupdated,account_transactionadded", 100))
        .extracting(f -> f.path("eventId").asText())
        .allMatch(id -> id.startsWith("o-"))
        .isNotEmpty();
  }

  @Test
  void badRequests_getPreciseErrors() throws Exception {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    String b = token(org, "member-b");
    publish(
        List.of(
            new Published(org, "member-a", Topic.ACCOUNT_BALANCE_UPDATED, UUID.randomUUID() + ""),
            new Published(org, "member-a", Topic.ACCOUNT_BALANCE_UPDATED, UUID.randomUUID() + "")));
    String cursor =
        get("/realtime/events?since=0&limit=1&topic=account_balanceupdated", a)
            .body()
            .path("nextCursor")
            .asText();

    Rest noToken = get("/realtime/events?since=0", null);
    Rest badSince = get("/realtime/events?since=abc", a);
    Rest badLimit = get("/realtime/events?since=0&limit=0", a);
    Rest badTopic = get("/realtime/events?since=0&topic=account_everything", a);
    Rest otherMember = get("/realtime/events?topic=account_balanceupdated&cursor=" + cursor, b);
    Rest otherFilter = get("/realtime/events?topic=account_transactionadded&cursor=" + cursor, a);
    Rest tampered =
        get(
            "/realtime/events?topic=account_balanceupdated&cursor="
                + cursor.substring(0, cursor.length() - 2)
                + (cursor.endsWith("AA") ? "BB" : "AA"),
            a);

    assertThat(noToken.status()).isEqualTo(401);
    assertThat(noToken.body().path("code").asText()).startsWith("session_");
    assertThat(List.of(badSince, badLimit, badTopic, otherMember, otherFilter, tampered))
        .extracting(Rest::status)
        .containsOnly(400);
    assertThat(
            List.of(badSince, badLimit, badTopic, otherMember, otherFilter, tampered).stream()
                .map(r -> r.body().path("code").asText())
                .toList())
        .containsExactly(
            "invalid_since",
            "invalid_limit",
            "unknown_topic",
            "cursor_mismatch",
            "cursor_mismatch",
            "invalid_cursor");
  }
}
