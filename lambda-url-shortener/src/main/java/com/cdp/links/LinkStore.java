package com.cdp.links;

import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Links in the links table. Three kinds of item:
 *
 * <ul>
 *   <li>the link: {@code pk = HOST#{org or _}#CODE#{code}}, {@code sk = LINK}, with {@code url,
 *       organizationId?, createdAt, expiresAt} (epoch ms), {@code ttl} (epoch s, {@link #TTL_GRACE}
 *       after expiry), {@code createdBy} (the API key id), {@code custom}, {@code visits}, {@code
 *       maxVisits?}, {@code revokedAt?};
 *   <li>the code's reservation: {@code pk = CODES#{org or _}}, {@code sk = {code}}, written first
 *       with {@code attribute_not_exists}, <b>without TTL</b>, so a code or slug is never issued
 *       twice, even after TTL removed its link; it also indexes an organization's links for
 *       listing;
 *   <li>visits per day: link's {@code pk}, {@code sk = DAY#yyyy-MM-dd}, {@code visits}, TTL {@link
 *       #STATS_DAYS} days.
 * </ul>
 */
public final class LinkStore {
  static final String SK = "LINK";

  /** How long an expired link keeps its full record before TTL may delete it. */
  public static final Duration TTL_GRACE = Duration.ofDays(30);

  /** How many days of daily visit counts are kept (and served by stats). */
  public static final int STATS_DAYS = 90;

  /** A code's permanent reservation (what is left of a link after TTL). */
  public record Reservation(
      LinkScope scope, String code, Instant createdAt, String createdBy, boolean revoked) {}

  /** One page of an organization's reservations, in code order. */
  public record Page(List<Reservation> items, Optional<String> lastCode) {}

  private final DynamoDbClient dynamoDb;
  private final String table;

  public LinkStore(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
  }

  static String pk(LinkScope scope, String code) {
    return "HOST#" + scope.key() + "#CODE#" + code;
  }

  static String reservationPk(LinkScope scope) {
    return "CODES#" + scope.key();
  }

  private static Map<String, AttributeValue> key(LinkScope scope, String code) {
    return Map.of(
        Tables.PK, AttributeValue.fromS(pk(scope, code)), Tables.SK, AttributeValue.fromS(SK));
  }

  private static Map<String, AttributeValue> reservationKey(LinkScope scope, String code) {
    return Map.of(
        Tables.PK,
        AttributeValue.fromS(reservationPk(scope)),
        Tables.SK,
        AttributeValue.fromS(code));
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /**
   * Reserves the code for good, then stores the link. Returns false when the code was ever issued
   * in its scope: reserved, or (a link stored before reservations existed) still present.
   */
  public boolean putIfAvailable(Link link, Instant now) {
    Map<String, AttributeValue> reservation =
        new HashMap<>(reservationKey(link.scope(), link.code()));
    reservation.put("createdAt", n(link.createdAt().toEpochMilli()));
    if (link.createdBy() != null) {
      reservation.put("createdBy", AttributeValue.fromS(link.createdBy()));
    }
    if (!putIfAbsent(reservation)) {
      return false;
    }
    Map<String, AttributeValue> item = new HashMap<>(key(link.scope(), link.code()));
    item.put("code", AttributeValue.fromS(link.code()));
    item.put("url", AttributeValue.fromS(link.url()));
    link.scope()
        .organization()
        .ifPresent(o -> item.put("organizationId", AttributeValue.fromS(o.value())));
    item.put("createdAt", n(link.createdAt().toEpochMilli()));
    item.put("expiresAt", n(link.expiresAt().toEpochMilli()));
    item.put(Tables.TTL, n(link.expiresAt().plus(TTL_GRACE).getEpochSecond()));
    if (link.createdBy() != null) {
      item.put("createdBy", AttributeValue.fromS(link.createdBy()));
    }
    item.put("custom", AttributeValue.fromBool(link.custom()));
    item.put("visits", n(0));
    link.maxVisits().ifPresent(max -> item.put("maxVisits", n(max)));
    // A link stored before reservations existed has no reservation: it keeps its code too.
    return putIfAbsent(item);
  }

  private boolean putIfAbsent(Map<String, AttributeValue> item) {
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(#pk)")
                  .expressionAttributeNames(Map.of("#pk", Tables.PK)));
      return true;
    } catch (ConditionalCheckFailedException taken) {
      return false;
    }
  }

  /** The link with this code in this scope, expired or revoked or not. */
  public Optional<Link> get(LinkScope scope, String code) {
    GetItemResponse response =
        dynamoDb.getItem(r -> r.tableName(table).key(key(scope, code)).consistentRead(true));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(toLink(response.item()));
  }

  /** The code's reservation, if the code was ever issued (since reservations exist). */
  public Optional<Reservation> reservation(LinkScope scope, String code) {
    GetItemResponse response =
        dynamoDb.getItem(
            r -> r.tableName(table).key(reservationKey(scope, code)).consistentRead(true));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(toReservation(scope, response.item()));
  }

  /** Sets a new expiry; false when the link is gone or revoked. */
  public boolean extend(LinkScope scope, String code, Instant expiresAt) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(scope, code))
                  .updateExpression("SET expiresAt = :e, #ttl = :t")
                  .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(revokedAt)")
                  .expressionAttributeNames(Map.of("#pk", Tables.PK, "#ttl", Tables.TTL))
                  .expressionAttributeValues(
                      Map.of(
                          ":e",
                          n(expiresAt.toEpochMilli()),
                          ":t",
                          n(expiresAt.plus(TTL_GRACE).getEpochSecond()))));
      return true;
    } catch (ConditionalCheckFailedException gone) {
      return false;
    }
  }

  /** Revokes the link and marks its reservation; revoking twice keeps the first time. */
  public void revoke(LinkScope scope, String code, Instant now) {
    for (Map<String, AttributeValue> key : List.of(key(scope, code), reservationKey(scope, code))) {
      try {
        dynamoDb.updateItem(
            r ->
                r.tableName(table)
                    .key(key)
                    .updateExpression("SET revokedAt = if_not_exists(revokedAt, :now)")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", Tables.PK))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()))));
      } catch (ConditionalCheckFailedException gone) {
        // the link item was already removed by TTL: the reservation carries the revocation
      }
    }
  }

  /**
   * Adds visits to a link and to its day's count; a link deleted meanwhile is left alone (never
   * recreated).
   */
  public void addVisits(LinkScope scope, String code, LocalDate day, long visits) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(scope, code))
                  .updateExpression("ADD visits :n")
                  .conditionExpression("attribute_exists(#pk)")
                  .expressionAttributeNames(Map.of("#pk", Tables.PK))
                  .expressionAttributeValues(Map.of(":n", n(visits))));
    } catch (ConditionalCheckFailedException gone) {
      return; // deleted by TTL or never stored: nothing to count
    }
    long ttl = day.plusDays(STATS_DAYS + 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    dynamoDb.updateItem(
        r ->
            r.tableName(table)
                .key(
                    Map.of(
                        Tables.PK,
                        AttributeValue.fromS(pk(scope, code)),
                        Tables.SK,
                        AttributeValue.fromS("DAY#" + day)))
                .updateExpression("ADD visits :n SET #ttl = :t")
                .expressionAttributeNames(Map.of("#ttl", Tables.TTL))
                .expressionAttributeValues(Map.of(":n", n(visits), ":t", n(ttl))));
  }

  /** Visits per day from {@code from} to {@code to} inclusive (days without visits are absent). */
  public Map<LocalDate, Long> dailyVisits(
      LinkScope scope, String code, LocalDate from, LocalDate to) {
    Map<LocalDate, Long> days = new LinkedHashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder q =
          QueryRequest.builder()
              .tableName(table)
              .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
              .expressionAttributeNames(Map.of("#pk", Tables.PK, "#sk", Tables.SK))
              .expressionAttributeValues(
                  Map.of(
                      ":pk", AttributeValue.fromS(pk(scope, code)),
                      ":from", AttributeValue.fromS("DAY#" + from),
                      ":to", AttributeValue.fromS("DAY#" + to)));
      if (start != null) {
        q.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(q.build());
      page.items()
          .forEach(
              item ->
                  days.put(
                      LocalDate.parse(item.get(Tables.SK).s().substring(4)),
                      Long.parseLong(item.get("visits").n())));
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null && !start.isEmpty());
    return days;
  }

  /**
   * Up to {@code limit} reservations of a scope after {@code afterCode} (code order), only those
   * created by {@code createdBy} when given. {@code lastCode} is set when more may follow.
   */
  public Page list(
      LinkScope scope, Optional<String> createdBy, Optional<String> afterCode, int limit) {
    List<Reservation> items = new ArrayList<>();
    Map<String, AttributeValue> start = afterCode.map(c -> reservationKey(scope, c)).orElse(null);
    // One item of look-ahead, so nextCursor is set only when another page really follows.
    while (items.size() <= limit) {
      Map<String, String> names = new HashMap<>(Map.of("#pk", Tables.PK));
      Map<String, AttributeValue> values =
          new HashMap<>(Map.of(":pk", AttributeValue.fromS(reservationPk(scope))));
      QueryRequest.Builder q =
          QueryRequest.builder()
              .tableName(table)
              .keyConditionExpression("#pk = :pk")
              .consistentRead(true)
              .limit(limit + 1 - items.size());
      if (createdBy.isPresent()) {
        q.filterExpression("createdBy = :by");
        values.put(":by", AttributeValue.fromS(createdBy.get()));
      }
      q.expressionAttributeNames(names).expressionAttributeValues(values);
      if (start != null) {
        q.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(q.build());
      page.items().forEach(item -> items.add(toReservation(scope, item)));
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
      if (start == null) {
        break;
      }
    }
    if (items.size() <= limit) {
      return new Page(items, Optional.empty());
    }
    List<Reservation> shown = List.copyOf(items.subList(0, limit));
    return new Page(shown, Optional.of(shown.get(limit - 1).code()));
  }

  private static Reservation toReservation(LinkScope scope, Map<String, AttributeValue> item) {
    return new Reservation(
        scope,
        item.get(Tables.SK).s(),
        Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
        item.containsKey("createdBy") ? item.get("createdBy").s() : null,
        item.containsKey("revokedAt"));
  }

  private static Link toLink(Map<String, AttributeValue> item) {
    String org = item.containsKey("organizationId") ? item.get("organizationId").s() : null;
    LinkScope stored = org == null ? LinkScope.BARE : LinkScope.of(OrganizationId.of(org));
    return new Link(
        stored,
        item.get("code").s(),
        item.get("url").s(),
        Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
        Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n())),
        item.containsKey("createdBy") ? item.get("createdBy").s() : null,
        item.containsKey("custom") && Boolean.TRUE.equals(item.get("custom").bool()),
        item.containsKey("visits") ? Long.parseLong(item.get("visits").n()) : 0,
        item.containsKey("maxVisits")
            ? OptionalLong.of(Long.parseLong(item.get("maxVisits").n()))
            : OptionalLong.empty(),
        item.containsKey("revokedAt")
            ? Optional.of(Instant.ofEpochMilli(Long.parseLong(item.get("revokedAt").n())))
            : Optional.empty());
  }
}
