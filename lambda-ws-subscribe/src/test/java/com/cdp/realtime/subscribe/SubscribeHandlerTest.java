package com.cdp.realtime.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.RealtimeStore;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.SessionService;
import com.cdp.model.table.Tables;
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
            new SubscriptionService(sessions, store, clock), PlatformLogger.inMemory(logs));
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
}
