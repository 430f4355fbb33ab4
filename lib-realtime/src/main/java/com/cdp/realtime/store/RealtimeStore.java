package com.cdp.realtime.store;

import static com.cdp.model.table.Items.key;
import static com.cdp.model.table.Items.n;
import static com.cdp.model.table.Items.number;
import static com.cdp.model.table.Items.prefixQuery;
import static com.cdp.model.table.Items.s;
import static com.cdp.model.table.Items.str;

import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.realtime.RealtimeKeys;
import com.cdp.model.realtime.RealtimeTopics;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.Session;
import com.cdp.model.table.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Connections, subscriptions and event de-duplication in the realtime table (key formats in {@link
 * RealtimeKeys}). Plain conditional writes, no transactions; expiry is checked on every read since
 * DynamoDB's TTL deletes late.
 */
public final class RealtimeStore {
  /** TTL is set this long after an item stops mattering, so reads see it expire first. */
  public static final Duration TTL_MARGIN = Duration.ofMinutes(15);

  /** EventBridge retries an event for up to 24 hours: remember relayed events that long. */
  public static final Duration EVENT_RETENTION = Duration.ofHours(25);

  static final String ORGANIZATION = "organizationId";
  static final String MEMBER = "memberId";
  static final String SESSION = "sessionId";
  static final String SESSION_CREATED_AT = "sessionCreatedAt";
  static final String SESSION_EXPIRES_AT = "sessionExpiresAt";
  static final String CONNECTION = "connectionId";
  static final String CONNECTED_AT = "connectedAt";
  static final String EXPIRES_AT = "expiresAt";
  static final String TOPIC = "topic";
  static final String SUBSCRIBED_AT = "subscribedAt";
  static final String STATE = "state";
  static final String LEASE_UNTIL = "leaseUntil";
  static final String ADMITTED_FROM = "admittedFrom";

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Clock clock;

  public RealtimeStore(DynamoDbClient dynamoDb, String tableName, Clock clock) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(tableName, "tableName");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Clock clock() {
    return clock;
  }

  /** The member streams kept in the same table, with this replay window. */
  public MemberStreams streams(Duration window) {
    return new MemberStreams(dynamoDb, table, clock, window);
  }

  // ---- connections ----------------------------------------------------------------------------

  /**
   * Records a connection that takes every event live (it has no replay to wait for): its own item
   * and its entry under the session. Idempotent.
   */
  public void putConnection(WsConnection connection) {
    putConnection(connection, false);
  }

