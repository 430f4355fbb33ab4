package com.cdp.ingestion.platform;

import com.cdp.access.AccountOwnership;
import com.cdp.logging.RequestLog;
import com.cdp.model.ValidationException;
import com.cdp.model.connector.ConnectorSources;
import com.cdp.model.event.Events;
import com.cdp.model.event.Topic;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
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
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Handles {@code platform_account_transactionadded}: for each announced account, fetches the
 * account's transactions from the core, loads those the warehouse does not hold yet (by transaction
 * id) through the shared write path and emits {@code account_transactionadded}.
 *
 * <p>Tenant safety: announcements are accepted only from the connector sources configured for the
 * organization ({@link ConnectorSources}); an announcement never changes who owns an account. Its
 * {@code memberId} is a routing hint: when it is not one of the account's stored owners it is
 * logged (without the ids) and counted, never applied, and never sent to the core. Only core rows
 * that carry their own {@code memberId} list owners.
 *
 * <p>Accounts are processed {@code concurrency} at a time, so a large announcement finishes within
 * the function's timeout. Idempotent under at-least-once delivery: a per-(source, event, account)
 * record in the INGESTION table remembers what a delivery is loading and when it is done, and the
 * emitted event's id is derived from the incoming one.
 */
final class PlatformTransactionsService {
  static final Duration RECORD_RETENTION = Duration.ofDays(7);

  /**
   * How far before the newest stored posted date the core is asked for transactions ({@code
   * since}): cores post some transactions late, with an earlier date.
   */
  static final Period CORE_LOOKBACK = Period.ofDays(7);

  private final CoreTransactionsClient core;
  private final TransactionWritePath writePath;
  private final DynamoDbClient dynamoDb;
  private final String ingestionTable;
  private final ConnectorSources sources;
  private final ExecutorService accountsPool;
  private final Clock clock;

  /** All sources refused and accounts processed one at a time: tests of other behaviour. */
  public PlatformTransactionsService(
      CoreTransactionsClient core,
      TransactionWritePath writePath,
      DynamoDbClient dynamoDb,
      String ingestionTable,
      Clock clock) {
    this(core, writePath, dynamoDb, ingestionTable, ConnectorSources.none(), 1, clock);
  }

