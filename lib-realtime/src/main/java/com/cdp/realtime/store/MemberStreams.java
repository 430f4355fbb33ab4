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
import com.cdp.model.table.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The per-member event streams in the realtime table (keys in {@link RealtimeKeys}): the kept
 * events with their positions ({@code seq}), the pump's head and lease, and the connections waiting
 * for a replay. See docs/realtime.md, "Continuity", for how the pieces fit.
 *
 * <p>A position is taken by a conditional put of {@code SEQ#{n}} ({@code attribute_not_exists}):
 * the write that keeps the event is the one that claims its number, so there is never a number
 * handed out without its event (no hole a reader would have to wait on), and two appenders racing
 * for the same number end with one of them taking the next.
 */
public final class MemberStreams {
  /** The replay window when none is configured. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  static final String SEQ = "seq";
  static final String TOPIC = "topic";
  static final String EVENT_ID = "eventId";
  static final String FRAME = "frame";
  static final String PUMPED = "pumped";
  static final String LEASE_OWNER = "leaseOwner";
  static final String LEASE_UNTIL = "leaseUntil";
  static final String NUDGES = "nudges";
  static final String CONNECTION = "connectionId";
  static final String SESSION = "sessionId";
  static final String SINCE = "since";
  static final String REQUESTED_AT = "requestedAt";
  static final String FROM = "from";

  /** A kept event: its position, topic and the frame that was (or is to be) sent. */
  public record Kept(long seq, Topic topic, String eventId, String frame, Instant expiresAt) {}

  /** A connection waiting for the events of its session's topics after {@code since}. */
  public record Pending(String connectionId, String sessionId, long since, Instant requestedAt) {}

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Clock clock;
  private final Duration window;

  public MemberStreams(DynamoDbClient dynamoDb, String tableName, Clock clock, Duration window) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(tableName, "tableName");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the replay window must be positive");
    }
  }

  public Duration window() {
    return window;
  }

  // ---- appending --------------------------------------------------------------------------------

  /**
   * Keeps an event at the next position of the member's stream and returns the position, or the
   * position it was kept at already: an event ({@code source}, {@code eventId}) is kept at most
   * once per member stream, whatever happened to an earlier attempt. {@code frame} builds the frame
   * to keep for a position (the frame carries its own {@code seq}).
   *
   * <p>Before taking a position, the keeper writes a marker {@code KEPT#{source}#{eventId}} (a
   * conditional put, with the replay window's TTL) holding the stream's last position at that
   * moment: the event can only be kept after it. A keeper that finds the marker there (an earlier
   * attempt, killed or failed after writing it, the relay's claim lease having run out) looks for
   * the event among the kept events after that position and returns its position if it is there;
   * only if it is not (the attempt died before keeping it) does it keep it. That costs one small
   * write per kept event, and a read of the positions taken since the first attempt only on such a
   * retry. It relies on the earlier attempt being over when its claim lease has run out (the lease
   * is the relay's timeout): DynamoDB Local's stand-in has no transactions to make the marker and
   * the kept event one write.
   */
  public long append(
      OrganizationId organization,
      MemberId member,
      Topic topic,
      String source,
      String eventId,
      LongFunction<String> frame) {
    String pk = RealtimeKeys.stream(organization, member);
    long last = last(organization, member);
    Instant now = clock.instant();
    OptionalLong kept = markKeeping(pk, source, eventId, last, now);
    if (kept.isPresent()) {
      return kept.getAsLong();
    }
    long seq = last + 1;
    while (true) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(Tables.PK, s(pk));
      item.put(Tables.SK, s(RealtimeKeys.seq(seq)));
      item.put(SEQ, n(seq));
      item.put(TOPIC, s(topic.detailType()));
      item.put(EVENT_ID, s(eventId));
      item.put(FRAME, s(frame.apply(seq)));
      item.put(Tables.TTL, n(now.plus(window).getEpochSecond()));
      try {
        dynamoDb.putItem(
            r ->
                r.tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", Tables.PK)));
        return seq;
      } catch (ConditionalCheckFailedException e) {
        // Another relay took this position a moment ago: take the next one.
        seq++;
      }
    }
  }

  /**
   * Writes the event's marker, or, when an earlier attempt wrote it, finds the position that
   * attempt kept the event at (empty when it did not keep it: the caller keeps it now).
   */
  private OptionalLong markKeeping(
      String pk, String source, String eventId, long last, Instant now) {
    Map<String, AttributeValue> marker = new HashMap<>();
    marker.put(Tables.PK, s(pk));
    marker.put(Tables.SK, s(RealtimeKeys.kept(source, eventId)));
    marker.put(FROM, n(last));
    marker.put(Tables.TTL, n(now.plus(window).getEpochSecond()));
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(table)
                  .item(marker)
                  .conditionExpression("attribute_not_exists(#pk) OR #ttl < :now")
                  .expressionAttributeNames(Map.of("#pk", Tables.PK, "#ttl", Tables.TTL))
                  .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
      return OptionalLong.empty();
    } catch (ConditionalCheckFailedException e) {
      // An earlier attempt got this far: it may have kept the event after its "from".
    }
    Map<String, AttributeValue> earlier =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(key(pk, RealtimeKeys.kept(source, eventId))))
            .item();
    long from = earlier == null || earlier.isEmpty() ? last : number(earlier, FROM, last);
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder request =
          QueryRequest.builder()
              .tableName(table)
              .consistentRead(true)
              .keyConditionExpression("#pk = :pk AND #sk > :from")
              .filterExpression("#eventId = :eventId")
              .expressionAttributeNames(
                  Map.of("#pk", Tables.PK, "#sk", Tables.SK, "#eventId", EVENT_ID))
              .expressionAttributeValues(
                  Map.of(
                      ":pk", s(pk),
                      ":from", s(RealtimeKeys.seq(from)),
                      ":eventId", s(eventId)));
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(request.build());
      for (Map<String, AttributeValue> item : page.items()) {
        if (str(item, Tables.SK).startsWith(RealtimeKeys.SEQ_PREFIX)) {
          return OptionalLong.of(number(item, SEQ, 0));
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return OptionalLong.empty();
  }

  /**
   * The last position handed out in the member's stream (0 for a new member): the newest kept
   * event, or the pump's head once every kept event has expired, so positions never repeat.
   */
  public long last(OrganizationId organization, MemberId member) {
    QueryResponse newest =
        dynamoDb.query(
            prefixQuery(table, RealtimeKeys.stream(organization, member), RealtimeKeys.SEQ_PREFIX)
                .consistentRead(true)
                .scanIndexForward(false)
                .limit(1)
                .build());
    long kept = newest.items().isEmpty() ? 0 : number(newest.items().get(0), SEQ, 0);
    return Math.max(kept, head(organization, member).pumped());
  }

  // ---- reading ----------------------------------------------------------------------------------

  /**
   * Kept events after {@code after} and at most {@code upTo}, oldest first, at most {@code limit}.
   * Expired events (past the window; TTL deletes late) are left out.
   */
  public List<Kept> range(
      OrganizationId organization, MemberId member, long after, long upTo, int limit) {
    if (upTo <= after || limit <= 0) {
      return List.of();
    }
    List<Kept> events = new ArrayList<>();
    long nowSeconds = clock.instant().getEpochSecond();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder request =
          QueryRequest.builder()
              .tableName(table)
              .consistentRead(true)
              .limit(Math.min(limit - events.size(), 500))
              .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
              .expressionAttributeNames(Map.of("#pk", Tables.PK, "#sk", Tables.SK))
              .expressionAttributeValues(
                  Map.of(
                      ":pk", s(RealtimeKeys.stream(organization, member)),
                      ":from", s(RealtimeKeys.seq(after + 1)),
                      ":to", s(RealtimeKeys.seq(upTo))));
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(request.build());
      for (Map<String, AttributeValue> item : page.items()) {
        long ttl = number(item, Tables.TTL, Long.MAX_VALUE);
        if (ttl > nowSeconds) {
          events.add(
              new Kept(
                  number(item, SEQ, 0),
                  Topic.fromDetailType(str(item, TOPIC)).orElseThrow(),
                  str(item, EVENT_ID),
                  str(item, FRAME),
                  Instant.ofEpochSecond(ttl)));
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null && events.size() < limit);
    return events;
  }

  /** Kept events after {@code after}, oldest first, at most {@code limit}. */
  public List<Kept> after(OrganizationId organization, MemberId member, long after, int limit) {
    return range(organization, member, after, Long.MAX_VALUE / 2, limit);
  }

  // ---- the pump's head and lease ----------------------------------------------------------------

  /**
   * The pump's position: every event up to {@code pumped} has been posted to live connections;
   * {@code nudges} counts the pumps that found the lease taken (see {@link #nudge}).
   */
  public record Head(long pumped, Optional<String> leaseOwner, Instant leaseUntil, long nudges) {}

  public Head head(OrganizationId organization, MemberId member) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(key(RealtimeKeys.stream(organization, member), RealtimeKeys.HEAD)))
            .item();
    if (item == null || item.isEmpty()) {
      return new Head(0, Optional.empty(), Instant.EPOCH, 0);
    }
    return head(item);
  }

  private static Head head(Map<String, AttributeValue> item) {
    return new Head(
        number(item, PUMPED, 0),
        Optional.ofNullable(str(item, LEASE_OWNER)),
        Instant.ofEpochMilli(number(item, LEASE_UNTIL, 0)),
        number(item, NUDGES, 0));
  }

  /**
   * Takes the member's pump lease for {@code owner} unless someone else holds an unexpired one;
   * returns the head as it is then, or empty when the lease is held.
   */
  public Optional<Head> acquire(
      OrganizationId organization, MemberId member, String owner, Duration lease) {
    Instant now = clock.instant();
    try {
      Map<String, AttributeValue> after =
          dynamoDb
              .updateItem(
                  r ->
                      r.tableName(table)
                          .key(key(RealtimeKeys.stream(organization, member), RealtimeKeys.HEAD))
                          .updateExpression(
                              "SET #owner = :owner, #until = :until,"
                                  + " #pumped = if_not_exists(#pumped, :zero)")
                          .conditionExpression(
                              "attribute_not_exists(#until) OR #until < :now OR #owner = :owner")
                          .expressionAttributeNames(
                              Map.of(
                                  "#owner", LEASE_OWNER, "#until", LEASE_UNTIL, "#pumped", PUMPED))
                          .expressionAttributeValues(
                              Map.of(
                                  ":owner", s(owner),
                                  ":until", n(now.plus(lease).toEpochMilli()),
                                  ":now", n(now.toEpochMilli()),
                                  ":zero", n(0)))
                          .returnValues(ReturnValue.ALL_NEW))
              .attributes();
      return Optional.of(head(after));
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    }
  }

  /**
   * Tells the lease's holder that someone came for the stream while it held it (a client's frame
   * asking for its replay): the holder sees the count change when it releases the lease, and looks
   * at every waiting replay again, even those it had left for a later trigger.
   */
  public void nudge(OrganizationId organization, MemberId member) {
    dynamoDb.updateItem(
        r ->
            r.tableName(table)
                .key(key(RealtimeKeys.stream(organization, member), RealtimeKeys.HEAD))
                .updateExpression("ADD #nudges :one")
                .expressionAttributeNames(Map.of("#nudges", NUDGES))
                .expressionAttributeValues(Map.of(":one", n(1))));
  }

  /**
   * Records the pump's progress and extends its lease; false when the lease was lost (it expired
   * and another pump took it), in which case the caller stops.
   */
  public boolean advance(
      OrganizationId organization, MemberId member, String owner, long pumped, Duration lease) {
    Instant now = clock.instant();
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(RealtimeKeys.stream(organization, member), RealtimeKeys.HEAD))
                  .updateExpression("SET #pumped = :pumped, #until = :until")
                  .conditionExpression("#owner = :owner")
                  .expressionAttributeNames(
                      Map.of("#owner", LEASE_OWNER, "#until", LEASE_UNTIL, "#pumped", PUMPED))
                  .expressionAttributeValues(
                      Map.of(
                          ":owner", s(owner),
                          ":until", n(now.plus(lease).toEpochMilli()),
                          ":pumped", n(pumped))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * Records the final position and gives the lease up (if still held); returns the head's nudge
   * count at that moment, or empty when the lease had been lost.
   */
  public java.util.OptionalLong release(
      OrganizationId organization, MemberId member, String owner, long pumped) {
    try {
      Map<String, AttributeValue> after =
          dynamoDb
              .updateItem(
                  r ->
                      r.tableName(table)
                          .key(key(RealtimeKeys.stream(organization, member), RealtimeKeys.HEAD))
                          .updateExpression("SET #pumped = :pumped REMOVE #owner, #until")
                          .conditionExpression("#owner = :owner")
                          .expressionAttributeNames(
                              Map.of(
                                  "#owner", LEASE_OWNER, "#until", LEASE_UNTIL, "#pumped", PUMPED))
                          .expressionAttributeValues(
                              Map.of(":owner", s(owner), ":pumped", n(pumped)))
                          .returnValues(ReturnValue.ALL_NEW))
              .attributes();
      return java.util.OptionalLong.of(number(after, NUDGES, 0));
    } catch (ConditionalCheckFailedException e) {
      // Lost the lease already: whoever holds it now owns the position.
      return java.util.OptionalLong.empty();
    }
  }

  // ---- pending replays --------------------------------------------------------------------------

  /** Asks for a replay of the events after {@code since} to a connection (replaces an earlier). */
  public Pending requestReplay(
      OrganizationId organization,
      MemberId member,
      String connectionId,
      String sessionId,
      long since,
      Instant connectionExpiresAt) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, s(RealtimeKeys.stream(organization, member)));
    item.put(Tables.SK, s(RealtimeKeys.pending(connectionId)));
    item.put(CONNECTION, s(connectionId));
    item.put(SESSION, s(sessionId));
    item.put(SINCE, n(since));
    Instant requestedAt = Instant.ofEpochMilli(clock.instant().toEpochMilli());
    item.put(REQUESTED_AT, n(requestedAt.toEpochMilli()));
    item.put(Tables.TTL, n(connectionExpiresAt.plus(RealtimeStore.TTL_MARGIN).getEpochSecond()));
    dynamoDb.putItem(r -> r.tableName(table).item(item));
    return new Pending(connectionId, sessionId, since, requestedAt);
  }

  /** The member's connections waiting for a replay. */
  public List<Pending> pending(OrganizationId organization, MemberId member) {
    List<Pending> pending = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        dynamoDb
            .query(
                prefixQuery(
                        table,
                        RealtimeKeys.stream(organization, member),
                        RealtimeKeys.PENDING_PREFIX)
                    .consistentRead(true)
                    .build())
            .items()) {
      pending.add(
          new Pending(
              str(item, CONNECTION),
              str(item, SESSION),
              number(item, SINCE, 0),
              Instant.ofEpochMilli(number(item, REQUESTED_AT, 0))));
    }
    return pending;
  }

  /**
   * Removes a pending replay once served, unless it was replaced meanwhile (another {@code since}
   * or a newer request): then it stays for the next round.
   */
  public void clearPending(OrganizationId organization, MemberId member, Pending served) {
    try {
      dynamoDb.deleteItem(
          r ->
              r.tableName(table)
                  .key(
                      key(
                          RealtimeKeys.stream(organization, member),
                          RealtimeKeys.pending(served.connectionId())))
                  .conditionExpression("#since = :since AND #at = :at")
                  .expressionAttributeNames(Map.of("#since", SINCE, "#at", REQUESTED_AT))
                  .expressionAttributeValues(
                      Map.of(
                          ":since",
                          n(served.since()),
                          ":at",
                          n(served.requestedAt().toEpochMilli()))));
    } catch (ConditionalCheckFailedException e) {
      // Replaced by a newer request: served on the next round.
    }
  }

  /**
   * Moves a pending replay's start forward (what was sent before a failure is not sent again),
   * unless it was replaced meanwhile.
   */
  public void movePending(
      OrganizationId organization, MemberId member, Pending pending, long newSince) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(
                      key(
                          RealtimeKeys.stream(organization, member),
                          RealtimeKeys.pending(pending.connectionId())))
                  .updateExpression("SET #since = :new")
                  .conditionExpression("#since = :since AND #at = :at")
                  .expressionAttributeNames(Map.of("#since", SINCE, "#at", REQUESTED_AT))
                  .expressionAttributeValues(
                      Map.of(
                          ":new", n(newSince),
                          ":since", n(pending.since()),
                          ":at", n(pending.requestedAt().toEpochMilli()))));
    } catch (ConditionalCheckFailedException e) {
      // Replaced meanwhile.
    }
  }
}
