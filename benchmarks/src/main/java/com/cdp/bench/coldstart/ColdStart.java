package com.cdp.bench.coldstart;

import com.cdp.cli.local.LocalOptions;
import com.cdp.cli.local.LocalPlatform;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.session.SessionService;
import com.cdp.model.table.Tables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Cold start of every function against the local stand-ins: for each deployable, the jar's size and
 * the wall time from launching a fresh JVM to the end of the first invocation (the production
 * no-argument constructor, configuration from the environment, a real event), next to the floor — a
 * handler in the same jar that only builds the DynamoDB client and makes one call — measured in the
 * same run with the same JVM flags. Prints a Markdown table.
 *
 * <p>Usage: {@code ColdStart REPO_ROOT [RUNS]} after {@code mvn -B package -DskipTests}.
 */
public final class ColdStart {
  private static final String VERSION = "0.1.0-SNAPSHOT";

  /** Lambda's Java runtime flags for a fast start (also set by the CDK on every function). */
  private static final List<String> JVM_FLAGS =
      List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private record Case(String module, String handler, String event, Map<String, String> env) {}

  private record Result(
      String module, long jarBytes, double medianMs, double floorMs, String sample) {}

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path work = Files.createTempDirectory("coldstart");
    try (LocalPlatform platform =
        LocalPlatform.start(LocalOptions.forTests(work.resolve("data"), repo))) {
      List<Case> cases = cases(platform, work);
      List<Result> results = new ArrayList<>();
      for (Case c : cases) {
        results.add(measure(repo, work, c, runs));
      }
      print(results, runs);
    }
  }

  private static Map<String, String> baseEnv(LocalPlatform p) {
    Map<String, String> env = new HashMap<>();
    String gw = p.gatewayUrl().toString();
    env.put("CDP_ENV", "local");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    env.put("AWS_ENDPOINT_URL_DYNAMODB", p.dynamoDbTarget().endpoint().orElseThrow().toString());
    env.put("AWS_ENDPOINT_URL_S3", p.s3Target().endpoint().orElseThrow().toString());
    env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", gw + "/_aws/events");
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", gw + "/_aws/secretsmanager");
    env.put("EVENT_BUS_NAME", "default");
    env.put("CONNECTOR_HUB_URL", p.hubBaseUrl().toString());
    for (var t : Tables.ALL) {
      env.put("TABLE_" + t.logicalName().toUpperCase(Locale.ROOT), p.tableName(t));
    }
    return env;
  }

  private static List<Case> cases(LocalPlatform p, Path work) throws Exception {
    OrganizationId org = OrganizationId.of("tcu");
    String bucket = p.ensureOrganization(org);
    StringBuilder csv =
        new StringBuilder("memberId,accountId,transactionId,postedDate,amount,description\n");
    for (int i = 0; i < 100; i++) {
      csv.append("m-1,a-1,t-")
          .append(i)
          .append(",2026-11-")
          .append(10 + i % 15)
          .append(",-")
          .append(i)
          .append(".25,POS COFFEE SHOP #")
          .append(i)
          .append('\n');
    }
    p.s3()
        .putObject(
            r -> r.bucket(bucket).key("transactions/cold-start.csv"),
            RequestBody.fromString(csv.toString()));
    p.awaitIdle(Duration.ofSeconds(60));
    String chunkKey =
        p
            .s3()
            .listObjectsV2(r -> r.bucket(bucket).prefix("chunks/transactions/"))
            .contents()
            .stream()
            .map(o -> o.key())
            .filter(k -> k.endsWith(".ndjson.gz"))
            .findFirst()
            .orElse("chunks/transactions/missing/0.ndjson.gz");
    String token =
        new SessionService(p.dynamoDb(), p.tableName(Tables.SESSIONS), Clock.systemUTC())
            .create(org, MemberId.of("m-1"), Duration.ofHours(1))
            .token();
    Map<String, String> env = baseEnv(p);
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "lambda-txn-chunker",
            "com.cdp.ingestion.chunker.ChunkerHandler::handleRequest",
            s3Event(bucket, "transactions/cold-start.csv"),
            env));
    cases.add(
        new Case(
            "lambda-txn-loader",
            "com.cdp.ingestion.loader.LoaderHandler::handleRequest",
            s3Event(bucket, chunkKey),
            env));
    cases.add(
        new Case(
            "lambda-platform-txn-added",
            "com.cdp.ingestion.platform.PlatformTxnAddedHandler::handleRequest",
            busEvent(
                "platform_account_transactionadded",
                "cdp.connector.cdp-transfer",
                Map.of(
                    "organizationId",
                    "tcu",
                    "eventId",
                    UUID.randomUUID().toString(),
                    "accounts",
                    List.of(Map.of("memberId", "m-1", "accountId", "a-1")))),
            env));
    cases.add(
        new Case(
            "lambda-txn-cleanser",
            "com.cdp.ingestion.cleanser.CleanserHandler::handleRequest",
            busEvent(
                "account_transactionadded",
                "cdp.platform",
                Map.of(
                    "organizationId",
                    "tcu",
                    "eventId",
                    UUID.randomUUID().toString(),
                    "memberId",
                    "m-1",
                    "accountId",
                    "a-1",
                    "transactionIds",
                    List.of("t-1", "t-2"),
                    "count",
                    2)),
            env));
    cases.add(
        new Case(
            "lambda-get-transactions",
            "com.cdp.transactions.GetTransactionsHandler::handleRequest",
            httpEvent(
                "GET",
                "/accounts/a-1/transactions",
                Map.of("accountId", "a-1"),
                Map.of("authorization", "Bearer " + token),
                null),
            with(env, Map.of("CURSOR_SECRET_ARN", "cursor-signing-key"))));
    String connectionId = "coldStart" + UUID.randomUUID().toString().substring(0, 8) + "=";
    cases.add(
        new Case(
            "lambda-ws-connect",
            "com.cdp.realtime.connect.ConnectHandler::handleRequest",
            wsEvent("$connect", "CONNECT", connectionId, Map.of("token", token), null),
            env));
    cases.add(
        new Case(
            "lambda-ws-subscribe",
            "com.cdp.realtime.subscribe.SubscribeHandler::handleRequest",
            wsEvent(
                "$default",
                "MESSAGE",
                connectionId,
                null,
                "{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\"]}"),
            env));
    cases.add(
        new Case(
            "lambda-relay-message",
            "com.cdp.realtime.relay.RelayHandler::handleRequest",
            busEvent(
                "account_balanceupdated",
                "cdp.platform",
                Map.of(
                    "organizationId",
                    "tcu",
                    "eventId",
                    UUID.randomUUID().toString(),
                    "memberId",
                    "m-1",
                    "accountId",
                    "a-1",
                    "balance",
                    10,
                    "updatedAt",
                    "2026-11-28T00:00:00Z")),
            with(env, Map.of("REALTIME_MANAGEMENT_ENDPOINT", p.gatewayUrl() + "/_aws/realtime"))));
    cases.add(
        new Case(
            "lambda-url-shortener",
            "com.cdp.links.UrlShortenerHandler::handleRequest",
            httpEvent(
                "GET",
                "/abcdefg",
                Map.of("code", "abcdefg"),
                Map.of("host", "tcu.localhost"),
                null),
            with(
                env,
                Map.of(
                    "API_KEY_PEPPER_SECRET_ARN",
                    "api-key-pepper",
                    "SHORT_DOMAIN",
                    "localhost",
                    "ORGANIZATIONS",
                    "tcu,demo"))));
    cases.add(
        new Case(
            "lambda-call-connector",
            "com.cdp.connectors.CallConnectorHandler::handleRequest",
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
                    Map.of())),
            env));
    Files.createDirectories(work.resolve("events"));
    return cases;
  }

  private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(base);
    env.putAll(extra);
    return env;
  }

  private static String s3Event(String bucket, String key) {
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
                        Map.of("key", key, "size", 1, "eTag", "0", "sequencer", "0"))))));
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

  private static Result measure(Path repo, Path work, Case c, int runs) throws Exception {
    Path jar =
        repo.resolve(c.module())
            .resolve("target")
            .resolve(c.module() + "-" + VERSION + "-lambda.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("missing " + jar + ": run mvn -B package -DskipTests first");
    }
    Path event = work.resolve("events").resolve(c.module() + ".json");
    Files.writeString(event, c.event());
    Path floorEvent = work.resolve("events").resolve("floor.json");
    Files.writeString(floorEvent, "{}");
    String harness =
        String.join(
            java.io.File.pathSeparator,
            repo.resolve("benchmarks/target/classes").toString(),
            jarOnClasspath("aws-lambda-java-serialization"),
            jarOnClasspath("test-support"));
    List<Long> times = new ArrayList<>();
    List<Long> floors = new ArrayList<>();
    String sample = "";
    for (int i = 0; i < runs; i++) {
      // Alternate function and floor so both see the same machine state.
      Run run = run(jar, harness, c.handler(), event, c.env());
      times.add(run.millis());
      sample = run.result();
      floors.add(
          run(jar, harness, FloorHandler.class.getName() + "::handleRequest", floorEvent, c.env())
              .millis());
    }
    return new Result(c.module(), Files.size(jar), median(times), median(floors), sample);
  }

  private record Run(long millis, String result) {}

  private static Run run(
      Path jar, String harness, String handler, Path event, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(
        List.of(
            "-cp",
            jar + java.io.File.pathSeparator + harness,
            Invoke.class.getName(),
            handler,
            event.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    String result = "";
    List<String> output = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          result = line.substring(7);
        } else if (line.startsWith("INVOKED ")) {
          long millis = (System.nanoTime() - start) / 1_000_000;
          process.waitFor(10, TimeUnit.SECONDS);
          return new Run(millis, result);
        } else if (output.size() < 40) {
          output.add(line);
        }
      }
    } finally {
      process.destroyForcibly();
    }
    throw new IllegalStateException(
        handler + " did not complete its first invocation: " + String.join("\n", output));
  }

  /**
   * A jar of the harness the child JVM needs beside the function's jar (serializers, test context).
   */
  private static String jarOnClasspath(String name) {
    return java.util.Arrays.stream(
            System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(p -> p.contains(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(name + " is not on the classpath"));
  }

  private static double median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  private static void print(List<Result> results, int runs) {
    System.out.printf(
        "| function | jar (MB) | first invocation, median of %d (ms) | floor: build client + 1 call (ms) | ratio |%n",
        runs);
    System.out.println("|---|---|---|---|---|");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.0f | %.0f | %.2f |%n",
          r.module(),
          r.jarBytes() / 1_048_576.0,
          r.medianMs(),
          r.floorMs(),
          r.medianMs() / r.floorMs());
    }
    System.out.println();
    for (Result r : results) {
      System.out.println("- " + r.module() + " answered: " + r.sample());
    }
  }
}
