package com.cdp.realtime.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.cdp.access.SessionService;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.RealtimeKeys;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.SessionToken;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.Fixtures;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.cdp.testing.TestLambdaContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(StandInsExtension.class)
class ConnectHandlerTest {
  private final StandIns standIns;
  private final SessionService sessions;
  private final RealtimeStore store;
  private final InMemoryLogPublisher logs = new InMemoryLogPublisher();
  private final ConnectHandler handler;
  private final OrganizationId org = TestIds.org();

  ConnectHandlerTest(StandIns standIns) {
    this.standIns = standIns;
    Clock clock = Clock.systemUTC();
    this.sessions =
        new SessionService(standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), clock);
    this.store = new RealtimeStore(standIns.dynamoDb(), standIns.tableName(Tables.REALTIME), clock);
    this.handler =
        new ConnectHandler(
            new ConnectionService(sessions, store, clock), PlatformLogger.inMemory(logs));
  }

  private static String connectionId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 15) + "=";
  }

  private static APIGatewayV2WebSocketEvent connectEvent(String connectionId, String token) {
    String query = token == null ? "null" : Json.write(Map.of("token", token));
    return Json.read(
        Fixtures.text(
            "events/ws-connect.json", Map.of("connectionId", connectionId, "query", query)),
        APIGatewayV2WebSocketEvent.class);
  }

  private static APIGatewayV2WebSocketEvent disconnectEvent(String connectionId) {
    return Json.read(
        Fixtures.text("events/ws-disconnect.json", Map.of("connectionId", connectionId)),
        APIGatewayV2WebSocketEvent.class);
  }

  @Test
  void connect_withAValidToken_recordsOrganizationMemberSessionHashConnectTimeAndTtl() {
    SessionService.Created created = sessions.create(org, MemberId.of("m-1"), Duration.ofHours(1));
    String id = connectionId();
    Instant before = Instant.now();

    APIGatewayV2WebSocketResponse response =
        handler.handleRequest(
            connectEvent(id, created.token()), new TestLambdaContext("ws-connect"));

    assertThat(response.getStatusCode()).isEqualTo(200);
    Map<String, AttributeValue> item =
        standIns
            .dynamoDb()
            .getItem(
                r ->
                    r.tableName(standIns.tableName(Tables.REALTIME))
                        .key(
                            Map.of(
                                Tables.PK,
                                AttributeValue.fromS(RealtimeKeys.connection(id)),
                                Tables.SK,
                                AttributeValue.fromS("META"))))
            .item();
    assertThat(item.get("organizationId").s()).isEqualTo(org.value());
    assertThat(item.get("memberId").s()).isEqualTo("m-1");
    assertThat(item.get("sessionId").s()).isEqualTo(SessionToken.hash(created.token()));
    assertThat(item.values()).noneMatch(v -> created.token().equals(v.s()));
    long connectedAt = Long.parseLong(item.get("connectedAt").n());
    assertThat(connectedAt).isBetween(before.toEpochMilli(), Instant.now().toEpochMilli());
    long ttl = Long.parseLong(item.get(Tables.TTL).n());
    assertThat(ttl)
        .isEqualTo(
            Instant.ofEpochMilli(connectedAt)
                .plus(WsConnection.MAX_DURATION)
                .plus(RealtimeStore.TTL_MARGIN)
                .getEpochSecond());
    assertThat(store.connection(id).orElseThrow().session().id()).isEqualTo(created.session().id());
  }

  @Test
  void connect_withMissingMalformedUnknownOrExpiredToken_isRefusedWith401AndRecordsNothing() {
    SessionService pastSessions =
        new SessionService(
            standIns.dynamoDb(),
            standIns.tableName(Tables.SESSIONS),
            Clock.fixed(Instant.now().minus(Duration.ofHours(3)), java.time.ZoneOffset.UTC));
    String expired = pastSessions.create(org, MemberId.of("m-1"), Duration.ofHours(1)).token();
    Map<String, String> tokens =
        new java.util.LinkedHashMap<>(
            Map.of(
                "session_malformed",
                "not-a-token",
                "session_unknown",
                SessionToken.generate(),
                "session_expired",
                expired));
    tokens.put("session_missing", null);

    for (var e : tokens.entrySet()) {
      String id = connectionId();
      APIGatewayV2WebSocketResponse response = handler.handle(connectEvent(id, e.getValue()));

      assertThat(response.getStatusCode()).as(e.getKey()).isEqualTo(401);
      assertThat(Json.tree(response.getBody()).path("code").asText()).isEqualTo(e.getKey());
      if (e.getValue() != null) {
        assertThat(response.getBody()).doesNotContain(e.getValue());
      }
      assertThat(store.connection(id)).isEmpty();
    }
  }

  @Test
  void disconnect_removesTheConnectionButKeepsTheSessionsSubscriptions() {
    SessionService.Created created = sessions.create(org, MemberId.of("m-2"), Duration.ofHours(1));
    store.subscribe(created.session(), List.of(Topic.ACCOUNT_BALANCE_UPDATED));
    String id = connectionId();
    handler.handle(connectEvent(id, created.token()));
    assertThat(store.recipients(org, MemberId.of("m-2"), Topic.ACCOUNT_BALANCE_UPDATED)).hasSize(1);

    APIGatewayV2WebSocketResponse response = handler.handle(disconnectEvent(id));

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(store.connection(id)).isEmpty();
    assertThat(store.recipients(org, MemberId.of("m-2"), Topic.ACCOUNT_BALANCE_UPDATED)).isEmpty();
    assertThat(store.subscriptions(created.session()))
        .containsExactly(Topic.ACCOUNT_BALANCE_UPDATED);
  }

  @Test
  void disconnect_ofAnUnknownConnection_succeeds() {
    assertThat(handler.handle(disconnectEvent(connectionId())).getStatusCode()).isEqualTo(200);
  }

  @Test
  void connectAndDisconnect_logAppMessagesWithoutTheToken() {
    SessionService.Created created = sessions.create(org, MemberId.of("m-3"), Duration.ofHours(1));
    String id = connectionId();
    handler.handle(connectEvent(id, created.token()));
    handler.handle(connectEvent(connectionId(), created.token() + "x"));
    handler.handle(disconnectEvent(id));

    assertThat(logs.messages()).hasSize(3);
    assertThat(logs.messages()).allSatisfy(m -> assertThat(m).doesNotContain(created.token()));
    assertThat(Json.tree(logs.messages().get(0)).path("logType").asText()).isEqualTo("app");
    assertThat(Json.tree(logs.messages().get(0)).path("organizationID").asText())
        .isEqualTo(org.value());
    assertThat(Json.tree(logs.messages().get(1)).path("events").get(0).path("success").asBoolean())
        .isFalse();
  }

  @Test
  void prime_readsWithoutWritingOrLogging() {
    int before = standIns.itemCount(Tables.REALTIME);

    handler.prime();

    assertThat(standIns.itemCount(Tables.REALTIME)).isEqualTo(before);
    assertThat(logs.messages()).isEmpty();
  }
}
