package com.cdp.ingestion.platform;

import com.cdp.logging.RequestLog;
import com.cdp.model.ValidationException;
import com.cdp.model.event.Events;
import com.cdp.model.event.Topic;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import com.cdp.model.warehouse.AccountOwnership;
import com.cdp.warehouse.AccountActivities;
import com.cdp.warehouse.AccountActivity;
import com.cdp.warehouse.Column;
import com.cdp.warehouse.TransactionEvents;
import com.cdp.warehouse.TransactionRow;
import com.cdp.warehouse.TransactionValidator;
import com.cdp.warehouse.TransactionWritePath;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Handles {@code platform_account_transactionadded}: for each announced account, fetches from the
 * core the transactions newer than what the warehouse holds, loads them through the shared write
 * path and emits {@code account_transactionadded}. Idempotent under at-least-once delivery: a
 * per-(event, account) record in the INGESTION table remembers what a delivery is loading and when
 * it is done, and the emitted event's id is derived from the incoming one.
 */
public final class PlatformTransactionsService {
  static final Duration RECORD_RETENTION = Duration.ofDays(7);

  private final CoreTransactionsClient core;
  private final TransactionWritePath writePath;
  private final DynamoDbClient dynamoDb;
  private final String ingestionTable;
  private final Clock clock;

