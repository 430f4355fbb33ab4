package com.cdp.bench.transactions;

import com.cdp.access.AccountOwnership;
import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.local.standin.Dynalite;
import com.cdp.local.standin.LocalResources;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.Money;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.id.TransactionId;
import com.cdp.model.session.Session;
import com.cdp.model.table.Tables;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.model.warehouse.WarehouseTransaction;
import com.cdp.transactions.AccountAccess;
import com.cdp.transactions.CursorCodec;
import com.cdp.transactions.CursorKeyRing;
import com.cdp.transactions.CursorKeys;
import com.cdp.transactions.TransactionPager;
import com.cdp.transactions.TransactionPager.ReadSizing;
import com.cdp.transactions.TransactionsService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Pages through one account of N transactions (default 10,000) on dynalite at filter selectivities
 * of 100%, 10% and 1%, through the real {@link TransactionsService} (session, ownership, cursor
 * signing and verification included), for each {@link ReadSizing}. Reports items evaluated per item
 * returned against the ideal (1 / selectivity), DynamoDB Queries per page and latency per page;
 * plus, as the baseline, what a single DynamoDB Query with {@code Limit=limit} and the same filter
 * returns per page (the naive implementation the fill loop replaces).
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *   com.cdp.bench.transactions.TransactionsPagingBench [transactions=10000] [limit=25] [maxPages=40]
 * </pre>
 */
public final class TransactionsPagingBench {
  private static final OrganizationId ORG = OrganizationId.of("bench");
  private static final MemberId MEMBER = MemberId.of("m-1");
  private static final AccountId ACCOUNT = AccountId.of("acct-1");

  private record Case(String name, double selectivity, Map<String, String> filter) {}

