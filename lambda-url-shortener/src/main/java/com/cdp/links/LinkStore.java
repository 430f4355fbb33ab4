package com.cdp.links;

import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Links in the links table: {@code pk = HOST#{org or _}#CODE#{code}}, {@code sk = LINK}, with
 * {@code url, organizationId?, createdAt, expiresAt} (epoch ms), {@code ttl} (epoch s, {@link
 * #TTL_GRACE} after expiry, so a just-expired link still answers "expired" before TTL removes it),
 * {@code createdBy} (the API key id), {@code custom} and {@code visits}.
 */
public final class LinkStore {
  static final String SK = "LINK";

  /** How long an expired link keeps answering 403 "expired" before TTL may delete it. */
  public static final Duration TTL_GRACE = Duration.ofDays(30);

  private final DynamoDbClient dynamoDb;
  private final String table;

  public LinkStore(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
  }

  static String pk(LinkScope scope, String code) {
    return "HOST#" + scope.key() + "#CODE#" + code;
  }

  private static Map<String, AttributeValue> key(LinkScope scope, String code) {
    return Map.of(
        Tables.PK, AttributeValue.fromS(pk(scope, code)), Tables.SK, AttributeValue.fromS(SK));
  }

  /**
   * Stores the link unless its code is taken in its scope by a link that has not expired (an
   * expired code may be reused). Returns false when the code is taken.
   */
  public boolean putIfAvailable(Link link, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(key(link.scope(), link.code()));
    item.put("code", AttributeValue.fromS(link.code()));
    item.put("url", AttributeValue.fromS(link.url()));
    link.scope()
        .organization()
        .ifPresent(o -> item.put("organizationId", AttributeValue.fromS(o.value())));
    item.put("createdAt", AttributeValue.fromN(Long.toString(link.createdAt().toEpochMilli())));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(link.expiresAt().toEpochMilli())));
    item.put(
        Tables.TTL,
        AttributeValue.fromN(Long.toString(link.expiresAt().plus(TTL_GRACE).getEpochSecond())));
    if (link.createdBy() != null) {
      item.put("createdBy", AttributeValue.fromS(link.createdBy()));
    }
    item.put("custom", AttributeValue.fromBool(link.custom()));
    item.put("visits", AttributeValue.fromN("0"));
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(#pk) OR #expiresAt <= :now")
                  .expressionAttributeNames(Map.of("#pk", Tables.PK, "#expiresAt", "expiresAt"))
                  .expressionAttributeValues(
                      Map.of(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())))));
      return true;
    } catch (ConditionalCheckFailedException taken) {
      return false;
    }
  }

  /** The link with this code in this scope, expired or not. */
  public Optional<Link> get(LinkScope scope, String code) {
    GetItemResponse response =
        dynamoDb.getItem(r -> r.tableName(table).key(key(scope, code)).consistentRead(true));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = response.item();
    String org = item.containsKey("organizationId") ? item.get("organizationId").s() : null;
    LinkScope stored = org == null ? LinkScope.BARE : LinkScope.of(OrganizationId.of(org));
    return Optional.of(
        new Link(
            stored,
            code,
            item.get("url").s(),
            Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
            Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n())),
            item.containsKey("createdBy") ? item.get("createdBy").s() : null,
            item.containsKey("custom") && Boolean.TRUE.equals(item.get("custom").bool()),
            item.containsKey("visits") ? Long.parseLong(item.get("visits").n()) : 0));
  }

  /** Adds visits to a link; a link deleted meanwhile is left alone (never recreated). */
  public void addVisits(LinkScope scope, String code, long visits) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(scope, code))
                  .updateExpression("ADD visits :n")
                  .conditionExpression("attribute_exists(#pk)")
                  .expressionAttributeNames(Map.of("#pk", Tables.PK))
                  .expressionAttributeValues(
                      Map.of(":n", AttributeValue.fromN(Long.toString(visits)))));
    } catch (ConditionalCheckFailedException gone) {
      // deleted by TTL or never stored: nothing to count
    }
  }
}
