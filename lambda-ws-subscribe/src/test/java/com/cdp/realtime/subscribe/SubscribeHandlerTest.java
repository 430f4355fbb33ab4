package com.cdp.realtime.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.SessionService;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.Fixtures;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.cdp.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives the handler the way Lambda does: raw event JSON in, response JSON out. */
@ExtendWith(StandInsExtension.class)
class SubscribeHandlerTest {
  private final SessionService sessions;
  private final RealtimeStore store;
  private final InMemoryLogPublisher logs = new InMemoryLogPublisher();
  private final StandIns standIns;
  private final SubscribeHandler handler;
  private final OrganizationId org = TestIds.org();
  private final MemberId member = MemberId.of("m-1");
  private final SessionService.Created created;
  private final String connectionId =
      UUID.randomUUID().toString().replace("-", "").substring(0, 15) + "=";

  SubscribeHandlerTest(StandIns standIns) {
    this.standIns = standIns;
    Clock clock = Clock.systemUTC();
    this.sessions =
        new SessionService(standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), clock);
    this.store = new RealtimeStore(standIns.dynamoDb(), standIns.tableName(Tables.REALTIME), clock);
    this.handler =
        new SubscribeHandler(
            new SubscriptionService(sessions, store, clock),
            new CatchUpService(
                store,
                store.streams(java.time.Duration.ofHours(24)),
                new com.cdp.http.SignedCursors(
                    "a-test-key-of-at-least-32-characters!", clock, Duration.ofHours(1))),
            PlatformLogger.inMemory(logs));
    this.created = sessions.create(org, member, Duration.ofHours(1));
    store.putConnection(new WsConnection(connectionId, created.session(), Instant.now()));
  }

  private JsonNode invoke(String eventJson) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)),
        out,
        new TestLambdaContext("ws-subscribe"));
    return Json.tree(out.toString(StandardCharsets.UTF_8));
  }

  /** The frame the route response sends back to the client. */
  private JsonNode frame(String connection, String body) throws IOException {
    JsonNode response =
        invoke(
            Fixtures.text(
                "events/ws-default.json",
                Map.of("connectionId", connection, "body", Json.write(body))));
    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    return Json.tree(response.path("body").asText());
  }

  private JsonNode http(String method, String topic, String token) throws IOException {
    String routePath =
        topic == null ? "/realtime/subscriptions" : "/realtime/subscriptions/{topic}";
    String rawPath = topic == null ? "/realtime/subscriptions" : "/realtime/subscriptions/" + topic;
    return invoke(
        Fixtures.text(
            "events/http-subscriptions.json",
            Map.of(
                "method", method,
                "routePath", routePath,
                "rawPath", rawPath,
                "token", token,
                "pathParameters", topic == null ? "null" : Json.write(Map.of("topic", topic)))));
  }

  private static List<String> topics(JsonNode response) {
    JsonNode body = Json.tree(response.path("body").asText());
    return java.util.stream.StreamSupport.stream(body.path("topics").spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }

  @Test
  void subscribeFrame_subscribesTheConnectionsSessionAndConfirms() throws IOException {
    JsonNode reply =
        frame(connectionId, "{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\"]}");

    assertThat(reply.path("type").asText()).isEqualTo("subscribed");
    assertThat(reply.path("topics").get(0).asText()).isEqualTo("account_transactionadded");
    assertThat(store.recipients(org, member, Topic.ACCOUNT_TRANSACTION_ADDED))
        .extracting(Recipient::connectionId)
        .containsExactly(connectionId);
  }

  @Test
  void restAndWebSocketSubscriptions_areTheSameRecords() throws IOException {
    frame(connectionId, "{\"action\":\"subscribe\",\"topics\":[\"account_balanceupdated\"]}");
    assertThat(topics(http("GET", null, created.token())))
        .containsExactly("account_balanceupdated");

    JsonNode put = http("PUT", "account_transactionadded", created.token());
    assertThat(put.path("statusCode").asInt()).isEqualTo(200);
    assertThat(topics(put)).containsExactly("account_balanceupdated", "account_transactionadded");
    assertThat(store.recipients(org, member, Topic.ACCOUNT_TRANSACTION_ADDED)).hasSize(1);

    JsonNode unsubscribed =
        frame(connectionId, "{\"action\":\"unsubscribe\",\"topics\":[\"account_balanceupdated\"]}");
    assertThat(unsubscribed.path("type").asText()).isEqualTo("unsubscribed");
    assertThat(topics(http("GET", null, created.token())))
        .containsExactly("account_transactionadded");

    JsonNode deleted = http("DELETE", "account_transactionadded", created.token());
    assertThat(deleted.path("statusCode").asInt()).isEqualTo(200);
    assertThat(topics(deleted)).isEmpty();
    assertThat(store.recipients(org, member, Topic.ACCOUNT_TRANSACTION_ADDED)).isEmpty();
  }

  @Test
  void pingFrame_answersPong() throws IOException {
    assertThat(frame(connectionId, "{\"action\":\"ping\"}").path("type").asText())
        .isEqualTo("pong");
  }

  @Test
  void badFrames_getErrorFramesWithStableCodes() throws IOException {
    JsonNode malformed = frame(connectionId, "{\"action\":");
    JsonNode unknownTopic =
        frame(connectionId, "{\"action\":\"subscribe\",\"topics\":[\"account_everything\"]}");
    JsonNode unknownAction = frame(connectionId, "{\"action\":\"shout\"}");

    assertThat(malformed.path("type").asText()).isEqualTo("error");
    assertThat(malformed.path("code").asText()).isEqualTo("malformed_frame");
    assertThat(malformed.path("message").asText()).isNotBlank();
    assertThat(unknownTopic.path("code").asText()).isEqualTo("unknown_topic");
    assertThat(unknownAction.path("code").asText()).isEqualTo("unknown_action");
    assertThat(store.subscriptions(created.session())).isEmpty();
  }

  @Test
  void subscribeFrame_fromAnUnregisteredConnection_getsNotConnected() throws IOException {
    JsonNode reply =
        frame(
            "unknownConn0000=",
            "{\"action\":\"subscribe\",\"topics\":[\"account_balanceupdated\"]}");

    assertThat(reply.path("code").asText()).isEqualTo("not_connected");
  }

  @Test
  void rest_withABadOrMissingToken_is401WithoutEchoingIt() throws IOException {
    JsonNode unknown = http("GET", null, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    JsonNode malformed = http("PUT", "account_balanceupdated", "nope");

    assertThat(unknown.path("statusCode").asInt()).isEqualTo(401);
    assertThat(Json.tree(unknown.path("body").asText()).path("code").asText())
        .isEqualTo("session_unknown");
    assertThat(unknown.path("headers").path("WWW-Authenticate").asText()).isEqualTo("Bearer");
    assertThat(unknown.toString()).doesNotContain("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assertThat(malformed.path("statusCode").asInt()).isEqualTo(401);
  }

  @Test
  void rest_withAnUnknownTopic_is400UnknownTopic() throws IOException {
    JsonNode response = http("PUT", "platform_account_transactionadded", created.token());

    assertThat(response.path("statusCode").asInt()).isEqualTo(400);
    assertThat(Json.tree(response.path("body").asText()).path("code").asText())
        .isEqualTo("unknown_topic");
  }

  @Test
  void everyRequest_logsAnAppMessageWithoutTheToken() throws IOException {
    frame(connectionId, "{\"action\":\"subscribe\",\"topics\":[\"account_balanceupdated\"]}");
    http("GET", null, created.token());
    http("GET", null, created.token().substring(1) + "A");

    assertThat(logs.messages()).hasSize(3);
    assertThat(logs.messages())
        .allSatisfy(
            m -> {
              assertThat(m).doesNotContain(created.token());
              assertThat(Json.tree(m).path("logType").asText()).isEqualTo("app");
            });
    assertThat(Json.tree(logs.messages().get(1)).path("transactionId").asText())
        .isEqualTo("5d2c7a1e-8b3f-4c6d-9e0a-1b2c3d4e5f60");
  }

  @Test
  void prime_readsWithoutWritingOrLogging() {
    int before = standIns.itemCount(Tables.REALTIME);

    handler.prime();

    assertThat(standIns.itemCount(Tables.REALTIME)).isEqualTo(before);
    assertThat(logs.messages()).isEmpty();
  }

  // ---- GET /realtime/events (catch-up) ----------------------------------------------------------

  private JsonNode catchUp(String authorization, Map<String, String> query) throws IOException {
    String raw =
        query.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(java.util.stream.Collectors.joining("&"));
    return invoke(
        Fixtures.text(
            "events/http-catch-up.json",
            Map.of(
                "authorization", authorization,
                "rawQueryString", raw,
                "query", query.isEmpty() ? "null" : Json.write(query))));
  }

  private static JsonNode body(JsonNode response) {
    return Json.tree(response.path("body").asText());
  }

  private long keep(MemberId who, Topic topic, String eventId) {
    return store
        .streams(Duration.ofHours(24))
        .append(
            org,
            who,
            topic,
            "cdp.platform",
            eventId,
            seq ->
                com.cdp.model.realtime.ServerFrames.event(
                    topic,
                    eventId,
                    seq,
                    null,
                    "2026-12-01T08:00:00Z",
                    Json.tree("{\"n\":1}"),
                    false));
  }

  @Test
  void catchUp_answersTheMembersKeptFramesOfItsSubscribedTopics_withACursorWhileMoreRemain()
      throws IOException {
    store.subscribe(created.session(), List.of(Topic.ACCOUNT_BALANCE_UPDATED));
    keep(member, Topic.ACCOUNT_BALANCE_UPDATED, "e-1");
    keep(member, Topic.ACCOUNT_TRANSACTION_ADDED, "e-2");
    keep(member, Topic.ACCOUNT_BALANCE_UPDATED, "e-3");
    keep(MemberId.of("m-2"), Topic.ACCOUNT_BALANCE_UPDATED, "other");
    String bearer = "Bearer " + created.token();

    JsonNode first = catchUp(bearer, Map.of("since", "0", "limit", "1"));
    JsonNode firstBody = body(first);
    JsonNode second =
        body(
            catchUp(bearer, Map.of("limit", "1", "cursor", firstBody.path("nextCursor").asText())));

    assertThat(first.path("statusCode").asInt()).isEqualTo(200);
    assertThat(first.path("headers").path("Cache-Control").asText()).isEqualTo("no-store");
    assertThat(firstBody.path("events")).hasSize(1);
    JsonNode frame = firstBody.path("events").get(0);
    assertThat(frame.path("type").asText()).isEqualTo("event");
    assertThat(frame.path("topic").asText()).isEqualTo("account_balanceupdated");
    assertThat(frame.path("eventId").asText()).isEqualTo("e-1");
    assertThat(frame.path("seq").asLong()).isEqualTo(1);
    assertThat(frame.path("data").path("n").asInt()).isEqualTo(1);
    assertThat(firstBody.path("oldest").asLong()).isEqualTo(1);
    assertThat(firstBody.path("continuityLost").asBoolean()).isFalse();
    assertThat(firstBody.path("nextCursor").asText()).matches("[A-Za-z0-9._-]+");
    assertThat(second.path("events").get(0).path("eventId").asText()).isEqualTo("e-3");
    assertThat(second.has("nextCursor")).isTrue();
    assertThat(second.path("nextCursor").isNull()).isTrue();
  }

  @Test
  void catchUp_withAMissingUnknownOrExpiredToken_is401() throws IOException {
    SessionService.Created expired =
        new SessionService(
                standIns.dynamoDb(),
                standIns.tableName(Tables.SESSIONS),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
            .create(org, member, Duration.ofHours(1));

    for (String authorization :
        List.of(
            "",
            "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "Bearer " + expired.token(),
            "Basic " + created.token())) {
      JsonNode response = catchUp(authorization, Map.of("since", "0"));
      assertThat(response.path("statusCode").asInt()).as(authorization).isEqualTo(401);
      assertThat(response.path("headers").path("WWW-Authenticate").asText()).isEqualTo("Bearer");
      assertThat(body(response).path("code").asText()).startsWith("session_");
    }
    assertThat(
            body(catchUp("Bearer " + expired.token(), Map.of("since", "0"))).path("code").asText())
        .isEqualTo("session_expired");
  }

  @Test
  void catchUp_withBadParameters_is400WithAStableCode_andLogsNoToken() throws IOException {
    String bearer = "Bearer " + created.token();
    Map<Map<String, String>, String> cases =
        Map.of(
            Map.of(), "invalid_since",
            Map.of("since", "x"), "invalid_since",
            Map.of("since", "0", "limit", "500"), "invalid_limit",
            Map.of("since", "0", "topic", "account_everything"), "unknown_topic",
            Map.of("since", "0", "cursor", "not-a-cursor"), "invalid_cursor");

    for (var c : cases.entrySet()) {
      JsonNode response = catchUp(bearer, c.getKey());
      assertThat(response.path("statusCode").asInt()).as("%s", c.getKey()).isEqualTo(400);
      assertThat(body(response).path("code").asText()).as("%s", c.getKey()).isEqualTo(c.getValue());
      assertThat(body(response).path("message").asText()).isNotBlank();
    }
    assertThat(logs.messages()).hasSize(cases.size());
    assertThat(logs.messages()).allSatisfy(m -> assertThat(m).doesNotContain(created.token()));
  }
}