  private record Result(
      String caseName,
      ReadSizing sizing,
      int pages,
      long returned,
      long evaluated,
      long calls,
      int maxCalls,
      double[] latenciesMs) {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    // Enough pages for stable figures without reading 10k items per configuration.
    int maxPages = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    Path repoRoot = repoRoot();
    try (Dynalite dynalite = Dynalite.start(repoRoot, 0, Optional.empty());
        DynamoDbClient dynamoDb = AwsClients.dynamoDb(AwsTarget.local(dynalite.endpoint()))) {
      String table = Tables.WAREHOUSE.physicalName("bench");
      LocalResources.createTable(dynamoDb, Tables.WAREHOUSE, table);
      LocalResources.createTable(dynamoDb, Tables.SESSIONS, Tables.SESSIONS.physicalName("bench"));
      long loadStart = System.nanoTime();
      load(dynamoDb, table, count);
      System.out.printf(
          Locale.ROOT,
          "loaded %d transactions in %.1f s%n",
          count,
          (System.nanoTime() - loadStart) / 1e9);

      List<Case> cases =
          List.of(
              new Case("100% (no filter: key condition only)", 1.0, Map.of()),
              new Case("100% (filter expression matching all)", 1.0, Map.of("q", "purchase")),
              new Case("10% (q=tenth)", 0.1, Map.of("q", "tenth")),
              new Case("1% (q=hundredth)", 0.01, Map.of("q", "hundredth")));
      // Warm-up: JIT, connection pool, dynalite's caches.
      for (Case c : cases) {
        run(dynamoDb, table, c, ReadSizing.ADAPTIVE, limit, 3);
      }
      List<Result> results = new ArrayList<>();
      for (Case c : cases) {
        for (ReadSizing sizing : ReadSizing.values()) {
          results.add(run(dynamoDb, table, c, sizing, limit, maxPages));
        }
      }
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "account: %d transactions, limit=%d, dynalite in memory, at most %d pages per run%n%n",
          count,
          limit,
          maxPages);
      System.out.println(
          "| selectivity | sizing | pages | evaluated / returned | ideal | DynamoDB calls / page"
              + " (max) | latency / page p50 / p95 (ms) |");
      System.out.println("|---|---|---|---|---|---|---|");
      for (Result r : results) {
        Case c = cases.stream().filter(x -> x.name().equals(r.caseName())).findFirst().get();
        double[] sorted = r.latenciesMs().clone();
        Arrays.sort(sorted);
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %d | %.2f | %.0f | %.2f (%d) | %.1f / %.1f |%n",
            r.caseName(),
            r.sizing(),
            r.pages(),
            (double) r.evaluated() / Math.max(1, r.returned()),
            1 / c.selectivity(),
            (double) r.calls() / r.pages(),
            r.maxCalls(),
            percentile(sorted, 0.5),
            percentile(sorted, 0.95));
      }
      System.out.println();
      System.out.println(
          "Baseline, one Query per page with Limit=" + limit + " and the same filter:");
      System.out.println("| selectivity | items per page (mean) | empty pages | short pages |");
      System.out.println("|---|---|---|---|");
      for (Case c : cases) {
        naive(dynamoDb, table, c, limit);
      }
    }
  }

  private static Result run(
      DynamoDbClient dynamoDb, String table, Case c, ReadSizing sizing, int limit, int maxPages) {
    Clock clock = Clock.systemUTC();
    TransactionsService service =
        new TransactionsService(
            new SessionService(dynamoDb, Tables.SESSIONS.physicalName("bench"), clock),
            AccountAccess.ownership(dynamoDb, table),
            new TransactionPager(dynamoDb, table, sizing),
            new CursorCodec(
                CursorKeyRing.fixed(CursorKeys.of("k".repeat(43)), clock),
                clock,
                Duration.ofHours(1)));
    Session session =
        new Session("bench", ORG, MEMBER, Instant.now(), Instant.now().plus(Duration.ofHours(1)));
    PlatformLogger logger = PlatformLogger.inMemory(new InMemoryLogPublisher());
    String cursor = null;
    int pages = 0;
    long returned = 0;
    long evaluated = 0;
    long calls = 0;
    int maxCalls = 0;
    List<Double> latencies = new ArrayList<>();
    do {
      Map<String, String> params = new LinkedHashMap<>(c.filter());
      params.put("limit", String.valueOf(limit));
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      long start = System.nanoTime();
      TransactionsService.Listing listing;
      try (RequestLog log = logger.open(LogType.APP, ORG.value(), null)) {
        listing = service.list(session, ACCOUNT.value(), params, log);
      }
      latencies.add((System.nanoTime() - start) / 1e6);
      pages++;
      returned += listing.transactions().size();
      evaluated += listing.stats().evaluated();
      calls += listing.stats().calls();
      maxCalls = Math.max(maxCalls, listing.stats().calls());
      if (listing.nextCursor() != null && listing.transactions().size() != limit) {
        throw new IllegalStateException(
            "short page with a cursor: " + listing.transactions().size());
      }
      cursor = listing.nextCursor();
    } while (cursor != null && pages < maxPages);
    return new Result(
        c.name(),
        sizing,
        pages,
        returned,
        evaluated,
        calls,
        maxCalls,
        latencies.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** One Query per page, Limit=limit, same filter: what DynamoDB hands back without a fill loop. */
  private static void naive(DynamoDbClient dynamoDb, String table, Case c, int limit) {
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start = null;
    int pages = 0;
    long items = 0;
    int empty = 0;
    int shortPages = 0;
    String q = c.filter().get("q");
    do {
      var request =
          software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
              .tableName(table)
              .keyConditionExpression("pk = :pk")
              .scanIndexForward(false)
              .limit(limit);
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values =
          new LinkedHashMap<>();
      values.put(
          ":pk",
          software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
              "ORG#" + ORG.value() + "#ACCT#" + ACCOUNT.value()));
      if (q != null) {
        request.filterExpression("contains(searchText, :q)");
        values.put(":q", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(q));
      }
      request.expressionAttributeValues(values);
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      QueryResponse response = dynamoDb.query(request.build());
      pages++;
      items += response.count();
      if (response.count() == 0) {
        empty++;
      } else if (response.count() < limit) {
        shortPages++;
      }
      start =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
    } while (start != null);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.2f | %d of %d (%.0f%%) | %d |%n",
        c.name(),
        (double) items / pages,
        empty,
        pages,
        100.0 * empty / pages,
        shortPages);
  }

  /**
   * Transactions a few per day, newest last; every 10th description says "tenth", every 100th
   * "hundredth" (and so also "tenth"), so a q filter selects 10% or 1%.
   */
  private static void load(DynamoDbClient dynamoDb, String table, int count) {
    List<WriteRequest> writes = new ArrayList<>(AccountOwnership.writes(ORG, MEMBER, ACCOUNT));
    LocalDate first = LocalDate.parse("2017-01-01");
    for (int i = 0; i < count; i++) {
      String tag = i % 100 == 0 ? " hundredth tenth" : i % 10 == 0 ? " tenth" : "";
      WarehouseTransaction t =
          new WarehouseTransaction(
              ORG,
              MEMBER,
              ACCOUNT,
              TransactionId.of(String.format(Locale.ROOT, "TX%08d", i)),
              first.plusDays(i / 3),
              Optional.empty(),
              Money.parse(String.format(Locale.ROOT, "-%d.%02d", i % 500, i % 100)),
              "Card purchase at merchant " + (i % 37) + tag,
              Optional.of(Money.parse(String.format(Locale.ROOT, "%d.00", 10_000 + i))),
              Optional.of(TransactionType.DEBIT),
              Optional.empty(),
              Optional.of("5411"),
              Optional.empty(),
              Optional.empty(),
              "bench",
              Instant.parse("2026-11-28T00:00:00Z"));
      writes.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(t.toItem()).build()).build());
    }
    for (int i = 0; i < writes.size(); i += 25) {
      Map<String, List<WriteRequest>> pending =
          Map.of(table, writes.subList(i, Math.min(i + 25, writes.size())));
      while (!pending.isEmpty()) {
        Map<String, List<WriteRequest>> request = pending;
        BatchWriteItemResponse response = dynamoDb.batchWriteItem(r -> r.requestItems(request));
        pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
      }
    }
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static Path repoRoot() {
    String configured = System.getProperty("cdp.repoRoot");
    Path dir = Path.of(configured != null ? configured : "").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("package.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run from the repository (node_modules/dynalite is needed)");
    }
    return dir;
  }
}