  public PlatformTransactionsService(
      CoreTransactionsClient core,
      TransactionWritePath writePath,
      DynamoDbClient dynamoDb,
      String ingestionTable,
      Clock clock) {
    this.core = Objects.requireNonNull(core, "core");
    this.writePath = Objects.requireNonNull(writePath, "writePath");
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.ingestionTable = Objects.requireNonNull(ingestionTable, "ingestionTable");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Per-account outcome counts of one delivery. */
  public record Result(int accounts, int loaded, int announced, int skipped) {}

  public Result handle(Events.PlatformAccountTransactionAdded detail, RequestLog log) {
    OrganizationId org = OrganizationId.of(detail.organizationId());
    if (detail.eventId() == null || detail.eventId().isBlank()) {
      throw new ValidationException("missing_event_id", "the event detail has no eventId");
    }
    int loaded = 0;
    int announced = 0;
    int skipped = 0;
    for (Events.AnnouncedAccount announced0 : detail.accounts()) {
      AccountId account;
      try {
        account = AccountId.of(announced0.accountId());
      } catch (ValidationException e) {
        // The code only: the message previews the given value, which may be a real account number.
        log.failure("account", "skipped an invalid account id", Map.of("reason", e.code()));
        skipped++;
        continue;
      }
      int n = account(org, detail.eventId(), announced0.memberId(), account, log);
      if (n < 0) {
        skipped++;
      } else {
        loaded += n;
        if (n > 0) {
          announced++;
        }
      }
    }
    return new Result(detail.accounts().size(), loaded, announced, skipped);
  }

  /** Loads one account's new transactions; returns how many, or -1 when skipped. */
  private int account(
      OrganizationId org, String eventId, String memberHint, AccountId account, RequestLog log) {
    Map<String, AttributeValue> recordKey =
        Map.of(
            Tables.PK,
            AttributeValue.fromS("ANNOUNCED#" + org.value() + "#" + eventId),
            Tables.SK,
            AttributeValue.fromS("ACCT#" + account.value()));
    Map<String, AttributeValue> record =
        dynamoDb
            .getItem(r -> r.tableName(ingestionTable).key(recordKey).consistentRead(true))
            .item();
    if (record != null && record.containsKey("doneAt")) {
      log.event("alreadyDone", "this delivery already loaded the account", Map.of());
      return 0;
    }
    Set<String> planned = new HashSet<>();
    if (record != null && record.containsKey("keys")) {
      planned.addAll(record.get("keys").ss());
    }
    String pk = WarehouseKeys.accountPk(org, account);
    String latestDate = latestPostedDate(pk);
    Set<String> present = latestDate == null ? Set.of() : keysFrom(pk, latestDate);
    Optional<MemberId> owner =
        Optional.ofNullable(memberHint)
            .map(MemberId::of)
            .or(() -> AccountOwnership.ownerOf(dynamoDb, writePath.warehouseTable(), org, account));
    List<JsonNode> fetched =
        core.fetch(
            org.value(),
            log.transactionId(),
            owner.map(MemberId::value).orElse(null),
            account.value(),
            latestDate);
    TransactionValidator validator = new TransactionValidator();
    String[] values = new String[Column.count()];
    List<TransactionRow> fresh = new ArrayList<>();
    int invalid = 0;
    for (JsonNode t : fetched) {
      for (Column c : Column.values()) {
        JsonNode v = t.get(c.header());
        values[c.ordinal()] = v == null || v.isNull() ? null : v.asText();
      }
      if (values[Column.MEMBER_ID.ordinal()] == null && owner.isPresent()) {
        values[Column.MEMBER_ID.ordinal()] = owner.get().value();
      }
      if (values[Column.ACCOUNT_ID.ordinal()] == null) {
        values[Column.ACCOUNT_ID.ordinal()] = account.value();
      }
      TransactionRow row = validator.validate(values);
      if (row == null || !row.accountId().equals(account.value())) {
        invalid++;
        continue;
      }
      String sk = row.postedDate() + "#" + row.transactionId();
      boolean newer = latestDate == null || row.postedDate().compareTo(latestDate) >= 0;
      if (planned.contains(sk) || (newer && !present.contains(sk))) {
        fresh.add(row);
      }
    }
    if (invalid > 0) {
      log.failure(
          "validate",
          "the core returned transactions that break the contract",
          Map.of("invalid", invalid));
    }
    if (fresh.isEmpty()) {
      markDone(recordKey);
      log.event(
          "upToDate", "no new transactions for the account", Map.of("fetched", fetched.size()));
      return 0;
    }
    if (record == null || !record.containsKey("keys")) {
      Map<String, AttributeValue> plan = new java.util.HashMap<>(recordKey);
      plan.put(
          "keys",
          AttributeValue.fromSs(
              fresh.stream()
                  .map(r -> r.postedDate() + "#" + r.transactionId())
                  .distinct()
                  .toList()));
      plan.put(Tables.TTL, ttl());
      dynamoDb.putItem(r -> r.tableName(ingestionTable).item(plan));
    }
    Instant now = clock.instant();
    String source = "connector:" + CoreTransactionsClient.DEFAULT_CONNECTOR;
    writePath.writeRows(org, source, now, fresh);
    AccountActivities activities = new AccountActivities();
    for (TransactionRow row : fresh) {
      activities.add(row);
    }
    List<AccountActivity> list = activities.list();
    writePath.writeOwnership(org, list);
    List<TransactionEvents.Announcement> announcements = new ArrayList<>();
    for (AccountActivity a : list) {
      announcements.add(
          new TransactionEvents.Announcement(
              a,
              TransactionEvents.eventId(
                  Topic.ACCOUNT_TRANSACTION_ADDED.detailType(),
                  org.value(),
                  eventId,
                  a.accountId())));
    }
    writePath.announce(org, announcements, log.transactionId());
    markDone(recordKey);
    log.event(
        "loaded",
        "loaded the account's new transactions and announced them",
        Map.of("fetched", fetched.size(), "loaded", fresh.size()));
    return fresh.size();
  }

  private String latestPostedDate(String pk) {
    QueryResponse response =
        dynamoDb.query(
            r ->
                r.tableName(writePath.warehouseTable())
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .scanIndexForward(false)
                    .limit(1)
                    .consistentRead(true));
    if (response.items().isEmpty()) {
      return null;
    }
    String sk = response.items().get(0).get(Tables.SK).s();
    return sk.substring(0, sk.indexOf('#'));
  }

  /** Sort keys of the account's transactions posted on or after {@code fromDate}. */
  private Set<String> keysFrom(String pk, String fromDate) {
    Set<String> keys = new HashSet<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> exclusiveStart = start;
      QueryResponse page =
          dynamoDb.query(
              r -> {
                r.tableName(writePath.warehouseTable())
                    .keyConditionExpression("pk = :pk AND sk >= :from")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk", AttributeValue.fromS(pk),
                            ":from", AttributeValue.fromS(fromDate)))
                    .projectionExpression("sk")
                    .consistentRead(true);
                if (exclusiveStart != null) {
                  r.exclusiveStartKey(exclusiveStart);
                }
              });
      page.items().forEach(i -> keys.add(i.get(Tables.SK).s()));
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return keys;
  }

  private void markDone(Map<String, AttributeValue> recordKey) {
    dynamoDb.updateItem(
        r ->
            r.tableName(ingestionTable)
                .key(recordKey)
                .updateExpression("SET doneAt = :d, #ttl = :t")
                .expressionAttributeNames(Map.of("#ttl", Tables.TTL))
                .expressionAttributeValues(
                    Map.of(":d", AttributeValue.fromS(clock.instant().toString()), ":t", ttl())));
  }

  private AttributeValue ttl() {
    return AttributeValue.fromN(
        Long.toString(clock.instant().plus(RECORD_RETENTION).getEpochSecond()));
  }
}
