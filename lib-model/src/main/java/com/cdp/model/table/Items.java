package com.cdp.model.table;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The attribute conversions every DynamoDB store of the platform writes the same way: the table's
 * key, strings, numbers, and reading them back with a value for an absent attribute.
 */
public final class Items {
  private Items() {}

  /** The key of an item of a {@link Tables#PK}/{@link Tables#SK} table. */
  public static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(Tables.PK, s(pk), Tables.SK, s(sk));
  }

  public static AttributeValue s(String value) {
    return AttributeValue.builder().s(value).build();
  }

  public static AttributeValue n(long value) {
    return AttributeValue.builder().n(Long.toString(value)).build();
  }

  /** The string attribute {@code name}, or null when the item has none. */
  public static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  /** The number attribute {@code name}, or {@code absent} when the item has none. */
  public static long number(Map<String, AttributeValue> item, String name, long absent) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? absent : Long.parseLong(v.n());
  }

  /**
   * A query of the items of partition {@code pk} whose sort key starts with {@code skPrefix}; the
   * caller adds consistency, order and limit, and builds it.
   */
  public static QueryRequest.Builder prefixQuery(String table, String pk, String skPrefix) {
    return QueryRequest.builder()
        .tableName(table)
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", Tables.PK, "#sk", Tables.SK))
        .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(skPrefix)));
  }
}
