package com.cdp.bench.coldstart;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.cdp.cli.local.LocalOptions;
import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.LocalService;
import com.cdp.cli.local.links.LinksLocal;
import com.cdp.cli.local.realtime.RealtimeLocal;
import com.cdp.cli.local.transactions.TransactionsLocal;
import com.cdp.ingestion.ChunkKeys;
import com.cdp.model.aws.SnapStartPriming;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.session.SessionService;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import com.cdp.model.wiring.Triggers;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Cold start of every function against the local stand-ins: for each deployable, the jar's size and
 * the wall time from launching a fresh JVM to the end of the first invocation (the production
 * no-argument constructor, configuration from the environment, a real event), split into init and
 * first request, next to two floors run from the same jar with the same JVM flags and alternated
 * with it ({@link FloorHandler}: the DynamoDB client + one call; the function's own SDK clients +
 * one call each), and the first request after a SnapStart-style init (priming on). Every run does
 * fresh work. Prints a Markdown table and the evidence that the work was done.
 *
 * <p>Usage: {@code ColdStart REPO_ROOT [RUNS] [MODULE,MODULE...]} after {@code mvn -B install
 * -DskipTests} (a subset must keep lambda-txn-chunker before lambda-txn-loader: the loader loads
 * the chunker's chunks).
 */
public final class ColdStart {
  private static final String VERSION = "0.1.0-SNAPSHOT";

  /** Lambda's Java runtime flags for a fast start (also set by the CDK on every function). */
  private static final List<String> JVM_FLAGS =
      List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  /** One function: its module, handler, the event of run {@code i} (each run does fresh work). */
  private record Case(
      String module,
      String handler,
      IntFunction<String> event,
      Map<String, String> env,
      List<String> clients) {}

  private record Result(
      String module,
      long jarBytes,
      double medianMs,
      double initMs,
      double firstRequestMs,
      double floorMs,
      double clientsFloorMs,
      double primedFirstRequestMs,
      String sample) {}

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
    Path work = Files.createTempDirectory("coldstart");
    WireMockServer ecs = new WireMockServer(wireMockConfig().dynamicPort());
    ecs.start();
    stubRunTask(ecs);
    // The areas the functions talk to over the network (cursor and pepper secrets, the Management
    // API stand-in), but none that reacts to uploads: every invocation below is the only one to
    // handle its object, so it does the whole work instead of finding it done.
    List<LocalService> areas =
        List.of(new TransactionsLocal(), new RealtimeLocal(), new LinksLocal());
    try (LocalPlatform platform =
        LocalPlatform.start(LocalOptions.forTests(work.resolve("data"), repo), areas)) {
      List<Case> cases = cases(platform, URI.create(ecs.baseUrl()), runs);
      List<Result> results = new ArrayList<>();
      Files.createDirectories(work.resolve("events"));
      for (Case c : cases) {
        if (only.isEmpty() || only.contains(c.module())) {
          results.add(measure(repo, work, c, runs));
        }
      }
      print(results, runs);
      printEvidence(platform, ecs, 2 * runs);
    } finally {
      ecs.stop();
    }
  }

  /** ECS {@code RunTask} has no local stand-in: WireMock answers it as ECS does on success. */
  private static void stubRunTask(WireMockServer ecs) {
    ecs.stubFor(
        post(urlEqualTo("/"))
            .withHeader("X-Amz-Target", equalTo("AmazonEC2ContainerServiceV20141113.RunTask"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(
                        "{\"tasks\":[{\"taskArn\":"
                            + "\"arn:aws:ecs:us-east-1:000000000000:task/cdp-local-groups/0f1e\","
                            + "\"lastStatus\":\"PROVISIONING\"}],\"failures\":[]}")));
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
    env.put(
        com.cdp.model.connector.HubApiKey.SECRET_ARN_ENV,
        com.cdp.model.connector.HubApiKey.LOCAL_SECRET);
    for (var t : Tables.ALL) {
      env.put("TABLE_" + t.logicalName().toUpperCase(Locale.ROOT), p.tableName(t));
    }
    return env;
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

  private static List<Case> cases(LocalPlatform p, URI ecs, int runs) throws Exception {
    OrganizationId org = OrganizationId.of("tcu");
    String bucket = p.ensureOrganization(org);
    S3Client s3 = p.s3();
    // One file per run, uploaded now; nothing reacts to it until the chunker run it belongs to.
    List<String> eTags = new ArrayList<>();
    // Runs 0..runs-1 are the plain inits, runs..2*runs-1 the SnapStart inits.
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
    Map<String, String> env = baseEnv(p);
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "lambda-txn-chunker",
            "com.cdp.ingestion.chunker.ChunkerHandler::handleRequest",
            run -> s3Event(bucket, "transactions/cold-start-" + run + ".csv", eTags.get(run)),
            env,
            List.of("dynamodb", "s3")));
    cases.add(
        new Case(
            "lambda-txn-loader",
            "com.cdp.ingestion.loader.LoaderHandler::handleRequest",
            run -> s3Event(bucket, chunkOfRun.apply(run), "0"),
            env,
            List.of("dynamodb", "s3", "eventbridge")));
    cases.add(
        new Case(
            "lambda-platform-txn-added",
            "com.cdp.ingestion.platform.PlatformTxnAddedHandler::handleRequest",
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
                        List.of(Map.of("memberId", "m-1", "accountId", "a-" + (run + 2))))),
            env,
            List.of("dynamodb", "eventbridge")));
    cases.add(
        new Case(
            "lambda-txn-cleanser",
            "com.cdp.ingestion.cleanser.CleanserHandler::handleRequest",
            run ->
                accountEvent(
                    "account_transactionadded",
                    Map.of(
                        "transactionIds",
                        List.of("t-" + run + "-1", "t-" + run + "-2"),
                        "count",
                        2)),
            env,
            List.of("dynamodb")));
    cases.add(
        new Case(
            "lambda-get-transactions",
            "com.cdp.transactions.GetTransactionsHandler::handleRequest",
            run ->
                httpEvent(
                    "GET",
                    "/accounts/a-1/transactions",
                    Map.of("accountId", "a-1"),
                    Map.of("authorization", "Bearer " + token),
                    null),
            with(env, Map.of("CURSOR_SECRET_ARN", TransactionsLocal.CURSOR_SECRET)),
            List.of("dynamodb", "secretsmanager")));
    String connectionPrefix = "coldStart" + UUID.randomUUID().toString().substring(0, 8);
    cases.add(
        new Case(
            "lambda-ws-connect",
            "com.cdp.realtime.connect.ConnectHandler::handleRequest",
            run ->
                wsEvent(
                    "$connect",
                    "CONNECT",
                    connectionPrefix + run + "=",
                    Map.of("token", token),
                    null),
            env,
            List.of("dynamodb")));
    cases.add(
        new Case(
            "lambda-ws-subscribe",
            "com.cdp.realtime.subscribe.SubscribeHandler::handleRequest",
            run ->
                wsEvent(
                    "$default",
                    "MESSAGE",
                    connectionPrefix + run + "=",
                    null,
                    "{\"action\":\"subscribe\",\"topics\":[\"account_balanceupdated\"]}"),
            with(env, Map.of("CURSOR_SECRET_ARN", RealtimeLocal.CURSOR_SECRET)),
            List.of("dynamodb", "secretsmanager")));
    cases.add(
        new Case(
            "lambda-relay-message",
            "com.cdp.realtime.relay.RelayHandler::handleRequest",
            run ->
                accountEvent(
                    "account_balanceupdated",
                    Map.of("balance", 10 + run, "updatedAt", "2026-11-28T00:00:00Z")),
            with(env, Map.of("REALTIME_MANAGEMENT_ENDPOINT", p.gatewayUrl() + "/_aws/realtime")),
            List.of("dynamodb", "apigatewaymanagementapi")));
    cases.add(
        new Case(
            "lambda-url-shortener",
            "com.cdp.links.UrlShortenerHandler::handleRequest",
            run ->
                httpEvent(
                    "GET",
                    "/" + code,
                    Map.of("code", code),
                    Map.of("host", "tcu." + LinksLocal.SHORT_DOMAIN),
                    null),
            with(
                env,
                Map.of(
                    "API_KEY_PEPPER_SECRET_ARN",
                    LinksLocal.PEPPER_SECRET,
                    "CURSOR_SECRET_ARN",
                    LinksLocal.CURSOR_SECRET,
                    "SHORT_DOMAIN",
                    LinksLocal.SHORT_DOMAIN,
                    "ORGANIZATIONS",
                    "tcu,demo")),
            List.of("dynamodb", "secretsmanager")));
    cases.add(
        new Case(
            "lambda-call-connector",
            "com.cdp.connectors.CallConnectorHandler::handleRequest",
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
                        Map.of("run", run))),
            env,
            List.of()));
    cases.add(
        new Case(
            "lambda-group-assignment-trigger",
            "com.cdp.groups.trigger.GroupAssignmentTriggerHandler::handleRequest",
            run ->
                s3Event(
                    bucket,
                    "group-assignments/cold-start-" + UUID.randomUUID() + ".csv",
                    UUID.randomUUID().toString()),
            with(
                env,
                Map.of(
                    "AWS_ENDPOINT_URL_ECS",
                    ecs.toString(),
                    "GROUP_TASK_CLUSTER",
                    "cdp-local-groups",
                    "GROUP_TASK_DEFINITION",
                    "arn:aws:ecs:us-east-1:000000000000:task-definition/cdp-local-groups:1",
                    "GROUP_TASK_CONTAINER",
                    "task",
                    "GROUP_TASK_SUBNETS",
                    "subnet-0")),
            List.of("dynamodb", "ecs")));
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

  private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(base);
    env.putAll(extra);
    return env;
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

  private static Result measure(Path repo, Path work, Case c, int runs) throws Exception {
    Path jar =
        repo.resolve(c.module())
            .resolve("target")
            .resolve(c.module() + "-" + VERSION + "-lambda.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("missing " + jar + ": run mvn -B package -DskipTests first");
    }
    Path floorEvent = work.resolve("events").resolve("floor.json");
    Files.writeString(floorEvent, "{}");
    String harness =
        String.join(
            java.io.File.pathSeparator,
            repo.resolve("benchmarks/target/classes").toString(),
            jarOnClasspath("aws-lambda-java-serialization"),
            jarOnClasspath("test-support"));
    String floor = FloorHandler.class.getName() + "::handleRequest";
    Map<String, String> dynamoDbFloor = with(c.env(), Map.of("FLOOR_CLIENTS", "dynamodb"));
    Map<String, String> clientsFloor =
        with(
            c.env(),
            Map.of(
                "FLOOR_CLIENTS",
                String.join(",", c.clients()),
                "FLOOR_SECRET",
                c.env()
                    .getOrDefault(
                        "CURSOR_SECRET_ARN",
                        c.env().getOrDefault("API_KEY_PEPPER_SECRET_ARN", ""))));
    // SnapStart's init: Lambda sets this while initializing a version it will snapshot.
    Map<String, String> snapStartInit =
        with(c.env(), Map.of(SnapStartPriming.INITIALIZATION_TYPE, "snap-start"));
    List<Run> function = new ArrayList<>();
    List<Long> primed = new ArrayList<>();
    List<Long> floors = new ArrayList<>();
    List<Long> clientsFloors = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Path event = work.resolve("events").resolve(c.module() + "-" + i + ".json");
      Files.writeString(event, c.event().apply(i));
      // Alternate function and floors so all see the same machine state.
      function.add(run(jar, harness, c.handler(), event, c.env()));
      Path primedEvent = work.resolve("events").resolve(c.module() + "-primed-" + i + ".json");
      Files.writeString(primedEvent, c.event().apply(runs + i));
      primed.add(run(jar, harness, c.handler(), primedEvent, snapStartInit).firstRequestMillis());
      floors.add(run(jar, harness, floor, floorEvent, dynamoDbFloor).millis());
      if (!c.clients().isEmpty()) {
        clientsFloors.add(run(jar, harness, floor, floorEvent, clientsFloor).millis());
      }
    }
    return new Result(
        c.module(),
        Files.size(jar),
        median(function.stream().map(Run::millis).toList()),
        median(function.stream().map(r -> r.millis() - r.firstRequestMillis()).toList()),
        median(function.stream().map(Run::firstRequestMillis).toList()),
        median(floors),
        clientsFloors.isEmpty() ? Double.NaN : median(clientsFloors),
        median(primed),
        function.get(function.size() - 1).result());
  }

  /** Launch to the end of the first invocation, and the part spent in that invocation. */
  private record Run(long millis, long firstRequestMillis, String result) {}

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
    long constructed = -1;
    List<String> output = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("CONSTRUCTED ")) {
          constructed = Long.parseLong(line.substring(12).strip());
        } else if (line.startsWith("RESULT ")) {
          result = line.substring(7);
        } else if (line.startsWith("INVOKED ")) {
          long millis = (System.nanoTime() - start) / 1_000_000;
          long invoked = Long.parseLong(line.substring(8).strip());
          process.waitFor(10, TimeUnit.SECONDS);
          return new Run(millis, invoked - constructed, result);
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

  /**
   * What the invocations left behind, so the table is known to time real work: every run's file
   * chunked and loaded, and one task started per group-assignment upload.
   */
  private static void printEvidence(LocalPlatform p, WireMockServer ecs, int invocations) {
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
    int runTasks =
        ecs.findAll(
                postRequestedFor(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", containing("RunTask"))
                    .withRequestBody(containing("group-assignments/cold-start-")))
            .size();
    System.out.printf(
        "%nEvidence: account a-1 holds %,d transactions (%d files x 100 rows chunked by the"
            + " chunker runs and loaded by the loader runs); ECS RunTask received %d launches for %d"
            + " uploads.%n",
        loaded, invocations, runTasks, invocations);
  }

  private static void print(List<Result> results, int runs) {
    System.out.printf(
        "| function | jar (MB) | launch to end of first invocation, median of %d (ms) |"
            + " of which init (ms) | of which first request (ms) |"
            + " floor A: DynamoDB client + 1 call (ms) |"
            + " floor B: the function's SDK clients + 1 call each (ms) |"
            + " ratio to A | ratio to B |"
            + " first request after a SnapStart init (priming ran) (ms) |%n",
        runs);
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      boolean hasB = !Double.isNaN(r.clientsFloorMs());
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.0f | %.0f | %.0f | %.0f | %s | %.2f | %s | %.0f |%n",
          r.module(),
          r.jarBytes() / 1_048_576.0,
          r.medianMs(),
          r.initMs(),
          r.firstRequestMs(),
          r.floorMs(),
          hasB ? String.format(Locale.ROOT, "%.0f", r.clientsFloorMs()) : "(no SDK client)",
          r.medianMs() / r.floorMs(),
          hasB ? String.format(Locale.ROOT, "%.2f", r.medianMs() / r.clientsFloorMs()) : "-",
          r.primedFirstRequestMs());
    }
    System.out.println();
    for (Result r : results) {
      System.out.println("- " + r.module() + " answered: " + r.sample());
    }
  }
}
