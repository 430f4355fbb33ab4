package com.cdp.bench.coldstart;

import com.cdp.access.SessionService;
import com.cdp.bench.localrt.NoopHandler;
import com.cdp.ingestion.ChunkKeys;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.platform.ingestion.IngestionLocal;
import com.cdp.local.platform.links.LinksLocal;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.local.platform.transactions.TransactionsLocal;
import com.cdp.local.runtime.FunctionPool;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.CloudAssembly;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import com.cdp.model.wiring.Triggers;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Cold start of every function as the local platform runs it: each function is started by the
 * platform's runtime ({@link FunctionPool}: its own JVM from the template's {@code -lambda.jar},
 * the Runtime Interface Client against the local Runtime API, the template's handler, memory and
 * resolved environment, nothing set by this harness), and given a real event that does fresh work.
 * Per iteration its JVM is stopped first, so the invocation is a cold start (launch to answer); a
 * second invocation with a new event reuses the warm JVM. The same-run baseline is a no-op handler
 * ({@link NoopHandler}) started and invoked through the same pool, alternated with each function:
 * what the JVM, the RIC and the Runtime API cost before any function code. Prints a Markdown table,
 * the evidence that the work was done, and the RSS of the platform with every template function
 * warm.
 *
 * <p>Usage: {@code ColdStart REPO_ROOT [RUNS] [MODULE,MODULE...]} after {@code mvn -B install
 * -DskipTests} (a subset must keep lambda-txn-chunker before lambda-txn-loader: the loader loads
 * the chunker's chunks).
 */
public final class ColdStart {
  /** One function (its module) and the event of run {@code i} (each run does fresh work). */
  private record Case(String module, IntFunction<String> event) {}

  private record Result(
      String module,
      double jarMb,
      double coldMs,
      double warmMs,
      double noopColdMs,
      double noopWarmMs,
      String sample) {}

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
    if (CloudAssembly.ensure(repo, repo.resolve("infra-cdk/target/cdk-local"))) {
      System.out.println("synthesized the local template");
    }
    Path work = Files.createTempDirectory("coldstart");
    // The areas whose secrets and simulators the cases need, but not the ingestion area's triggers:
    // every upload below is handled only by the invocation made here, so it does the whole work
    // instead of finding it done. Every function runs from the template.
    List<LocalService> areas =
        List.of(
            new TransactionsLocal(),
            new RealtimeLocal(),
            new LinksLocal(),
            new IngestionSimulatorsOnly(new IngestionLocal()));
    long start = System.nanoTime();
    try (LocalPlatform platform =
        LocalPlatform.start(LocalOptions.forTests(work.resolve("data"), repo), areas)) {
      System.out.printf(
          "platform ready (template, stand-ins, 4 areas, gateway): %d ms%n",
          (System.nanoTime() - start) / 1_000_000);
      LocalTemplate.Function noop = NoopHandler.function(work, "ColdStartNoop", "cold-start-noop");
      List<Case> cases = cases(platform, runs);
      List<Result> results = new ArrayList<>();
      for (Case c : cases) {
        if (only.isEmpty() || only.contains(c.module())) {
          results.add(measure(platform, noop, c, runs));
        }
      }
      print(results, runs);
      if (only.isEmpty() || only.containsAll(List.of("lambda-txn-chunker", "lambda-txn-loader"))) {
        printEvidence(platform, 2 * runs);
      }
      platform.awaitIdle(Duration.ofMinutes(2));
      warmEveryFunction(platform);
      rss(platform);
    }
  }

  /**
   * The ingestion area's simulators (the core, Segmint and its credentials secret, which the
   * cleanser reads at init) without its triggers: the harness invokes the ingestion functions
   * itself.
   */
  private record IngestionSimulatorsOnly(IngestionLocal area) implements LocalService {
    @Override
    public String name() {
      return "ingestion simulators";
    }

    @Override
    public void start(LocalPlatform platform) {
      area.start(platform);
    }
  }

  private static String transactionsCsv(int run) {
    StringBuilder csv =
        new StringBuilder("memberId,accountId,transactionId,postedDate,amount,description\n");
    for (int i = 0; i < 100; i++) {
      csv.append("m-1,a-1,t-")
          .append(run)
          .append('-')
          .append(i)
          .append(",2026-11-")
          .append(10 + i % 15)
          .append(",-")
          .append(i)
          .append(".25,POS COFFEE SHOP #")
          .append(i)
          .append('\n');
    }
    return csv.toString();
  }

  private static List<Case> cases(LocalPlatform p, int runs) throws Exception {
    OrganizationId org = OrganizationId.of("tcu");
    String bucket = p.ensureOrganization(org);
    S3Client s3 = p.s3();
    // One file per run, uploaded now; nothing reacts to it until the chunker run it belongs to.
    List<String> eTags = new ArrayList<>();
    // Run 2i is the cold invocation of iteration i, run 2i+1 the warm one.
    for (int run = 0; run < 2 * runs; run++) {
      String key = "transactions/cold-start-" + run + ".csv";
      eTags.add(
          s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(transactionsCsv(run)))
              .eTag());
    }
    IntFunction<String> chunkOfRun =
        run -> {
          String fileId =
              ChunkKeys.fileId("transactions/cold-start-" + run + ".csv", eTags.get(run));
          return s3
              .listObjectsV2(
                  r -> r.bucket(bucket).prefix(Triggers.TRANSACTION_CHUNKS.prefix() + fileId + "/"))
              .contents()
              .stream()
              .map(S3Object::key)
              .filter(k -> ChunkKeys.parseChunk(k).isPresent())
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("the chunker wrote no chunk for " + fileId));
        };
    String token =
        new SessionService(p.dynamoDb(), p.tableName(Tables.SESSIONS), Clock.systemUTC())
            .create(org, MemberId.of("m-1"), Duration.ofHours(1))
            .token();
    String code = createShortLink(p);
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "lambda-txn-chunker",
            run -> s3Event(bucket, "transactions/cold-start-" + run + ".csv", eTags.get(run))));
    cases.add(new Case("lambda-txn-loader", run -> s3Event(bucket, chunkOfRun.apply(run), "0")));
    cases.add(
        new Case(
            "lambda-platform-txn-added",
            run ->
                busEvent(
                    "platform_account_transactionadded",
                    "cdp.connector.cdp-transfer",
                    Map.of(
                        "organizationId",
                        "tcu",
                        "eventId",
                        UUID.randomUUID().toString(),
                        "accounts",
                        List.of(Map.of("memberId", "m-1", "accountId", "a-" + (run + 2)))))));
    cases.add(
        new Case(
            "lambda-txn-cleanser",
            run ->
                accountEvent(
                    "account_transactionadded",
                    Map.of(
                        "transactionIds",
                        List.of("t-" + run + "-1", "t-" + run + "-2"),
                        "count",
                        2))));
    cases.add(
        new Case(
            "lambda-get-transactions",
            run ->
                httpEvent(
                    "GET",
                    "/accounts/a-1/transactions",
                    Map.of("accountId", "a-1"),
                    Map.of("authorization", "Bearer " + token),
                    null)));
    String connectionPrefix = "coldStart" + UUID.randomUUID().toString().substring(0, 8);
    cases.add(
        new Case(
            "lambda-ws-connect",
            run ->
                wsEvent(
                    "$connect",
                    "CONNECT",
                    connectionPrefix + run + "=",
                    Map.of("token", token),
                    null)));
    cases.add(
        new Case(
            "lambda-ws-subscribe",
            run ->
                wsEvent(
                    "$default",
                    "MESSAGE",
                    connectionPrefix + run + "=",
                    null,
                    "{\"action\":\"subscribe\",\"topics\":[\"account_balanceupdated\"]}")));
    cases.add(
        new Case(
            "lambda-relay-message",
            run ->
                accountEvent(
                    "account_balanceupdated",
                    Map.of("balance", 10 + run, "updatedAt", "2026-11-28T00:00:00Z"))));
    cases.add(
        new Case(
            "lambda-url-shortener",
            run ->
                httpEvent(
                    "GET",
                    "/" + code,
                    Map.of("code", code),
                    Map.of("host", "tcu." + LinksLocal.SHORT_DOMAIN),
                    null)));
    cases.add(
        new Case(
            "lambda-call-connector",
            run ->
                Json.write(
                    Map.of(
                        "organizationId",
                        "tcu",
                        "connector",
                        "cdp-transfer",
                        "version",
                        "1",
                        "method",
                        "syncTransfers",
                        "params",
                        Map.of("run", run)))));
    cases.add(
        new Case(
            "lambda-group-assignment-trigger",
            run ->
                s3Event(
                    bucket,
                    "group-assignments/cold-start-" + UUID.randomUUID() + ".csv",
                    UUID.randomUUID().toString())));
    return cases;
  }

  /** A real link to redirect to, created through the local {@code POST /links} with the CLI key. */
  private static String createShortLink(LocalPlatform p) throws Exception {
    String key = Files.readString(p.dataDir().resolve(LinksLocal.CLI_KEY_FILE)).strip();
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(p.gatewayUrl().resolve("/links"))
                    .header("content-type", "application/json")
                    .header("x-api-key", key)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            Json.write(
                                Map.of(
                                    "url",
                                    "https://www.example.com/cold-start",
                                    "organizationId",
                                    "tcu"))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201 && created.statusCode() != 200) {
      throw new IllegalStateException("could not create a short link: " + created.body());
    }
    return Json.tree(created.body()).path("code").asText();
  }

  private static String s3Event(String bucket, String key, String eTag) {
    return Json.write(
        Map.of(
            "Records",
            List.of(
                Map.of(
                    "eventVersion",
                    "2.1",
                    "eventSource",
                    "aws:s3",
                    "awsRegion",
                    "us-east-1",
                    "eventTime",
                    "2026-11-28T00:00:00.000Z",
                    "eventName",
                    "ObjectCreated:Put",
                    "s3",
                    Map.of(
                        "s3SchemaVersion",
                        "1.0",
                        "configurationId",
                        "cold-start",
                        "bucket",
                        Map.of("name", bucket, "arn", "arn:aws:s3:::" + bucket),
                        "object",
                        Map.of("key", key, "size", 1, "eTag", eTag, "sequencer", "0"))))));
  }

  /** A platform event about account a-1 of member m-1 of tcu, with a new event id. */
  private static String accountEvent(String detailType, Map<String, Object> fields) {
    Map<String, Object> detail = new HashMap<>(fields);
    detail.put("organizationId", "tcu");
    detail.put("eventId", UUID.randomUUID().toString());
    detail.put("memberId", "m-1");
    detail.put("accountId", "a-1");
    return busEvent(detailType, "cdp.platform", detail);
  }

  private static String busEvent(String detailType, String source, Map<String, Object> detail) {
    return Json.write(
        Map.of(
            "version",
            "0",
            "id",
            UUID.randomUUID().toString(),
            "detail-type",
            detailType,
            "source",
            source,
            "account",
            "000000000000",
            "time",
            "2026-11-28T00:00:00Z",
            "region",
            "us-east-1",
            "resources",
            List.of(),
            "detail",
            detail));
  }

  private static String httpEvent(
      String method,
      String path,
      Map<String, String> pathParameters,
      Map<String, String> headers,
      String body) {
    Map<String, Object> event = new HashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", method + " " + path);
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    event.put("headers", headers);
    event.put("pathParameters", pathParameters);
    event.put("isBase64Encoded", false);
    if (body != null) {
      event.put("body", body);
    }
    event.put(
        "requestContext",
        Map.of(
            "requestId", UUID.randomUUID().toString(),
            "domainName", headers.getOrDefault("host", "api.local"),
            "http",
                Map.of(
                    "method",
                    method,
                    "path",
                    path,
                    "protocol",
                    "HTTP/1.1",
                    "sourceIp",
                    "127.0.0.1",
                    "userAgent",
                    "cold-start")));
    return Json.write(event);
  }

  private static String wsEvent(
      String routeKey,
      String eventType,
      String connectionId,
      Map<String, String> query,
      String body) {
    Map<String, Object> event = new HashMap<>();
    if (query != null) {
      event.put("queryStringParameters", query);
    }
    if (body != null) {
      event.put("body", body);
    }
    event.put("isBase64Encoded", false);
    event.put(
        "requestContext",
        Map.of(
            "routeKey",
            routeKey,
            "eventType",
            eventType,
            "connectionId",
            connectionId,
            "domainName",
            "127.0.0.1",
            "stage",
            "local",
            "requestId",
            UUID.randomUUID().toString(),
            "apiId",
            "local"));
    return Json.write(event);
  }

  private static Result measure(LocalPlatform p, LocalTemplate.Function noop, Case c, int runs)
      throws Exception {
    FunctionPool pool = p.functions();
    LocalTemplate.Function f = p.function(c.module());
    List<Long> cold = new ArrayList<>();
    List<Long> warm = new ArrayList<>();
    List<Long> noopCold = new ArrayList<>();
    List<Long> noopWarm = new ArrayList<>();
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    String sample = "";
    for (int i = 0; i < runs; i++) {
      // Alternate the function and the baseline so both see the same machine state.
      stop(pool, noop);
      noopCold.add(timed(pool, noop, empty, null));
      noopWarm.add(timed(pool, noop, empty, null));
      stop(pool, f);
      String[] answer = new String[1];
      cold.add(timed(pool, f, c.event().apply(2 * i).getBytes(StandardCharsets.UTF_8), answer));
      warm.add(timed(pool, f, c.event().apply(2 * i + 1).getBytes(StandardCharsets.UTF_8), answer));
      sample = answer[0];
    }
    return new Result(
        c.module(),
        f.code().map(ColdStart::sizeMb).orElse(Double.NaN),
        median(cold),
        median(warm),
        median(noopCold),
        median(noopWarm),
        sample);
  }

  /** Stops the function's environments, so its next invocation is a cold start. */
  private static void stop(FunctionPool pool, LocalTemplate.Function f) throws Exception {
    for (long pid : pool.pids(f)) {
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isPresent()) {
        process.get().destroyForcibly();
        process.get().onExit().get();
      }
    }
  }

  /** One invocation through the pool, in ms; a failed invocation stops the harness. */
  private static long timed(
      FunctionPool pool, LocalTemplate.Function f, byte[] payload, String[] answer) {
    long t0 = System.nanoTime();
    InvocationResult r = pool.invoke(f, payload);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (r.failed()) {
      throw new IllegalStateException(
          f.name() + " failed: " + r.functionError().orElse("") + " " + r.payloadText());
    }
    if (answer != null) {
      String text = r.payloadText().replace('|', '/');
      answer[0] = text.substring(0, Math.min(160, text.length()));
    }
    return ms;
  }

  private static double sizeMb(Path jar) {
    try {
      return Files.size(jar) / 1_048_576.0;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  private static double median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  /**
   * What the invocations left behind, so the table is known to time real work: every run's file
   * chunked and loaded.
   */
  private static void printEvidence(LocalPlatform p, int invocations) {
    String pk = WarehouseKeys.accountPk(OrganizationId.of("tcu"), AccountId.of("a-1"));
    int loaded =
        p
            .dynamoDb()
            .queryPaginator(
                r ->
                    r.tableName(p.tableName(Tables.WAREHOUSE))
                        .keyConditionExpression("pk = :pk and begins_with(sk, :t)")
                        .expressionAttributeValues(
                            Map.of(
                                ":pk",
                                AttributeValue.fromS(pk),
                                ":t",
                                AttributeValue.fromS("2026-"))))
            .stream()
            .mapToInt(QueryResponse::count)
            .sum();
    System.out.printf(
        "%nEvidence: account a-1 holds %,d transactions (%d files x 100 rows chunked by the"
            + " chunker runs and loaded by the loader runs).%n",
        loaded, invocations);
  }

  /**
   * Invokes every template function not warm yet once with {@code {}} (every handler answers it,
   * mostly with its validation error, after its full init), so the RSS below is the platform's with
   * every function warm.
   */
  private static void warmEveryFunction(LocalPlatform p) {
    FunctionPool pool = p.functions();
    for (LocalTemplate.Function declared : p.template().functions()) {
      LocalTemplate.Function f = p.function(declared.name());
      if (pool.pids(f).isEmpty()) {
        pool.invoke(f, "{}".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** RSS of this JVM (gateway, S3Proxy, the areas) and its child processes (function JVMs, ...). */
  private static void rss(LocalPlatform p) {
    long self = rssKb(ProcessHandle.current().pid());
    long children = 0;
    int count = 0;
    for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
      long kb = rssKb(child.pid());
      if (kb > 0) {
        children += kb;
        count++;
      }
    }
    long functionJvms =
        p.template().functions().stream()
            .mapToLong(d -> p.functions().pids(p.function(d.name())).size())
            .sum();
    System.out.printf(
        "RSS with every function warm (%d template functions, %d function JVMs): platform JVM %d"
            + " MB + %d child processes (function JVMs, dynalite) %d MB = %d MB%n",
        p.template().functions().size(),
        functionJvms,
        self / 1024,
        count,
        children / 1024,
        (self + children) / 1024);
  }

  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended
    }
    return 0;
  }

  private static void print(List<Result> results, int runs) {
    System.out.printf(
        "| function | jar (MB) | cold: launch to answer, median of %d (ms) |"
            + " warm invoke (ms) | no-op cold, same runs (ms) | no-op warm (ms) |"
            + " cold ratio to no-op | cold minus no-op (ms) |%n",
        runs);
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.0f | %.0f | %.0f | %.0f | %.2f | %.0f |%n",
          r.module(),
          r.jarMb(),
          r.coldMs(),
          r.warmMs(),
          r.noopColdMs(),
          r.noopWarmMs(),
          r.coldMs() / r.noopColdMs(),
          r.coldMs() - r.noopColdMs());
    }
    System.out.println();
    for (Result r : results) {
      System.out.println("- " + r.module() + " answered: " + r.sample());
    }
  }
}
