package com.cdp.ingestion.cleanser;

import com.cdp.logging.RequestLog;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import com.cdp.model.warehouse.MerchantEnrichment;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Cleans the transactions an {@code account_transactionadded} announced, after they are loaded:
 * finds them in the warehouse (by the detail's posted-date range), cleans those without a category
 * yet, and sets {@code merchantName} and {@code category} with an {@code UpdateItem} that only
 * touches those attributes (and never re-creates a deleted item). Idempotent: cleaned items are
 * skipped; the fallback for anything the primary cleanser leaves out is the rule-based cleanser.
 */
final class CleanserService {
  private final DynamoDbClient dynamoDb;
  private final String warehouseTable;
  private final TransactionCleanser cleanser;
  private final TransactionCleanser fallback = new RuleBasedCleanser();
  private final Clock clock;

  public CleanserService(
      DynamoDbClient dynamoDb, String warehouseTable, TransactionCleanser cleanser, Clock clock) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.warehouseTable = Objects.requireNonNull(warehouseTable, "warehouseTable");
    this.cleanser = Objects.requireNonNull(cleanser, "cleanser");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** How many items were cleaned (0 when all were already clean). */
  public int handle(JsonNode detail, RequestLog log) {
    OrganizationId org = OrganizationId.of(detail.path("organizationId").asText());
    AccountId account = AccountId.of(detail.path("accountId").asText());
    Set<String> ids = new HashSet<>();
    detail.path("transactionIds").forEach(id -> ids.add(id.asText()));
    boolean allListed = ids.size() >= detail.path("count").asInt(Integer.MAX_VALUE);
    String from = detail.path("postedFrom").asText(null);
    String to = detail.path("postedTo").asText(null);
    List<Map<String, AttributeValue>> items = findUncleaned(org, account, from, to);
    Map<String, Map<String, AttributeValue>> byId = new HashMap<>();
    List<TransactionCleanser.Input> inputs = new ArrayList<>();
    for (Map<String, AttributeValue> item : items) {
      String id = item.get("transactionId").s();
      if (!allListed || ids.contains(id)) {
        byId.put(item.get(Tables.SK).s(), item);
        inputs.add(
            new TransactionCleanser.Input(
                item.get(Tables.SK).s(),
                item.get("description").s(),
                item.containsKey("amount") ? item.get("amount").n() : null,
                s(item, "merchantCategoryCode"),
                s(item, "type")));
      }
    }
    if (inputs.isEmpty()) {
      log.event("clean", "nothing left to clean", Map.of());
      return 0;
    }
    Map<String, TransactionCleanser.Output> cleaned = new HashMap<>();
    for (TransactionCleanser.Output o : cleanser.cleanse(inputs)) {
      cleaned.put(o.id(), o);
    }
    List<TransactionCleanser.Input> missing =
        inputs.stream().filter(i -> !cleaned.containsKey(i.id())).toList();
    if (!missing.isEmpty()) {
      fallback.cleanse(missing).forEach(o -> cleaned.put(o.id(), o));
    }
    int updated = 0;
    String pk = WarehouseKeys.accountPk(org, account);
    for (TransactionCleanser.Output o : cleaned.values()) {
      if (!byId.containsKey(o.id())) {
        continue;
      }
      try {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":m", AttributeValue.fromS(o.merchantName()));
        values.put(":c", AttributeValue.fromS(o.category()));
        values.put(":t", AttributeValue.fromS(clock.instant().toString()));
        String update = "SET merchantName = :m, category = :c, cleansedAt = :t";
        if (o.enrichment() != null) {
          // The description itself is never touched: Segmint's answer sits next to it.
          values.put(":e", o.enrichment().toAttribute());
          update += ", " + MerchantEnrichment.ATTRIBUTE + " = :e";
        }
        String expression = update;
        dynamoDb.updateItem(
            r ->
                r.tableName(warehouseTable)
                    .key(
                        Map.of(
                            Tables.PK, AttributeValue.fromS(pk),
                            Tables.SK, AttributeValue.fromS(o.id())))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(values));
        updated++;
      } catch (ConditionalCheckFailedException gone) {
        // deleted meanwhile: nothing to enrich
      }
    }
    log.event(
        "clean",
        "enriched transactions",
        Map.of(
            "candidates",
            inputs.size(),
            "updated",
            updated,
            "byFallback",
            missing.size(),
            "bySegmint",
            cleaned.values().stream().filter(o -> o.enrichment() != null).count()));
    return updated;
  }

  private List<Map<String, AttributeValue>> findUncleaned(
      OrganizationId org, AccountId account, String from, String to) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> exclusiveStart = start;
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":pk", AttributeValue.fromS(WarehouseKeys.accountPk(org, account)));
      String condition = "pk = :pk";
      if (from != null && to != null) {
        condition = "pk = :pk AND sk BETWEEN :from AND :to";
        values.put(":from", AttributeValue.fromS(from));
        values.put(":to", AttributeValue.fromS(to + "#\uffff"));
      }
      String keyCondition = condition;
      QueryResponse page =
          dynamoDb.query(
              r -> {
                r.tableName(warehouseTable)
                    .keyConditionExpression(keyCondition)
                    .filterExpression("attribute_not_exists(category)")
                    .expressionAttributeValues(values);
                if (exclusiveStart != null) {
                  r.exclusiveStartKey(exclusiveStart);
                }
              });
      out.addAll(page.items());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return out;
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }
}