  /**
   * @param sources the connector sources each organization accepts announcements from
   * @param concurrency accounts processed at once (a pool of that many threads, per container)
   */
  public PlatformTransactionsService(
      CoreTransactionsClient core,
      TransactionWritePath writePath,
      DynamoDbClient dynamoDb,
      String ingestionTable,
      ConnectorSources sources,
      int concurrency,
      Clock clock) {
    this.core = Objects.requireNonNull(core, "core");
    this.writePath = Objects.requireNonNull(writePath, "writePath");
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.ingestionTable = Objects.requireNonNull(ingestionTable, "ingestionTable");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    AtomicInteger n = new AtomicInteger();
    this.accountsPool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "announced-account-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Outcome counts of one delivery: accounts announced, transactions loaded, accounts announced
   * onward, accounts skipped (invalid id), whether the whole announcement was refused (source not
   * configured for the organization) and how many member hints disagreed with the stored owners.
   */
  public record Result(
      int accounts,
      int loaded,
      int announced,
      int skipped,
      boolean refused,
      int ownerHintMismatches) {
    public Result(int accounts, int loaded, int announced, int skipped) {
      this(accounts, loaded, announced, skipped, false, 0);
    }

    static Result refusedOne(int accounts) {
      return new Result(accounts, 0, 0, 0, true, 0);
    }
  }

  /** One account's outcome: loaded count (-1 skipped) and whether its hint was ignored. */
  private record AccountOutcome(int loaded, boolean hintMismatch) {}

  /**
   * Handles one announcement from {@code source} (the event's {@code source}).
   *
   * @throws ValidationException when the detail has no eventId
   */
  public Result handle(
      String source, Events.PlatformAccountTransactionAdded detail, RequestLog log) {
    OrganizationId org = OrganizationId.of(detail.organizationId());
    if (!sources.allows(org.value(), source)) {
      log.failure(
          "refused",
          "announcement refused: the source is not a connector configured for the organization",
          Map.of("accounts", detail.accounts().size()));
      return Result.refusedOne(detail.accounts().size());
    }
    if (detail.eventId() == null || detail.eventId().isBlank()) {
      throw new ValidationException("missing_event_id", "the event detail has no eventId");
    }
    List<Future<AccountOutcome>> outcomes = new ArrayList<>(detail.accounts().size());
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
      MemberId hint = hint(announced0.memberId());
      outcomes.add(
          accountsPool.submit(() -> account(org, source, detail.eventId(), hint, account, log)));
    }
    if (skipped > 0) {
      synchronized (log) {
        log.failure(
            "account",
            "skipped announced accounts whose id is not a valid account id",
            Map.of("skipped", skipped));
      }
    }
    int loaded = 0;
    int announced = 0;
    int mismatches = 0;
    RuntimeException failure = null;
    for (Future<AccountOutcome> f : outcomes) {
      try {
        AccountOutcome o = f.get();
        if (o.hintMismatch()) {
          mismatches++;
        }
        if (o.loaded() < 0) {
          skipped++;
        } else {
          loaded += o.loaded();
          if (o.loaded() > 0) {
            announced++;
          }
        }
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (mismatches > 0) {
      synchronized (log) {
        log.failure(
            "ownerHint",
            "announced member ids that are not owners of their accounts were ignored",
            Map.of("mismatches", mismatches));
      }
    }
    if (failure != null) {
      // Finished accounts are marked done: EventBridge's retry redoes only the others.
      throw failure;
    }
    return new Result(detail.accounts().size(), loaded, announced, skipped, false, mismatches);
  }

  private static MemberId hint(String memberId) {
    if (memberId == null) {
      return null;
    }
    try {
      return MemberId.of(memberId);
    } catch (ValidationException e) {
      return null;
    }
  }

  /** Loads one account's new transactions. */
  private AccountOutcome account(
      OrganizationId org,
      String source,
      String eventId,
      MemberId hint,
      AccountId account,
      RequestLog log) {
    Map<String, AttributeValue> recordKey =
        Map.of(
            Tables.PK,
            AttributeValue.fromS("ANNOUNCED#" + org.value() + "#" + source + "#" + eventId),
            Tables.SK,
            AttributeValue.fromS("ACCT#" + account.value()));
    Set<MemberId> owners =
        AccountOwnership.owners(dynamoDb, writePath.warehouseTable(), org, account);
    boolean mismatch = hint != null && !owners.contains(hint);
    Map<String, AttributeValue> record =
        dynamoDb
            .getItem(r -> r.tableName(ingestionTable).key(recordKey).consistentRead(true))
            .item();
    if (record != null && record.containsKey("doneAt")) {
      return new AccountOutcome(0, mismatch);
    }
    Set<String> planned = new HashSet<>();
    if (record != null && record.containsKey("keys")) {
      planned.addAll(record.get("keys").ss());
    }
    String pk = WarehouseKeys.accountPk(org, account);
    String latestDate = latestPostedDate(pk);
    // The member sent to the core is a stored owner (the hint when it is one), never an unverified
    // hint: a core that echoes it into its rows would otherwise hand the account to the hint.
    MemberId coreMember = hint != null && owners.contains(hint) ? hint : first(owners);
    List<JsonNode> fetched =
        core.fetch(
            org.value(),
            log.transactionId(),
            coreMember == null ? null : coreMember.value(),
            account.value(),
            latestDate == null
                ? null
                : LocalDate.parse(latestDate).minus(CORE_LOOKBACK).toString());
    TransactionValidator validator = new TransactionValidator();
    String[] values = new String[Column.count()];
    List<TransactionRow> rows = new ArrayList<>();
    List<Boolean> memberFromCore = new ArrayList<>();
    int invalid = 0;
    String earliest = null;
    for (JsonNode t : fetched) {
      for (Column c : Column.values()) {
        JsonNode v = t.get(c.header());
        values[c.ordinal()] = v == null || v.isNull() ? null : v.asText();
      }
      boolean fromCore = values[Column.MEMBER_ID.ordinal()] != null;
      if (!fromCore && coreMember != null) {
        // Attributed to a stored owner for the item's memberId; it lists no owner.
        values[Column.MEMBER_ID.ordinal()] = coreMember.value();
      }
      if (values[Column.ACCOUNT_ID.ordinal()] == null) {
        values[Column.ACCOUNT_ID.ordinal()] = account.value();
      }
      TransactionRow row = validator.validate(values);
      if (row == null || !row.accountId().equals(account.value())) {
        invalid++;
        continue;
      }
      rows.add(row);
      memberFromCore.add(fromCore);
      if (earliest == null || row.postedDate().compareTo(earliest) < 0) {
        earliest = row.postedDate();
      }
    }
    if (invalid > 0) {
      synchronized (log) {
        log.failure(
            "validate",
            "the core returned transactions that break the contract (or name no member for an"
                + " account without owners)",
            Map.of("invalid", invalid));
      }
    }
    // De-duplicated by transaction id, whatever its date: rows the core reports late, dated before
    // the newest stored one, are loaded too.
    Set<String> presentIds = earliest == null ? Set.of() : transactionIdsFrom(pk, earliest);
    List<TransactionRow> fresh = new ArrayList<>();
    AccountActivity activity = null;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      TransactionRow row = rows.get(i);
      String sk = row.postedDate() + "#" + row.transactionId();
      boolean wanted = planned.contains(sk) || !presentIds.contains(row.transactionId());
      if (!wanted || !seen.add(row.transactionId())) {
        continue;
      }
      fresh.add(row);
      if (activity == null) {
        activity = new AccountActivity(account.value(), row.memberId());
      }
      activity.add(row.transactionId(), row.postedDate());
      if (memberFromCore.get(i)) {
        activity.listOwner(row.memberId(), row.postedDate());
      }
    }
    if (fresh.isEmpty()) {
      markDone(recordKey);
      return new AccountOutcome(0, mismatch);
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
    String loadSource = "connector:" + CoreTransactionsClient.DEFAULT_CONNECTOR;
    writePath.writeRows(org, loadSource, now, fresh);
    writePath.writeOwnership(org, List.of(activity));
    writePath.announce(
        org,
        List.of(
            new TransactionEvents.Announcement(
                activity,
                TransactionEvents.eventId(
                    Topic.ACCOUNT_TRANSACTION_ADDED.detailType(),
                    org.value(),
                    source + "#" + eventId,
                    account.value()))),
        log.transactionId());
    markDone(recordKey);
    return new AccountOutcome(fresh.size(), mismatch);
  }

  private static MemberId first(Set<MemberId> owners) {
    return owners.isEmpty() ? null : owners.iterator().next();
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

  /** Transaction ids of the account's items posted on or after {@code fromDate}. */
  private Set<String> transactionIdsFrom(String pk, String fromDate) {
    Set<String> ids = new HashSet<>();
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
      page.items().forEach(i -> ids.add(WarehouseKeys.transactionIdOf(i.get(Tables.SK).s())));
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return ids;
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