  /**
   * Records a connection; one {@code awaitingReplay} gets no live event until the member's stream
   * pump has replayed to it and admitted it ({@link #admit}). An entry without the attribute (such
   * as one recorded before streams existed) takes every event live.
   */
  public void putConnection(WsConnection connection, boolean awaitingReplay) {
    Session s = connection.session();
    long ttl = connection.expiresAt().plus(TTL_MARGIN).getEpochSecond();
    Map<String, AttributeValue> member = new HashMap<>();
    member.put(Tables.PK, s(RealtimeKeys.session(s.id())));
    member.put(Tables.SK, s(RealtimeKeys.sessionConnection(connection.connectionId())));
    member.put(CONNECTION, s(connection.connectionId()));
    member.put(ORGANIZATION, s(s.organization().value()));
    member.put(MEMBER, s(s.member().value()));
    member.put(CONNECTED_AT, n(connection.connectedAt().toEpochMilli()));
    member.put(EXPIRES_AT, n(connection.expiresAt().toEpochMilli()));
    member.put(SESSION_EXPIRES_AT, n(s.expiresAt().toEpochMilli()));
    member.put(Tables.TTL, n(ttl));
    if (awaitingReplay) {
      member.put(ADMITTED_FROM, n(Recipient.NOT_ADMITTED));
    }
    dynamoDb.putItem(r -> r.tableName(table).item(member));

    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, s(RealtimeKeys.connection(connection.connectionId())));
    item.put(Tables.SK, s(RealtimeKeys.META));
    item.put(ORGANIZATION, s(s.organization().value()));
    item.put(MEMBER, s(s.member().value()));
    item.put(SESSION, s(s.id()));
    item.put(SESSION_CREATED_AT, n(s.createdAt().toEpochMilli()));
    item.put(SESSION_EXPIRES_AT, n(s.expiresAt().toEpochMilli()));
    item.put(CONNECTED_AT, n(connection.connectedAt().toEpochMilli()));
    item.put(EXPIRES_AT, n(connection.expiresAt().toEpochMilli()));
    item.put(Tables.TTL, n(ttl));
    dynamoDb.putItem(r -> r.tableName(table).item(item));
  }

  /**
   * Records a new connection that is to get the events of its topics after {@code since}, or, with
   * no {@code since}, after the member stream's current end: a replay request first (so the pump
   * finds it whenever it finds the connection), then the connection, waiting for that replay.
   */
  public MemberStreams.Pending openConnection(
      WsConnection connection, MemberStreams streams, java.util.OptionalLong since) {
    Session s = connection.session();
    long from = since.isPresent() ? since.getAsLong() : streams.last(s.organization(), s.member());
    MemberStreams.Pending pending =
        streams.requestReplay(
            s.organization(),
            s.member(),
            connection.connectionId(),
            s.id(),
            from,
            connection.expiresAt());
    putConnection(connection, true);
    return pending;
  }

  /**
   * The connection with this id, if recorded (expired or not: callers decide with {@link
   * WsConnection#isLiveAt}).
   */
  public Optional<WsConnection> connection(String connectionId) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(
                            key(
                                RealtimeKeys.connection(WsConnection.checkId(connectionId)),
                                RealtimeKeys.META)))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    Session session =
        new Session(
            str(item, SESSION),
            OrganizationId.of(str(item, ORGANIZATION)),
            MemberId.of(str(item, MEMBER)),
            millis(item, SESSION_CREATED_AT),
            millis(item, SESSION_EXPIRES_AT));
    return Optional.of(new WsConnection(connectionId, session, millis(item, CONNECTED_AT)));
  }

  /** Removes a connection's records (its item and its entry under the session). Idempotent. */
  public void deleteConnection(String sessionId, String connectionId) {
    dynamoDb.deleteItem(
        r ->
            r.tableName(table)
                .key(
                    key(
                        RealtimeKeys.session(sessionId),
                        RealtimeKeys.sessionConnection(connectionId))));
    dynamoDb.deleteItem(
        r -> r.tableName(table).key(key(RealtimeKeys.connection(connectionId), RealtimeKeys.META)));
  }

  /**
   * The connection as the session's entry records it (what the relay reads), if it is still
   * recorded: its admission point is {@link Recipient#NOT_ADMITTED} until its replay is done.
   */
  public Optional<Recipient> sessionConnection(String sessionId, String connectionId) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(
                            key(
                                RealtimeKeys.session(sessionId),
                                RealtimeKeys.sessionConnection(connectionId))))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(millis(item, EXPIRES_AT))
        || !now.isBefore(millis(item, SESSION_EXPIRES_AT))) {
      return Optional.empty();
    }
    return Optional.of(
        new Recipient(
            connectionId, sessionId, millis(item, CONNECTED_AT), number(item, ADMITTED_FROM, 0)));
  }

  /**
   * Marks a connection live from {@code from}: it has every event of its topics up to there, and
   * the relay posts it the later ones. Only the member's stream pump calls this. False when the
   * connection's records are gone.
   */
  public boolean admit(String sessionId, String connectionId, long from) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(
                      key(
                          RealtimeKeys.session(sessionId),
                          RealtimeKeys.sessionConnection(connectionId)))
                  .updateExpression("SET #from = :from")
                  .conditionExpression("attribute_exists(#pk)")
                  .expressionAttributeNames(Map.of("#from", ADMITTED_FROM, "#pk", Tables.PK))
                  .expressionAttributeValues(Map.of(":from", n(from))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** The session's live connections, oldest first (for the per-session connection limit). */
  public List<Recipient> sessionConnections(String sessionId) {
    Instant now = clock.instant();
    List<Recipient> connections = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        queryAll(
            prefixQuery(table, RealtimeKeys.session(sessionId), RealtimeKeys.CONNECTION_PREFIX)
                .consistentRead(true)
                .build())) {
      if (now.isBefore(millis(item, EXPIRES_AT))) {
        connections.add(
            new Recipient(
                str(item, CONNECTION),
                sessionId,
                millis(item, CONNECTED_AT),
                number(item, ADMITTED_FROM, 0)));
      }
    }
    connections.sort(
        java.util.Comparator.comparing(Recipient::connectedAt)
            .thenComparing(Recipient::connectionId));
    return connections;
  }

  // ---- subscriptions --------------------------------------------------------------------------

  /** Subscribes the session to the topics (idempotent); returns all of its topics afterwards. */
  public List<Topic> subscribe(Session session, Collection<Topic> topics) {
    Instant now = clock.instant();
    for (Topic topic : new LinkedHashSet<>(topics)) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(Tables.PK, s(RealtimeKeys.session(session.id())));
      item.put(Tables.SK, s(RealtimeKeys.subscription(topic)));
      item.put(
          Tables.GSI1_PK,
          s(RealtimeKeys.memberTopic(session.organization(), session.member(), topic)));
      item.put(Tables.GSI1_SK, s(RealtimeKeys.session(session.id())));
      item.put(SESSION, s(session.id()));
      item.put(ORGANIZATION, s(session.organization().value()));
      item.put(MEMBER, s(session.member().value()));
      item.put(TOPIC, s(topic.detailType()));
      item.put(SUBSCRIBED_AT, n(now.toEpochMilli()));
      item.put(SESSION_EXPIRES_AT, n(session.expiresAt().toEpochMilli()));
      item.put(Tables.TTL, n(session.expiresAt().plus(TTL_MARGIN).getEpochSecond()));
      dynamoDb.putItem(r -> r.tableName(table).item(item));
    }
    return subscriptions(session);
  }

  /** Unsubscribes the session from the topics (idempotent); returns its remaining topics. */
  public List<Topic> unsubscribe(Session session, Collection<Topic> topics) {
    for (Topic topic : new LinkedHashSet<>(topics)) {
      dynamoDb.deleteItem(
          r ->
              r.tableName(table)
                  .key(key(RealtimeKeys.session(session.id()), RealtimeKeys.subscription(topic))));
    }
    return subscriptions(session);
  }

  /** The session's topics, in the order of {@link RealtimeTopics#SUBSCRIBABLE}. */
  public List<Topic> subscriptions(Session session) {
    return subscriptions(session.id());
  }

  /** The topics of the session with this id. */
  public List<Topic> subscriptions(String sessionId) {
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, AttributeValue> item :
        queryAll(
            prefixQuery(table, RealtimeKeys.session(sessionId), RealtimeKeys.SUBSCRIPTION_PREFIX)
                .consistentRead(true)
                .build())) {
      names.add(str(item, TOPIC));
    }
    return RealtimeTopics.SUBSCRIBABLE.stream()
        .filter(t -> names.contains(t.detailType()))
        .toList();
  }

  // ---- the relay's lookup ---------------------------------------------------------------------

  /**
   * The live connections of the member's sessions that are subscribed to the topic: one GSI1 query
   * for the subscribed sessions, one query per such session for its connections. Items of other
   * organizations or members can never match (the keys carry both, and both are checked again).
   */
  public List<Recipient> recipients(OrganizationId organization, MemberId member, Topic topic) {
    return recipients(organization, member, topic, Runnable::run);
  }

  /**
   * As {@link #recipients(OrganizationId, MemberId, Topic)}, querying the sessions' connections in
   * parallel on the executor (the caller's thread only waits, so a bounded pool cannot deadlock).
   */
  public List<Recipient> recipients(
      OrganizationId organization, MemberId member, Topic topic, Executor executor) {
    Instant now = clock.instant();
    List<String> sessions = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        queryAll(
            QueryRequest.builder()
                .tableName(table)
                .indexName(Tables.GSI1)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", Tables.GSI1_PK))
                .expressionAttributeValues(
                    Map.of(":pk", s(RealtimeKeys.memberTopic(organization, member, topic))))
                .build())) {
      if (belongsTo(item, organization, member) && now.isBefore(millis(item, SESSION_EXPIRES_AT))) {
        sessions.add(str(item, SESSION));
      }
    }
    List<CompletableFuture<List<Recipient>>> perSession = new ArrayList<>();
    for (String sessionId : sessions) {
      perSession.add(
          CompletableFuture.supplyAsync(
              () -> sessionRecipients(sessionId, organization, member, now), executor));
    }
    List<Recipient> recipients = new ArrayList<>();
    for (CompletableFuture<List<Recipient>> f : perSession) {
      try {
        recipients.addAll(f.join());
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    return recipients;
  }

  private List<Recipient> sessionRecipients(
      String sessionId, OrganizationId organization, MemberId member, Instant now) {
    List<Recipient> recipients = new ArrayList<>();
    // A consistent read: the pump admits a connection after its replay and then reads this to post
    // live; an eventually consistent read could still show it waiting, and it would miss that
    // round's events and get the next ones (a gap).
    for (Map<String, AttributeValue> item :
        queryAll(
            prefixQuery(table, RealtimeKeys.session(sessionId), RealtimeKeys.CONNECTION_PREFIX)
                .consistentRead(true)
                .build())) {
      boolean live =
          now.isBefore(millis(item, EXPIRES_AT)) && now.isBefore(millis(item, SESSION_EXPIRES_AT));
      if (live && belongsTo(item, organization, member)) {
        recipients.add(
            new Recipient(
                str(item, CONNECTION),
                sessionId,
                millis(item, CONNECTED_AT),
                number(item, ADMITTED_FROM, 0)));
      }
    }
    return recipients;
  }

  private static boolean belongsTo(
      Map<String, AttributeValue> item, OrganizationId organization, MemberId member) {
    return organization.value().equals(str(item, ORGANIZATION))
        && member.value().equals(str(item, MEMBER));
  }

  // ---- event de-duplication -------------------------------------------------------------------

  /** The outcome of claiming an event for relaying. */
  public enum EventClaim {
    /** Nobody relayed it yet (or a previous attempt's lease ran out): relay it. */
    CLAIMED,
    /** Already relayed, or being relayed right now: skip it. */
    DUPLICATE
  }

  /**
   * Claims an event id with a conditional put. A claim that was never completed (the relay died)
   * can be taken over once its lease has passed, so a crash does not lose the event.
   */
  public EventClaim claimEvent(
      OrganizationId organization, String source, String eventId, Duration lease) {
    Instant now = clock.instant();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, s(RealtimeKeys.event(organization, source, eventId)));
    item.put(Tables.SK, s(RealtimeKeys.EVENT_SK));
    item.put(STATE, s("PROCESSING"));
    item.put(LEASE_UNTIL, n(now.plus(lease).toEpochMilli()));
    item.put(Tables.TTL, n(now.plus(EVENT_RETENTION).getEpochSecond()));
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(table)
                  .item(item)
                  .conditionExpression(
                      "attribute_not_exists(#pk) OR #ttl < :nowSeconds"
                          + " OR (#state = :processing AND #lease < :nowMillis)")
                  .expressionAttributeNames(
                      Map.of(
                          "#pk",
                          Tables.PK,
                          "#ttl",
                          Tables.TTL,
                          "#state",
                          STATE,
                          "#lease",
                          LEASE_UNTIL))
                  .expressionAttributeValues(
                      Map.of(
                          ":nowSeconds", n(now.getEpochSecond()),
                          ":nowMillis", n(now.toEpochMilli()),
                          ":processing", s("PROCESSING"))));
      return EventClaim.CLAIMED;
    } catch (ConditionalCheckFailedException e) {
      return EventClaim.DUPLICATE;
    }
  }

  /** Marks a claimed event as relayed: later deliveries of it are duplicates. */
  public void completeEvent(OrganizationId organization, String source, String eventId) {
    dynamoDb.updateItem(
        r ->
            r.tableName(table)
                .key(key(RealtimeKeys.event(organization, source, eventId), RealtimeKeys.EVENT_SK))
                .updateExpression("SET #state = :done REMOVE #lease")
                .expressionAttributeNames(Map.of("#state", STATE, "#lease", LEASE_UNTIL))
                .expressionAttributeValues(Map.of(":done", s("DONE"))));
  }

  /** Gives a claim back (nothing was sent), so a retry of the event relays it. */
  public void releaseEvent(OrganizationId organization, String source, String eventId) {
    dynamoDb.deleteItem(
        r ->
            r.tableName(table)
                .key(
                    key(RealtimeKeys.event(organization, source, eventId), RealtimeKeys.EVENT_SK)));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private List<Map<String, AttributeValue>> queryAll(QueryRequest request) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest page =
          start == null ? request : request.toBuilder().exclusiveStartKey(start).build();
      QueryResponse response = dynamoDb.query(page);
      items.addAll(response.items());
      start =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
    } while (start != null);
    return items;
  }

  private static Instant millis(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(v.n()));
  }
}
