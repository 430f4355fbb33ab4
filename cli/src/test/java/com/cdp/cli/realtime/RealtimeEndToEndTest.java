package com.cdp.cli.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.SessionToken;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * The realtime area on the local platform, driven only through its public interfaces: WebSocket
 * connections at {@code /realtime}, the REST routes, and events published with PutEvents. The
 * platform runs it from the template: ws-connect, ws-subscribe and the relay in their own JVMs from
 * their {@code -lambda.jar}s, the relay behind the template's rule.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealtimeEndToEndTest {
  /**
   * How long a frame may take: the functions run in JVMs of their own, and a second JVM of a
   * function may start cold during a test on a loaded machine.
   */
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path data;
  private static PrintStream originalOut;
  private static PrintStream originalErr;
  private static final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  /** Every token a test used, for the test that no log line ever holds one. */
  private static final Set<String> tokens = ConcurrentHashMap.newKeySet();

  private static LocalPlatform platform;
  private static RealtimeLocal realtime;
  private static SessionService sessions;
  private static RealtimeStore store;
  private static EventBridgeClient events;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
    realtime = new RealtimeLocal();
    platform = LocalPlatform.start(LocalOptions.forTests(data, RepoRoot.find()), List.of(realtime));
    sessions =
        new SessionService(
            platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC());
    store =
        new RealtimeStore(
            platform.dynamoDb(), platform.tableName(Tables.REALTIME), Clock.systemUTC());
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
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A session of a member who owns the account {@code acct-MEMBER} the test events are about. */
  private static String token(OrganizationId org, String member) {
    platform
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    java.util.Map.of(
                        platform.tableName(Tables.WAREHOUSE),
                        com.cdp.access.AccountOwnership.writes(
                            org,
                            MemberId.of(member),
                            com.cdp.model.id.AccountId.of("acct-" + member)))));
    String token = sessions.create(org, MemberId.of(member), Duration.ofHours(1)).token();
    tokens.add(token);
    return token;
  }

  private static WsTestClient connect(String token) {
    try {
      return WsTestClient.connect(realtime.webSocketUrl(), token);
    } catch (WsTestClient.Refused e) {
      throw new AssertionError(e);
    }
  }

  private static int refusedStatus(String token) {
    try (WsTestClient client = WsTestClient.connect(realtime.webSocketUrl(), token)) {
      throw new AssertionError("the connection was accepted");
    } catch (WsTestClient.Refused e) {
      return e.status;
    }
  }

  private static void subscribe(WsTestClient client, Topic... topics) {
    String names = String.join("\",\"", Stream.of(topics).map(Topic::detailType).toList());
    JsonNode reply = client.request("{\"action\":\"subscribe\",\"topics\":[\"" + names + "\"]}");
    assertThat(reply.path("type").asText()).as("reply %s", reply).isEqualTo("subscribed");
  }

  /** Publishes an event about a member with PutEvents and waits until the relay is done. */
  private static void publish(OrganizationId org, String member, Topic topic, String eventId)
      throws InterruptedException {
    ObjectNode detail = Json.object();
    detail.put("organizationId", org.value());
    detail.put("eventId", eventId);
    detail.put("memberId", member);
    detail.put("accountId", "acct-" + member);
    switch (topic) {
      case ACCOUNT_BALANCE_UPDATED -> {
        detail.put("balance", "125.50");
        detail.put("updatedAt", Instant.now().toString());
      }
      case ACCOUNT_NICKNAME_UPDATED -> {
        detail.put("nickname", "Rainy day");
        detail.put("updatedAt", Instant.now().toString());
      }
      default -> {
        detail.putArray("transactionIds").add("t-1").add("t-2");
        detail.put("count", 2);
      }
    }
    PutEventsResponse response =
        events.putEvents(
            r ->
                r.entries(
                    e ->
                        e.source("cdp.platform")
                            .detailType(topic.detailType())
                            .detail(Json.write(detail))));
    assertThat(response.failedEntryCount()).isZero();
    assertThat(platform.awaitIdle(Duration.ofSeconds(30))).isTrue();
  }

  private static String newEventId() {
    return UUID.randomUUID().toString();
  }

  private static void assertNextEvent(WsTestClient client, String eventId, Topic topic) {
    JsonNode frame = client.next(WAIT);
    assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo("event");
    assertThat(frame.path("eventId").asText()).as("frame %s", frame).isEqualTo(eventId);
    assertThat(frame.path("topic").asText()).isEqualTo(topic.detailType());
  }

  private record Rest(int status, JsonNode body) {}

  private static Rest rest(String method, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Rest(response.statusCode(), Json.tree(response.body()));
  }

  private static List<String> topics(Rest rest) {
    List<String> names = new ArrayList<>();
    rest.body().path("topics").forEach(t -> names.add(t.asText()));
    return names;
  }

  // ---- tests --------------------------------------------------------------------------------

  @Test
  @Order(1)
  void eventForMemberA_reachesExactlyAsSubscribedConnections() throws Exception {
    OrganizationId org = TestIds.org();
    OrganizationId otherOrg = TestIds.org();
    String a = token(org, "member-a");
    String b = token(org, "member-b");
    String otherA = token(otherOrg, "member-a"); // the same member id in another organization
    try (WsTestClient a1 = connect(a);
        WsTestClient a2 = connect(a);
        WsTestClient b1 = connect(b);
        WsTestClient b2 = connect(b);
        WsTestClient o1 = connect(otherA);
        WsTestClient o2 = connect(otherA)) {
      // A subscription belongs to the session: subscribing on one connection covers both.
      subscribe(a1, Topic.ACCOUNT_TRANSACTION_ADDED);
      subscribe(b1, Topic.ACCOUNT_TRANSACTION_ADDED);
      subscribe(o1, Topic.ACCOUNT_TRANSACTION_ADDED);
      String forA = newEventId();

      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, forA);

      assertNextEvent(a1, forA, Topic.ACCOUNT_TRANSACTION_ADDED);
      assertNextEvent(a2, forA, Topic.ACCOUNT_TRANSACTION_ADDED);
      // Each of the others gets its own event first: A's event never reached them.
      String forB = newEventId();
      String forOther = newEventId();
      publish(org, "member-b", Topic.ACCOUNT_TRANSACTION_ADDED, forB);
      publish(otherOrg, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, forOther);
      assertNextEvent(b1, forB, Topic.ACCOUNT_TRANSACTION_ADDED);
      assertNextEvent(b2, forB, Topic.ACCOUNT_TRANSACTION_ADDED);
      assertNextEvent(o1, forOther, Topic.ACCOUNT_TRANSACTION_ADDED);
      assertNextEvent(o2, forOther, Topic.ACCOUNT_TRANSACTION_ADDED);
      Thread.sleep(200);
      for (WsTestClient c : List.of(a1, a2, b1, b2, o1, o2)) {
        assertThat(c.drain()).isEmpty();
      }
    }
  }

  @Test
  @Order(2)
  void eventDetails_arriveAsTheContractsEventFrame() throws Exception {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (WsTestClient client = connect(a)) {
      subscribe(client, Topic.ACCOUNT_BALANCE_UPDATED);
      String id = newEventId();

      publish(org, "member-a", Topic.ACCOUNT_BALANCE_UPDATED, id);

      JsonNode frame = client.next(WAIT);
      assertThat(frame.path("type").asText()).isEqualTo("event");
      assertThat(frame.path("topic").asText()).isEqualTo("account_balanceupdated");
      assertThat(frame.path("eventId").asText()).isEqualTo(id);
      assertThat(Instant.parse(frame.path("time").asText())).isBefore(Instant.now().plusSeconds(1));
      assertThat(frame.path("data").path("memberId").asText()).isEqualTo("member-a");
      assertThat(frame.path("data").path("accountId").asText()).isEqualTo("acct-member-a");
      assertThat(frame.path("data").path("balance").asText()).isEqualTo("125.50");
    }
  }

  @Test
  @Order(3)
  void unsubscribedTopics_areNotDelivered() throws Exception {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (WsTestClient client = connect(a)) {
      subscribe(client, Topic.ACCOUNT_TRANSACTION_ADDED);

      publish(org, "member-a", Topic.ACCOUNT_BALANCE_UPDATED, newEventId());
      publish(org, "member-a", Topic.ACCOUNT_NICKNAME_UPDATED, newEventId());
      String marker = newEventId();
      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, marker);

      assertNextEvent(client, marker, Topic.ACCOUNT_TRANSACTION_ADDED);
    }
  }

  @Test
  @Order(4)
  void aReplayedEvent_isDeliveredOnce() throws Exception {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (WsTestClient c1 = connect(a);
        WsTestClient c2 = connect(a)) {
      subscribe(c1, Topic.ACCOUNT_TRANSACTION_ADDED);
      String replayed = newEventId();

      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, replayed);
      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, replayed);
      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, replayed);
      String next = newEventId();
      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, next);

      for (WsTestClient c : List.of(c1, c2)) {
        assertNextEvent(c, replayed, Topic.ACCOUNT_TRANSACTION_ADDED);
        assertNextEvent(c, next, Topic.ACCOUNT_TRANSACTION_ADDED);
      }
    }
  }

  @Test
  @Order(5)
  void aVanishedConnection_isCleanedUpWithoutStoppingDeliveryToTheOthers() throws Exception {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (WsTestClient live1 = connect(a);
        WsTestClient live2 = connect(a)) {
      subscribe(live1, Topic.ACCOUNT_TRANSACTION_ADDED);
      // A connection whose $disconnect never arrived: recorded, but unknown to the gateway (410).
      var session = sessions.verify(a);
      String vanished = "vanished" + TestIds.suffix().substring(0, 6) + "==";
      store.putConnection(
          new WsConnection(
              vanished,
              ((com.cdp.model.session.SessionVerification.Valid) session).session(),
              Instant.now().minus(Duration.ofMinutes(5))));
      assertThat(store.recipients(org, MemberId.of("member-a"), Topic.ACCOUNT_TRANSACTION_ADDED))
          .hasSize(3);
      String id = newEventId();

      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, id);

      assertNextEvent(live1, id, Topic.ACCOUNT_TRANSACTION_ADDED);
      assertNextEvent(live2, id, Topic.ACCOUNT_TRANSACTION_ADDED);
      assertThat(platform.awaitIdle(WAIT))
          .isTrue(); // the relay's 410 clean-up ends with its invocation
      assertThat(store.connection(vanished)).isEmpty();
      assertThat(store.recipients(org, MemberId.of("member-a"), Topic.ACCOUNT_TRANSACTION_ADDED))
          .extracting(Recipient::connectionId)
          .hasSize(2)
          .doesNotContain(vanished);
    }
  }

  @Test
  @Order(6)
  void badExpiredAndMissingTokens_areRefusedAtConnect() throws Exception {
    OrganizationId org = TestIds.org();
    SessionService past =
        new SessionService(
            platform.dynamoDb(),
            platform.tableName(Tables.SESSIONS),
            Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
    String expired = past.create(org, MemberId.of("member-a"), Duration.ofMinutes(5)).token();
    tokens.add(expired);
    String unknown = SessionToken.generate();
    tokens.add(unknown);
    int before = realtime.openConnections();

    assertThat(refusedStatus(null)).isEqualTo(401);
    assertThat(refusedStatus("")).isEqualTo(401);
    assertThat(refusedStatus("not a token")).isEqualTo(401);
    assertThat(refusedStatus(unknown)).isEqualTo(401);
    assertThat(refusedStatus(expired)).isEqualTo(401);
    assertThat(rest("GET", "/realtime/subscriptions", expired).status()).isEqualTo(401);
    assertThat(rest("GET", "/realtime/subscriptions", null).status()).isEqualTo(401);
    assertThat(realtime.openConnections()).isEqualTo(before);
  }

  @Test
  @Order(7)
  void restAndWebSocketSubscriptions_agree_andOutliveAReconnect() throws Exception {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (WsTestClient client = connect(a)) {
      // REST subscribe -> delivered on the WebSocket.
      Rest put = rest("PUT", "/realtime/subscriptions/account_nicknameupdated", a);
      assertThat(put.status()).isEqualTo(200);
      assertThat(topics(put)).containsExactly("account_nicknameupdated");
      String viaRest = newEventId();
      publish(org, "member-a", Topic.ACCOUNT_NICKNAME_UPDATED, viaRest);
      assertNextEvent(client, viaRest, Topic.ACCOUNT_NICKNAME_UPDATED);

      // WebSocket subscribe/unsubscribe -> seen by REST.
      subscribe(client, Topic.ACCOUNT_BALANCE_UPDATED);
      assertThat(topics(rest("GET", "/realtime/subscriptions", a)))
          .containsExactly("account_balanceupdated", "account_nicknameupdated");
      JsonNode unsubscribed =
          client.request("{\"action\":\"unsubscribe\",\"topics\":[\"account_balanceupdated\"]}");
      assertThat(unsubscribed.path("type").asText()).isEqualTo("unsubscribed");
      assertThat(topics(rest("GET", "/realtime/subscriptions", a)))
          .containsExactly("account_nicknameupdated");

      // REST unsubscribe -> no longer delivered.
      Rest delete = rest("DELETE", "/realtime/subscriptions/account_nicknameupdated", a);
      assertThat(delete.status()).isEqualTo(200);
      assertThat(topics(delete)).isEmpty();
      publish(org, "member-a", Topic.ACCOUNT_NICKNAME_UPDATED, newEventId());
      subscribe(client, Topic.ACCOUNT_TRANSACTION_ADDED);
      String marker = newEventId();
      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, marker);
      assertNextEvent(client, marker, Topic.ACCOUNT_TRANSACTION_ADDED);
    }
    platform.awaitIdle(WAIT); // $disconnect
    // A reconnect with the same token keeps the session's topics without subscribing again.
    try (WsTestClient again = connect(a)) {
      String afterReconnect = newEventId();
      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, afterReconnect);
      assertNextEvent(again, afterReconnect, Topic.ACCOUNT_TRANSACTION_ADDED);
    }
    assertThat(
            rest("PUT", "/realtime/subscriptions/platform_account_transactionadded", a)
                .body()
                .path("code")
                .asText())
        .isEqualTo("unknown_topic");
  }

  @Test
  @Order(8)
  void unknownTopicsAndMalformedFrames_getErrorFrames() {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (WsTestClient client = connect(a)) {
      JsonNode unknownTopic =
          client.request("{\"action\":\"subscribe\",\"topics\":[\"account_secrets\"]}");
      JsonNode notJson = client.request("subscribe me");
      JsonNode noAction = client.request("{\"topics\":[\"account_balanceupdated\"]}");
      JsonNode pong = client.request("{\"action\":\"ping\"}");

      assertThat(unknownTopic.path("type").asText()).isEqualTo("error");
      assertThat(unknownTopic.path("code").asText()).isEqualTo("unknown_topic");
      assertThat(unknownTopic.path("message").asText()).contains("account_secrets");
      assertThat(notJson.path("code").asText()).isEqualTo("malformed_frame");
      assertThat(noAction.path("code").asText()).isEqualTo("malformed_frame");
      assertThat(pong.path("type").asText()).isEqualTo("pong");
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  @Order(9)
  void managementApi_getsDeletesAndAnswersGoneLikeApiGateway() throws Exception {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (ApiGatewayManagementApiClient api =
            AwsClients.build(
                ApiGatewayManagementApiClient.builder(),
                AwsTarget.local(realtime.managementEndpoint()));
        WsTestClient client = connect(a)) {
      subscribe(client, Topic.ACCOUNT_BALANCE_UPDATED);
      String id =
          store
              .recipients(org, MemberId.of("member-a"), Topic.ACCOUNT_BALANCE_UPDATED)
              .get(0)
              .connectionId();

      GetConnectionResponse info = api.getConnection(r -> r.connectionId(id));
      assertThat(info.connectedAt()).isBefore(Instant.now().plusSeconds(1));
      assertThat(info.identity().sourceIp()).isEqualTo("127.0.0.1");
      api.postToConnection(
          r ->
              r.connectionId(id)
                  .data(
                      software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"type\":\"pong\"}")));
      assertThat(client.next(WAIT).path("type").asText()).isEqualTo("pong");

      api.deleteConnection(r -> r.connectionId(id));

      assertThat(client.awaitClose(WAIT)).isGreaterThan(0);
      assertThat(platform.awaitIdle(WAIT)).isTrue();
      // $disconnect runs on the server's close callback, which may finish after the client saw the
      // close frame (as in API Gateway): wait for it, bounded.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (store.connection(id).isPresent() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(store.connection(id)).isEmpty(); // $disconnect ran
      assertThatThrownBy(
              () ->
                  api.postToConnection(
                      r ->
                          r.connectionId(id)
                              .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{}"))))
          .isInstanceOf(GoneException.class);
    }
  }

  @Test
  @Order(10)
  void aSessionsSixthConnection_closesAnOlderOne_withAFrameSayingWhy() throws Exception {
    String a = token(TestIds.org(), "member-a");
    List<WsTestClient> first = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        first.add(connect(a));
      }
      assertThat(first).noneMatch(WsTestClient::isClosed);

      // The template's MAX_CONNECTIONS_PER_SESSION is 5: ws-connect closes the oldest through the
      // stage's @connections (its role's execute-api:ManageConnections, via the front door).
      try (WsTestClient sixth = connect(a)) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (first.stream().noneMatch(WsTestClient::isClosed) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        Thread.sleep(500); // a second close would show now
        List<WsTestClient> closed = first.stream().filter(WsTestClient::isClosed).toList();
        assertThat(closed).hasSize(1);
        JsonNode frame = closed.get(0).next(WAIT);
        assertThat(frame.path("type").asText()).isEqualTo("closing");
        assertThat(frame.path("code").asText()).isEqualTo("too_many_connections");
        assertThat(sixth.isClosed()).isFalse();
        assertThat(sixth.request("{\"action\":\"ping\"}").path("type").asText()).isEqualTo("pong");
      }
    } finally {
      first.forEach(WsTestClient::close);
    }
  }

  @Test
  @Order(100)
  void aSessionTokenNeverAppearsInAnyLogLine() throws Exception {
    // Exercise every path once more with fresh tokens, including refusals and failures.
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (WsTestClient client = connect(a)) {
      subscribe(client, Topic.ACCOUNT_TRANSACTION_ADDED);
      client.request("{\"action\":\"subscribe\",\"topics\":[\"" + a + "\"]}");
      client.request("not json " + a);
      rest("GET", "/realtime/subscriptions", a);
      rest("PUT", "/realtime/subscriptions/" + a, a);
      String id = newEventId();
      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, id);
      assertNextEvent(client, id, Topic.ACCOUNT_TRANSACTION_ADDED);
    }
    refusedStatus(a.substring(1) + "x");
    platform.awaitIdle(WAIT);
    // The functions' messages reach the log store through the template's log topic and the local
    // delivery stream, which buffers them for the template's interval: wait until both functions'
    // messages have reached the topic, delivering what the stream holds each time.
    platform.flushLogs();
    List<String> platformLog = deliveredLogs();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!(platformLog.stream().anyMatch(m -> m.contains("\"connect\""))
            && platformLog.stream().anyMatch(m -> m.contains("\"relay\"")))
        && System.nanoTime() < deadline) {
      Thread.sleep(250);
      platform.flushLogs();
      platformLog = deliveredLogs();
    }

    assertThat(tokens).hasSizeGreaterThan(10);
    assertThat(platformLog).hasSizeGreaterThan(20);
    assertThat(platformLog).anyMatch(m -> m.contains("\"connect\""));
    assertThat(platformLog).anyMatch(m -> m.contains("\"relay\""));
    String console = captured.toString(StandardCharsets.UTF_8);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    // The function JVMs' own output (as CloudWatch Logs would keep it) is among them.
    for (String function : List.of("ws-connect", "ws-subscribe", "relay-message")) {
      assertThat(files).contains(platform.functions().logFile(platform.function(function)));
    }
    for (String token : tokens) {
      assertThat(platformLog).noneMatch(m -> m.contains(token));
      assertThat(console).doesNotContain(token);
      for (Path file : files) {
        assertThat(readMaybeGzipped(Files.readAllBytes(file)))
            .as("file %s", file)
            .doesNotContain(token);
      }
    }
  }

  @Test
  @Order(101)
  void theFunctionsRunFromTheirJars_withTheTemplatesEnvironment_andTheirRolesAllowWhatTheyDo()
      throws Exception {
    OrganizationId org = TestIds.org();
    String a = token(org, "member-a");
    try (WsTestClient client = connect(a)) {
      subscribe(client, Topic.ACCOUNT_TRANSACTION_ADDED);
      String id = newEventId();
      publish(org, "member-a", Topic.ACCOUNT_TRANSACTION_ADDED, id);
      assertNextEvent(client, id, Topic.ACCOUNT_TRANSACTION_ADDED);
    }
    assertThat(platform.awaitIdle(WAIT)).isTrue();

    for (String function : List.of("ws-connect", "ws-subscribe", "relay-message")) {
      assertThat(platform.functions().pids(platform.function(function)))
          .as("%s runs in a JVM of its own", function)
          .isNotEmpty();
    }
    // The relay's JVM has the template's settings, and its @connections endpoint is the stage's
    // callback URL on the IAM front door.
    long relayPid = platform.functions().pids(platform.function("relay-message")).get(0);
    List<String> environment =
        List.of(
            new String(
                    Files.readAllBytes(Path.of("/proc/" + relayPid + "/environ")),
                    StandardCharsets.UTF_8)
                .split("\0"));
    assertThat(environment)
        .contains("RELAY_CLAIM_LEASE=PT60S", "RELAY_CONCURRENCY=16", "REALTIME_REPLAY_WINDOW=PT24H")
        .contains(
            "REALTIME_MANAGEMENT_ENDPOINT="
                + platform.frontDoor().orElseThrow().endpoint()
                + "/live");
    // Every call they made (DynamoDB, Secrets Manager, execute-api:ManageConnections) was allowed
    // by their template roles.
    var accessLog = platform.frontDoor().orElseThrow().accessLog();
    List<String> names =
        Stream.of("ws-connect", "ws-subscribe", "relay-message")
            .map(f -> platform.function(f).name())
            .toList();
    assertThat(accessLog.denials()).filteredOn(d -> names.contains(d.function())).isEmpty();
    assertThat(accessLog.used())
        .as("the relay's posts went through the front door as execute-api calls")
        .anyMatch(u -> u.action().equals("execute-api:ManageConnections"));
  }

  /** Every platform log message in the log store (gzip NDJSON objects), read through S3. */
  private static List<String> deliveredLogs() throws IOException {
    String bucket = com.cdp.local.platform.logging.LocalLogStore.bucket();
    List<String> messages = new ArrayList<>();
    for (var object : platform.s3().listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
      byte[] bytes =
          platform.s3().getObjectAsBytes(r -> r.bucket(bucket).key(object.key())).asByteArray();
      messages.addAll(readMaybeGzipped(bytes).lines().toList());
    }
    return messages;
  }

  private static String readMaybeGzipped(byte[] bytes) throws IOException {
    if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.EOFException | java.util.zip.ZipException partial) {
        // an object still being written: scan what it holds as it is
      }
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Writes to two streams: the console and the captured copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      synchronized (second) {
        second.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }
}
