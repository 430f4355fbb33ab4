package com.cdp.realtime.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.access.AccountOwnership;
import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.retry.Backoff;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.event.Topic;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.Session;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.MutableClock;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

@ExtendWith(StandInsExtension.class)
class RelayServiceTest {
  private final StandIns standIns;
  private final RealtimeStore store;
  private final SessionService sessions;
  private final OrganizationId org = TestIds.org();
  private final OrganizationId otherOrg = TestIds.org();
  private final MemberId alice = MemberId.of("alice");
  private final MemberId bob = MemberId.of("bob");
  private final ExecutorService pool = RelayHandler.postingPool(4);
  private FakeConnectionsApi api;
  private ApiGatewayManagementApiClient client;
  private final InMemoryLogPublisher logs = new InMemoryLogPublisher();

  RelayServiceTest(StandIns standIns) {
    this.standIns = standIns;
    this.store =
        new RealtimeStore(
            standIns.dynamoDb(), standIns.tableName(Tables.REALTIME), Clock.systemUTC());
    this.sessions =
        new SessionService(
            standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), Clock.systemUTC());
  }

  /** alice owns acct-1 in org (the account every helper event is about). */
  @BeforeEach
  void recordOwners() {
    own(org, alice, "acct-1");
  }

  private void own(OrganizationId o, MemberId m, String account) {
    standIns
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    Map.of(
                        standIns.tableName(Tables.WAREHOUSE),
                        AccountOwnership.writes(o, m, AccountId.of(account)))));
  }

  @BeforeEach
  void startApi() throws Exception {
    api = new FakeConnectionsApi();
    client =
        AwsClients.build(ApiGatewayManagementApiClient.builder(), AwsTarget.local(api.endpoint()));
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
    pool.shutdownNow();
  }

  private RelayService relay(RealtimeStore withStore, Duration goneGrace) {
    return relay(withStore, goneGrace, 4);
  }

  private RelayService relay(RealtimeStore withStore, Duration goneGrace, int throttleAttempts) {
    return new RelayService(
        withStore,
        AccountOwners.warehouse(standIns.dynamoDb(), standIns.tableName(Tables.WAREHOUSE)),
        new ConnectionsApi(client),
        pool,
        new RelayService.Settings(
            Duration.ofMinutes(1),
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), throttleAttempts, d -> {}),
            goneGrace),
        Clock.systemUTC());
  }

  private RelayService relay() {
    return relay(store, Duration.ZERO);
  }

  private Session session(OrganizationId o, MemberId m) {
    return sessions.create(o, m, Duration.ofHours(1)).session();
  }

  /** A connection recorded by $connect and open at the (fake) gateway. */
  private String connect(Session session) {
    return connect(session, Instant.now(), true);
  }

  private String connect(Session session, Instant connectedAt, boolean open) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 14) + "=";
    store.putConnection(new WsConnection(id, session, connectedAt));
    if (open) {
      api.open(id);
    }
    return id;
  }

  private static String event(
      OrganizationId org, MemberId member, Topic topic, String eventId, Map<String, ?> extra) {
    ObjectNode detail = Json.object();
    detail.put("organizationId", org.value());
    detail.put("eventId", eventId);
    detail.put("memberId", member.value());
    detail.put("accountId", "acct-1");
    extra.forEach((k, v) -> detail.set(k, Json.mapper().valueToTree(v)));
    ObjectNode event = Json.object();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", topic.detailType());
    event.put("source", "cdp.platform");
    event.put("time", "2026-11-28T10:00:00Z");
    event.set("detail", detail);
    return Json.write(event);
  }

  private static String transactionAdded(OrganizationId org, MemberId member, String eventId) {
    return event(
        org,
        member,
        Topic.ACCOUNT_TRANSACTION_ADDED,
        eventId,
        Map.of("transactionIds", List.of("t1", "t2"), "count", 2));
  }

  @Test
  void relay_sendsOnlyToSubscribedConnectionsOfTheMemberTheEventIsAbout() {
    Session a1 = session(org, alice);
    Session a2 = session(org, alice);
    Session b = session(org, bob);
    Session otherA = session(otherOrg, alice);
    Session aUnsubscribed = session(org, alice);
    for (Session s : List.of(a1, a2, b, otherA)) {
      store.subscribe(s, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    }
    store.subscribe(aUnsubscribed, List.of(Topic.ACCOUNT_BALANCE_UPDATED));
    String a1c1 = connect(a1);
    String a1c2 = connect(a1);
    String a2c1 = connect(a2);
    String bc = connect(b);
    String otherAc = connect(otherA);
    String unsubscribedC = connect(aUnsubscribed);
    String eventId = UUID.randomUUID().toString();

    RelayService.Outcome outcome = relay().relay(transactionAdded(org, alice, eventId));

    assertThat(outcome.status()).isEqualTo(RelayService.Status.RELAYED);
    assertThat(outcome.recipients()).isEqualTo(3);
    assertThat(outcome.delivered()).isEqualTo(3);
    for (String c : List.of(a1c1, a1c2, a2c1)) {
      assertThat(api.received(c)).hasSize(1);
      JsonNode frame = Json.tree(api.received(c).get(0));
      assertThat(frame.path("type").asText()).isEqualTo("event");
      assertThat(frame.path("topic").asText()).isEqualTo("account_transactionadded");
      assertThat(frame.path("eventId").asText()).isEqualTo(eventId);
      assertThat(frame.path("time").asText()).isEqualTo("2026-11-28T10:00:00Z");
      assertThat(frame.path("data").path("transactionIds").size()).isEqualTo(2);
      assertThat(frame.has("truncated")).isFalse();
    }
    for (String c : List.of(bc, otherAc, unsubscribedC)) {
      assertThat(api.attempts(c)).isZero();
    }
  }

  @Test
  void relay_whenTheEventNamesAMemberWhoDoesNotOwnTheAccount_sendsToTheOwnersOnly() {
    Session owner = session(org, alice);
    Session named = session(org, bob);
    store.subscribe(owner, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    store.subscribe(named, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String ownerC = connect(owner);
    String namedC = connect(named);

    // The event is about acct-1 (alice's) but names bob: a memberId is not proof of ownership.
    RelayService.Outcome outcome =
        relay().relay(transactionAdded(org, bob, UUID.randomUUID().toString()));

    assertThat(outcome.recipients()).isEqualTo(1);
    assertThat(api.received(ownerC)).hasSize(1);
    assertThat(api.attempts(namedC)).isZero();
  }

  @Test
  void relay_whenTheAccountIsJoint_sendsToEveryOwnerInTheOrganization() {
    MemberId carol = MemberId.of("carol");
    own(org, alice, "acct-joint");
    own(org, bob, "acct-joint");
    own(otherOrg, carol, "acct-joint");
    Session a = session(org, alice);
    Session b = session(org, bob);
    Session c = session(otherOrg, carol);
    Session cHere = session(org, carol);
    for (Session s : List.of(a, b, c, cHere)) {
      store.subscribe(s, List.of(Topic.ACCOUNT_BALANCE_UPDATED));
    }
    String ac = connect(a);
    String bc = connect(b);
    String cc = connect(c);
    String cHereC = connect(cHere);
    ObjectNode event =
        (ObjectNode)
            Json.tree(
                event(
                    org,
                    carol,
                    Topic.ACCOUNT_BALANCE_UPDATED,
                    UUID.randomUUID().toString(),
                    Map.of("balance", "10.00", "updatedAt", "2026-11-28T10:00:00Z")));
    ((ObjectNode) event.get("detail")).put("accountId", "acct-joint");

    RelayService.Outcome outcome = relay().relay(Json.write(event));

    assertThat(outcome.recipients()).isEqualTo(2);
    assertThat(api.received(ac)).hasSize(1);
    assertThat(api.received(bc)).hasSize(1);
    assertThat(api.attempts(cc)).isZero();
    assertThat(api.attempts(cHereC)).isZero();
  }

  @Test
  void lookup_checksExpiryOnRead_connectionsPastTwoHoursAndExpiredSessionsGetNothing() {
    Session live = session(org, alice);
    Session expired =
        new SessionService(
                standIns.dynamoDb(),
                standIns.tableName(Tables.SESSIONS),
                Clock.fixed(Instant.now().minus(Duration.ofHours(1)), java.time.ZoneOffset.UTC))
            .create(org, alice, Duration.ofMinutes(5))
            .session();
    store.subscribe(live, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    store.subscribe(expired, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String current = connect(live);
    String tooOld = connect(live, Instant.now().minus(Duration.ofHours(2)).minusSeconds(1), true);
    String ofExpiredSession = connect(expired);

    RelayService.Outcome outcome =
        relay().relay(transactionAdded(org, alice, UUID.randomUUID().toString()));

    assertThat(outcome.recipients()).isEqualTo(1);
    assertThat(api.received(current)).hasSize(1);
    assertThat(api.attempts(tooOld)).isZero();
    assertThat(api.attempts(ofExpiredSession)).isZero();
  }

  @Test
  void relay_whenTheSameEventIdArrivesAgain_sendsItOnce() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    String event = transactionAdded(org, alice, UUID.randomUUID().toString());

    RelayService.Outcome first = relay().relay(event);
    RelayService.Outcome second = relay().relay(event);

    assertThat(first.status()).isEqualTo(RelayService.Status.RELAYED);
    assertThat(second.status()).isEqualTo(RelayService.Status.DUPLICATE);
    assertThat(api.received(c)).hasSize(1);
  }

  @Test
  void relay_whenAConnectionIsGone_deletesItsRecordsAndStillDeliversToTheOthers() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String vanished = connect(a, Instant.now().minusSeconds(120), false);
    String live = connect(a);

    RelayService.Outcome outcome =
        relay(store, Duration.ofSeconds(30))
            .relay(transactionAdded(org, alice, UUID.randomUUID().toString()));

    assertThat(outcome.gone()).isEqualTo(1);
    assertThat(outcome.cleanedUp()).isEqualTo(1);
    assertThat(outcome.delivered()).isEqualTo(1);
    assertThat(api.received(live)).hasSize(1);
    assertThat(store.connection(vanished)).isEmpty();
    assertThat(store.recipients(org, alice, Topic.ACCOUNT_TRANSACTION_ADDED))
        .extracting(r -> r.connectionId())
        .containsExactly(live);
    assertThat(store.subscriptions(a)).containsExactly(Topic.ACCOUNT_TRANSACTION_ADDED);
  }

  @Test
  void relay_whenAConnectionIsGoneWithinTheConnectGrace_keepsItsRecords() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String connecting = connect(a, Instant.now(), false);

    RelayService.Outcome outcome =
        relay(store, Duration.ofSeconds(30))
            .relay(transactionAdded(org, alice, UUID.randomUUID().toString()));

    assertThat(outcome.gone()).isEqualTo(1);
    assertThat(outcome.cleanedUp()).isZero();
    assertThat(store.connection(connecting)).isPresent();
  }

  @Test
  void relay_whenPostsAreThrottled_retriesWithBackoffUntilDelivered() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    // More 429s than the SDK retries by itself, so the relay's own backoff rounds are needed too.
    api.script(c, 429, 429, 429, 429, 429, 429);

    RelayService.Outcome outcome =
        relay().relay(transactionAdded(org, alice, UUID.randomUUID().toString()));

    assertThat(outcome.delivered()).isEqualTo(1);
    assertThat(outcome.throttled()).isZero();
    assertThat(api.received(c)).hasSize(1);
    assertThat(api.attempts(c)).isEqualTo(7);
  }

  @Test
  void relay_whenAConnectionStaysThrottled_givesUpOnItKeepsItsRecordsAndReachesTheOthers() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String throttled = connect(a);
    String fine = connect(a);
    Integer[] always = new Integer[40];
    java.util.Arrays.fill(always, 429);
    api.script(throttled, always);

    // Two rounds of the SDK's own throttling retries (each waits with its backoff).
    RelayService.Outcome outcome =
        relay(store, Duration.ZERO, 2)
            .relay(transactionAdded(org, alice, UUID.randomUUID().toString()));

    assertThat(outcome.throttled()).isEqualTo(1);
    assertThat(api.attempts(throttled)).isEqualTo(8);
    assertThat(outcome.delivered()).isEqualTo(1);
    assertThat(api.received(fine)).hasSize(1);
    assertThat(store.connection(throttled)).isPresent();
  }

  @Test
  void relay_whenTheEventExceeds128KB_sendsACompactNotificationWithTheIds() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    List<String> ids =
        java.util.stream.IntStream.range(0, 8000)
            .mapToObj(i -> "txn-" + i + "-abcdefghij")
            .toList();
    String eventId = UUID.randomUUID().toString();
    String event =
        event(
            org,
            alice,
            Topic.ACCOUNT_TRANSACTION_ADDED,
            eventId,
            Map.of("transactionIds", ids, "count", ids.size()));
    assertThat(event.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(128 * 1024);

    RelayService.Outcome outcome = relay().relay(event);

    assertThat(outcome.compact()).isTrue();
    assertThat(outcome.delivered()).isEqualTo(1);
    JsonNode frame = Json.tree(api.received(c).get(0));
    assertThat(frame.path("truncated").asBoolean()).isTrue();
    assertThat(frame.path("eventId").asText()).isEqualTo(eventId);
    assertThat(frame.path("topic").asText()).isEqualTo("account_transactionadded");
    JsonNode data = frame.path("data");
    assertThat(data.path("organizationId").asText()).isEqualTo(org.value());
    assertThat(data.path("memberId").asText()).isEqualTo("alice");
    assertThat(data.path("accountId").asText()).isEqualTo("acct-1");
    assertThat(data.path("count").asInt()).isEqualTo(8000);
    assertThat(data.has("transactionIds")).isFalse();
    assertThat(api.received(c).get(0).getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(128 * 1024);
  }

  @Test
  void relay_whenTheEventLacksAMemberOrEventId_ignoresItWithoutThrowing() {
    ObjectNode event = (ObjectNode) Json.tree(transactionAdded(org, alice, "e-1"));
    ((ObjectNode) event.get("detail")).remove("memberId");
    RelayService.Outcome noMember = relay().relay(Json.write(event));
    ((ObjectNode) event.get("detail")).put("memberId", "alice").remove("eventId");
    RelayService.Outcome noEventId = relay().relay(Json.write(event));
    event.put("detail-type", "platform_account_transactionadded");
    RelayService.Outcome wrongTopic = relay().relay(Json.write(event));
    RelayService.Outcome notJson = relay().relay("{not json");

    assertThat(List.of(noMember, noEventId, wrongTopic))
        .extracting(RelayService.Outcome::status)
        .containsOnly(RelayService.Status.IGNORED);
    assertThat(noMember.reason()).contains("member_id");
    assertThat(noEventId.reason()).contains("invalid_event_id");
    assertThat(notJson.status()).isEqualTo(RelayService.Status.IGNORED);
  }

  @Test
  void relay_whenTheLookupFails_givesTheClaimBackSoTheRetryDelivers() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    AtomicBoolean failQueries = new AtomicBoolean(true);
    DynamoDbClient failing =
        DynamoDbClient.builder()
            .endpointOverride(standIns.dynamoDbTarget().endpoint().orElseThrow())
            .region(standIns.dynamoDbTarget().region())
            .credentialsProvider(standIns.dynamoDbTarget().credentials())
            .httpClient(AwsClients.httpClient())
            .overrideConfiguration(
                o ->
                    o.addExecutionInterceptor(
                        new ExecutionInterceptor() {
                          @Override
                          public void beforeExecution(
                              Context.BeforeExecution context, ExecutionAttributes attributes) {
                            if (context.request() instanceof QueryRequest && failQueries.get()) {
                              throw new IllegalStateException("injected: DynamoDB unavailable");
                            }
                          }
                        }))
            .build();
    RealtimeStore flaky =
        new RealtimeStore(failing, standIns.tableName(Tables.REALTIME), Clock.systemUTC());
    String event = transactionAdded(org, alice, UUID.randomUUID().toString());

    assertThatThrownBy(() -> relay(flaky, Duration.ZERO).relay(event))
        .hasMessageContaining("injected");
    assertThat(api.attempts(c)).isZero();
    failQueries.set(false);
    RelayService.Outcome retry = relay(flaky, Duration.ZERO).relay(event);

    assertThat(retry.status()).isEqualTo(RelayService.Status.RELAYED);
    assertThat(api.received(c)).hasSize(1);
    failing.close();
  }

  /** Stands for the invocation being killed (timeout, out of memory): nothing after it runs. */
  private static final class Killed extends Error {
    Killed() {
      super("injected: the invocation was killed");
    }
  }

  /**
   * A store whose client kills the invocation on the first update of an event claim (the relay's
   * completion), after the event was kept: what a timeout between the two does.
   */
  private DynamoDbClient killingCompletion(AtomicBoolean kill) {
    return killingOn(
        kill,
        request ->
            request instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u
                && u.key().get(Tables.PK).s().startsWith("EVENT#"));
  }

  /** A client that kills the invocation on the first request {@code when} matches. */
  private DynamoDbClient killingOn(
      AtomicBoolean kill,
      java.util.function.Predicate<software.amazon.awssdk.core.SdkRequest> when) {
    return DynamoDbClient.builder()
        .endpointOverride(standIns.dynamoDbTarget().endpoint().orElseThrow())
        .region(standIns.dynamoDbTarget().region())
        .credentialsProvider(standIns.dynamoDbTarget().credentials())
        .httpClient(AwsClients.httpClient())
        .overrideConfiguration(
            o ->
                o.addExecutionInterceptor(
                    new ExecutionInterceptor() {
                      @Override
                      public void beforeExecution(
                          Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (when.test(context.request()) && kill.getAndSet(false)) {
                          throw new Killed();
                        }
                      }
                    }))
        .build();
  }

  private RelayService timedRelay(DynamoDbClient dynamoDb, MutableClock clock) {
    return new RelayService(
        new RealtimeStore(dynamoDb, standIns.tableName(Tables.REALTIME), clock),
        AccountOwners.warehouse(standIns.dynamoDb(), standIns.tableName(Tables.WAREHOUSE)),
        new ConnectionsApi(client),
        pool,
        new RelayService.Settings(
            Duration.ofMinutes(1),
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 4, d -> {}),
            Duration.ZERO),
        clock);
  }

  @Test
  void relay_whenKilledBeforeKeepingAndRetriedAfterTheClaimLease_keepsAndSendsTheEventOnce() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    MutableClock clock = new MutableClock(Instant.now());
    AtomicBoolean kill = new AtomicBoolean(true);
    DynamoDbClient killing =
        killingOn(
            kill,
            request ->
                request instanceof software.amazon.awssdk.services.dynamodb.model.PutItemRequest p
                    && p.item().get(Tables.SK).s().startsWith("SEQ#"));
    RelayService relay = timedRelay(killing, clock);
    String eventId = UUID.randomUUID().toString();
    String event = transactionAdded(org, alice, eventId);

    assertThatThrownBy(() -> relay.relay(event)).isInstanceOf(Killed.class);
    assertThat(relay.pump().streams().after(org, alice, 0, 100)).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    RelayService.Outcome retry = relay.relay(event);

    List<MemberStreams.Kept> kept = relay.pump().streams().after(org, alice, 0, 100);
    assertThat(kept).extracting(MemberStreams.Kept::eventId).containsExactly(eventId);
    assertThat(retry.status()).isEqualTo(RelayService.Status.RELAYED);
    assertThat(retry.seq()).isEqualTo(kept.get(0).seq());
    assertThat(api.received(c)).hasSize(1);
    killing.close();
  }

  @Test
  void relay_whenKilledAfterKeepingAndRetriedAfterTheClaimLease_keepsAndSendsTheEventOnce() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    MutableClock clock = new MutableClock(Instant.now());
    AtomicBoolean kill = new AtomicBoolean(true);
    DynamoDbClient killing = killingCompletion(kill);
    RelayService relay = timedRelay(killing, clock);
    String eventId = UUID.randomUUID().toString();
    String event = transactionAdded(org, alice, eventId);

    assertThatThrownBy(() -> relay.relay(event)).isInstanceOf(Killed.class);
    clock.advance(Duration.ofMinutes(2)); // the platform's second async retry, past the lease
    RelayService.Outcome retry = relay.relay(event);

    List<MemberStreams.Kept> kept = relay.pump().streams().after(org, alice, 0, 100);
    assertThat(kept).extracting(MemberStreams.Kept::eventId).containsExactly(eventId);
    assertThat(retry.seq()).isEqualTo(kept.get(0).seq());
    assertThat(api.received(c)).hasSize(1);
    assertThat(relay.relay(event).status()).isEqualTo(RelayService.Status.DUPLICATE);
    assertThat(api.received(c)).hasSize(1);
    killing.close();
  }

  @Test
  void relay_whenTheOwnerLookupFails_theRetryStillKeepsAndDeliversTheEvent() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    AtomicBoolean failLookup = new AtomicBoolean(true);
    AccountOwners warehouse =
        AccountOwners.warehouse(standIns.dynamoDb(), standIns.tableName(Tables.WAREHOUSE));
    AccountOwners flakyOwners =
        (o, account) -> {
          if (failLookup.get()) {
            throw new IllegalStateException("injected: warehouse unavailable");
          }
          return warehouse.ownersOf(o, account);
        };
    RelayService flaky =
        new RelayService(
            store,
            flakyOwners,
            new ConnectionsApi(client),
            pool,
            new RelayService.Settings(
                Duration.ofMinutes(1),
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 4, d -> {}),
                Duration.ZERO),
            Clock.systemUTC());
    String event = transactionAdded(org, alice, UUID.randomUUID().toString());

    assertThatThrownBy(() -> flaky.relay(event)).hasMessageContaining("injected");
    failLookup.set(false);
    RelayService.Outcome retry = flaky.relay(event); // EventBridge's retry, well within the lease

    assertThat(retry.status()).isEqualTo(RelayService.Status.RELAYED);
    assertThat(api.received(c)).hasSize(1);
  }

  @Test
  void handler_logsOneContainerMessagePerEventUnderTheDetailsTransactionId() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    connect(a);
    String eventId = UUID.randomUUID().toString();
    RelayHandler handler = new RelayHandler(relay(), PlatformLogger.inMemory(logs));

    // The flow's id travels in the detail (the loader that published the event set it).
    String flow = UUID.randomUUID().toString();
    com.fasterxml.jackson.databind.node.ObjectNode event =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.tree(transactionAdded(org, alice, eventId));
    ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail"))
        .put("transactionId", flow);

    handler.handle(event.toString());

    assertThat(logs.messages()).hasSize(1);
    JsonNode message = Json.tree(logs.messages().get(0));
    assertThat(message.path("logType").asText()).isEqualTo("container");
    assertThat(message.path("organizationID").asText()).isEqualTo(org.value());
    assertThat(message.path("transactionId").asText()).isEqualTo(flow);
    ArrayNode events = (ArrayNode) message.path("events");
    assertThat(events.get(0).path("detail").path("delivered").asInt()).isEqualTo(1);
    assertThat(events.get(0).path("success").asBoolean()).isTrue();
  }

  @Test
  void handler_logsOneDeliveryEventPerMemberStream_withItsSeqAndConnections() {
    own(org, alice, "acct-joint");
    own(org, bob, "acct-joint");
    Session a = session(org, alice);
    Session b = session(org, bob);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    store.subscribe(b, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    connect(a);
    connect(a);
    connect(b);
    ObjectNode event = (ObjectNode) Json.tree(transactionAdded(org, alice, "e-joint"));
    ((ObjectNode) event.get("detail")).put("accountId", "acct-joint");
    RelayHandler handler = new RelayHandler(relay(), PlatformLogger.inMemory(logs));

    handler.handle(event.toString());

    ArrayNode events = (ArrayNode) Json.tree(logs.messages().get(0)).path("events");
    assertThat(events.get(0).path("action").asText()).isEqualTo("relay");
    List<JsonNode> deliveries = new java.util.ArrayList<>();
    events.forEach(
        e -> {
          if (e.path("action").asText().equals("deliver")) {
            deliveries.add(e);
          }
        });
    assertThat(deliveries).hasSize(2).allMatch(e -> e.path("type").asText().equals("event"));
    Map<String, JsonNode> byMember = new java.util.HashMap<>();
    deliveries.forEach(e -> byMember.put(e.path("detail").path("memberId").asText(), e));
    assertThat(byMember.get(alice.value()).path("detail").path("connections").asInt()).isEqualTo(2);
    assertThat(byMember.get(alice.value()).path("detail").path("delivered").asInt()).isEqualTo(2);
    assertThat(byMember.get(bob.value()).path("detail").path("delivered").asInt()).isEqualTo(1);
    assertThat(byMember.get(alice.value()).path("detail").path("seq").asLong()).isPositive();
  }

  @Test
  void relay_listsAtMostMaxListedDeliveries_andCountsTheRest() {
    int members = RelayService.MAX_LISTED_DELIVERIES + 3;
    for (int i = 0; i < members; i++) {
      own(org, MemberId.of("owner-" + i), "acct-many");
    }
    ObjectNode event = (ObjectNode) Json.tree(transactionAdded(org, alice, "e-many"));
    ((ObjectNode) event.get("detail")).put("accountId", "acct-many");

    RelayService.Outcome outcome = relay().relay(Json.write(event));

    assertThat(outcome.deliveries()).hasSize(RelayService.MAX_LISTED_DELIVERIES);
    assertThat(outcome.deliveriesNotListed()).isEqualTo(3);
  }

  private static String withSource(String eventJson, String source) {
    ObjectNode event = (ObjectNode) Json.tree(eventJson);
    event.put("source", source);
    return Json.write(event);
  }

  @Test
  void relay_whenAnotherOrganizationUsesTheSameEventId_relaysBoth() {
    own(otherOrg, alice, "acct-1");
    Session a = session(org, alice);
    Session other = session(otherOrg, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    store.subscribe(other, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    String otherC = connect(other);
    String eventId = "evt-" + UUID.randomUUID();

    RelayService.Outcome first = relay().relay(transactionAdded(otherOrg, alice, eventId));
    RelayService.Outcome second = relay().relay(transactionAdded(org, alice, eventId));

    assertThat(first.status()).isEqualTo(RelayService.Status.RELAYED);
    assertThat(second.status()).isEqualTo(RelayService.Status.RELAYED);
    assertThat(api.received(otherC)).hasSize(1);
    assertThat(api.received(c)).hasSize(1);
  }

  @Test
  void relay_whenAnotherSourceOfTheSameOrganizationUsesTheSameEventId_relaysBoth() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);
    String eventId = "evt-" + UUID.randomUUID();

    RelayService.Outcome first =
        relay().relay(withSource(transactionAdded(org, alice, eventId), "cdp.connector.x"));
    RelayService.Outcome second = relay().relay(transactionAdded(org, alice, eventId));

    assertThat(List.of(first.status(), second.status())).containsOnly(RelayService.Status.RELAYED);
    assertThat(api.received(c)).hasSize(2);
  }

  @Test
  void relay_passesAmountsThroughExactlyAsPublished() {
    own(org, alice, "a-1");
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_BALANCE_UPDATED));
    String c = connect(a);
    String detail =
        "{\"organizationId\":\""
            + org.value()
            + "\",\"eventId\":\"e-money\",\"memberId\":\"alice\",\"accountId\":\"a-1\","
            + "\"balance\":12345678901234.57,\"availableBalance\":10.00,\"fee\":0.10,"
            + "\"updatedAt\":\"2026-11-28T10:00:00Z\"}";
    String event =
        "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"account_balanceupdated\","
            + "\"source\":\"cdp.platform\",\"time\":\"2026-11-28T10:00:00Z\",\"detail\":"
            + detail
            + "}";

    relay().relay(event);

    String frame = api.received(c).get(0);
    assertThat(frame).contains("\"data\":" + detail);
  }

  @Test
  void relay_framesCarryTheMembersSeqAndTheEventsTransactionId() {
    Session a = session(org, alice);
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    String c = connect(a);

    for (int i = 0; i < 3; i++) {
      relay()
          .relay(
              event(
                  org,
                  alice,
                  Topic.ACCOUNT_TRANSACTION_ADDED,
                  UUID.randomUUID().toString(),
                  Map.of("transactionId", "flow-" + i)));
    }
    // Another member's account: its events are in bob's stream, not alice's.
    own(org, bob, "acct-bob");
    relay()
        .relay(
            event(
                org,
                bob,
                Topic.ACCOUNT_TRANSACTION_ADDED,
                UUID.randomUUID().toString(),
                Map.of("accountId", "acct-bob")));

    List<JsonNode> frames = api.received(c).stream().map(Json::tree).toList();
    assertThat(frames).extracting(f -> f.path("seq").asLong()).containsExactly(1L, 2L, 3L);
    assertThat(frames)
        .extracting(f -> f.path("transactionId").asText())
        .containsExactly("flow-0", "flow-1", "flow-2");
  }
}
