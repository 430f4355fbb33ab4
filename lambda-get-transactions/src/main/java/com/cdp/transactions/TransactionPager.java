package com.cdp.transactions;

import com.cdp.model.id.AccountId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import com.cdp.model.warehouse.WarehouseTransaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads one page of an account's transactions from the warehouse, newest first, filled to exactly
 * {@code limit} items unless the listing ends.
 *
 * <p>DynamoDB's {@code Limit} caps the items a Query <em>evaluates</em>, and its 1 MB cap applies
 * before the filter expression, so one Query can return fewer matches than asked for, or none while
 * more exist. The pager therefore keeps querying from {@code LastEvaluatedKey} until it holds
 * {@code limit + 1} matches (the extra one proves there is a next page, so a non-null cursor never
 * leads to an empty page) or the partition range is exhausted. The date range is part of the key
 * condition; amount, type and text are a filter expression. The next position is the sort key of
 * the last item <em>returned</em>, never DynamoDB's {@code LastEvaluatedKey}, which may lie beyond
 * items that were read but not returned.
 *
 * <p>Order: descending sort key {@code yyyy-MM-dd#transactionId}, i.e. newest posted date first
 * and, within a date, transaction ids in descending byte (ASCII) order.
 */
public final class TransactionPager {
  /** Upper bound of one Query's {@code Limit} (DynamoDB's 1 MB cap usually comes first anyway). */
  static final int MAX_READ = 2000;

  /** How much evidence from earlier pages the selectivity estimate keeps. */
  static final long MAX_HINT_EVALUATED = 4000;

  /** Sort-key bounds that contain every dated transaction and nothing else of the partition. */
  static final String LOWEST_SK = "0000-01-01#";

  static final String HIGHEST_SK = "9999-12-31$";

  /** How each Query's {@code Limit} is chosen; {@link #ADAPTIVE} in production. */
  public enum ReadSizing {
    /**
     * Ask for what is still missing divided by the estimated selectivity (matches per item
     * evaluated, from this page and the cursor's hint), plus one binomial standard deviation of
     * margin.
     */
    ADAPTIVE,
    /** Always ask for what is still missing, as if every item matched (baseline). */
    MISSING_ONLY,
    /** No {@code Limit}: each Query reads up to DynamoDB's 1 MB (baseline). */
    UNBOUNDED
  }

  /** What reading one page cost. */
  public record ReadStats(int calls, long evaluated, long matched, int returned) {}

  /**
   * One page: the transactions, where the next page starts (empty when nothing is left), the
   * selectivity evidence to carry in the cursor, and the cost.
   */
  public record Page(
      List<WarehouseTransaction> transactions,
      Optional<String> nextPosition,
      long hintEvaluated,
      long hintMatched,
      ReadStats stats) {
    public Page {
      transactions = List.copyOf(transactions);
    }
  }

  /** Where to resume and what earlier pages observed; {@link #START} for the first page. */
  public record Resume(Optional<String> afterPosition, long evaluated, long matched) {
    public static final Resume START = new Resume(Optional.empty(), 0, 0);

    static Resume of(Cursor cursor) {
      return new Resume(Optional.of(cursor.position()), cursor.evaluated(), cursor.matched());
    }
  }

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final ReadSizing sizing;

  public TransactionPager(DynamoDbClient dynamoDb, String table, ReadSizing sizing) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
    this.sizing = Objects.requireNonNull(sizing, "sizing");
  }

  public TransactionPager(DynamoDbClient dynamoDb, String table) {
    this(dynamoDb, table, ReadSizing.ADAPTIVE);
  }

  public Page read(
      OrganizationId org, AccountId account, TransactionFilter filter, int limit, Resume resume) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    String pk = WarehouseKeys.accountPk(org, account);
    QueryRequest base = baseQuery(pk, filter);
    int need = limit + 1;
    List<Map<String, AttributeValue>> found = new ArrayList<>(need);
    Map<String, AttributeValue> start = resume.afterPosition().map(sk -> key(pk, sk)).orElse(null);
    int calls = 0;
    long evaluated = 0;
    long matched = 0;
    while (found.size() < need) {
      QueryRequest.Builder request = base.toBuilder();
      Integer readLimit = readLimit(need - found.size(), filter, resume, evaluated, matched);
      if (readLimit != null) {
        request.limit(readLimit);
      }
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      QueryResponse response = dynamoDb.query(request.build());
      calls++;
      evaluated += response.scannedCount();
      matched += response.count();
      found.addAll(response.items());
      if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
        break;
      }
      start = response.lastEvaluatedKey();
    }
    List<WarehouseTransaction> page = new ArrayList<>(Math.min(limit, found.size()));
    for (Map<String, AttributeValue> item : found.subList(0, Math.min(limit, found.size()))) {
      page.add(WarehouseTransaction.fromItem(item));
    }
    Optional<String> next =
        found.size() > limit
            ? Optional.of(found.get(limit - 1).get(Tables.SK).s())
            : Optional.empty();
    long hintEvaluated = resume.evaluated() + evaluated;
    long hintMatched = resume.matched() + matched;
    if (hintEvaluated > MAX_HINT_EVALUATED) {
      double scale = (double) MAX_HINT_EVALUATED / hintEvaluated;
      hintEvaluated = MAX_HINT_EVALUATED;
      hintMatched = Math.round(hintMatched * scale);
    }
    return new Page(
        page,
        next,
        hintEvaluated,
        Math.min(hintMatched, hintEvaluated),
        new ReadStats(calls, evaluated, matched, page.size()));
  }

  private Integer readLimit(
      int missing, TransactionFilter filter, Resume resume, long evaluated, long matched) {
    switch (sizing) {
      case UNBOUNDED:
        return null;
      case MISSING_ONLY:
        return Math.min(missing, MAX_READ);
      default:
        if (!filter.needsFilterExpression()) {
          // Only the key condition applies: every item evaluated is a match.
          return Math.min(missing, MAX_READ);
        }
        long seen = resume.evaluated() + evaluated;
        long hits = resume.matched() + matched;
        // With no evidence yet, assume everything matches (cheapest when the filter is broad);
        // afterwards a smoothed estimate, so zero matches so far still gives a finite read.
        double selectivity = seen == 0 ? 1.0 : (hits + 1.0) / (seen + 2.0);
        // Enough that the expected matches exceed what is missing by one binomial standard
        // deviation: one Query usually suffices, and nothing is over-read when all items match.
        double wanted = (missing + Math.sqrt(missing * (1 - selectivity))) / selectivity;
        return (int) Math.max(missing, Math.min(MAX_READ, Math.ceil(wanted)));
    }
  }

  private QueryRequest baseQuery(String pk, TransactionFilter filter) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    names.put("#pk", Tables.PK);
    names.put("#sk", Tables.SK);
    values.put(":pk", AttributeValue.fromS(pk));
    values.put(":lo", AttributeValue.fromS(filter.from().map(d -> d + "#").orElse(LOWEST_SK)));
    values.put(":hi", AttributeValue.fromS(filter.to().map(d -> d + "$").orElse(HIGHEST_SK)));
    List<String> conditions = new ArrayList<>();
    filter
        .minAmount()
        .ifPresent(
            m -> {
              names.put("#amount", "amount");
              values.put(":min", AttributeValue.fromN(m.toPlainString()));
              conditions.add("#amount >= :min");
            });
    filter
        .maxAmount()
        .ifPresent(
            m -> {
              names.put("#amount", "amount");
              values.put(":max", AttributeValue.fromN(m.toPlainString()));
              conditions.add("#amount <= :max");
            });
    filter
        .type()
        .ifPresent(
            t -> {
              names.put("#type", "type");
              values.put(":type", AttributeValue.fromS(t.name()));
              conditions.add("#type = :type");
            });
    filter
        .text()
        .ifPresent(
            q -> {
              names.put("#text", "searchText");
              values.put(":q", AttributeValue.fromS(q));
              conditions.add("contains(#text, :q)");
            });
    QueryRequest.Builder query =
        QueryRequest.builder()
            .tableName(table)
            // Every sort key dated D starts with "D#", and "D#..." < "D$" < any later date, so
            // [from#, to$] holds exactly the sort keys dated from..to (inclusive).
            .keyConditionExpression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
            .scanIndexForward(false)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values);
    if (!conditions.isEmpty()) {
      query.filterExpression(String.join(" AND ", conditions));
    }
    return query.build();
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(Tables.PK, AttributeValue.fromS(pk), Tables.SK, AttributeValue.fromS(sk));
  }
}
