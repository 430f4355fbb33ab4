package com.cdp.cli.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.AccountOwnership;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.ingestion.IngestionLocal;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.TestIds;
import com.cdp.testing.faults.DynamoDbFaultProxy;
import com.cdp.testing.faults.DynamoDbFaults;
import com.cdp.warehouse.mock.MockTransactions;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Ingestion through the local platform's public interfaces only: files are put with the S3 API,
 * announcements are published with PutEvents, results are read from the warehouse table, the report
 * object and the event bus. The functions run from their jars as the template describes them; the
 * only differences are explicit environment overrides ({@link LocalOptions#functionEnvironment}).
 */
class IngestionEndToEndTest {
  /**
   * The smallest chunks the chunker's configuration accepts, so a modest file spans many chunks and
   * accounts span chunks; deflated (level 1), while the loader's own test reads stored (level 0,
   * the default) chunks.
   */
  private static final int CHUNK_ROWS = 100;

  /**
   * The organization the local environment configures (its connector sources, its bucket): only
   * organizations named in infra-cdk/environments/local.json get the template's bucket,
   * notification and grants, so the functions may read and write its files (IAM is enforced).
   */
  private static final OrganizationId TCU = OrganizationId.of("tcu");

  /**
   * Per test (not static), as is the platform: every test starts on empty tables and buckets, so
   * the exact counts below see only what the test itself uploaded, though all tests use {@link
   * #TCU}.
   */
  @TempDir Path dataDir;

  private LocalPlatform platform;
  private DynamoDbFaultProxy faults;
  private final List<JsonNode> added = new CopyOnWriteArrayList<>();

  private LocalOptions smallChunks() {
    return LocalOptions.forTests(dataDir, RepoRoot.find())
        .withFunctionEnvironment(
            "txn-chunker",
            Map.of("CHUNK_ROWS", Integer.toString(CHUNK_ROWS), "CHUNK_GZIP_LEVEL", "1"));
  }

  private IngestionLocal start(LocalOptions options) {
    IngestionLocal ingestion = new IngestionLocal();
    platform = LocalPlatform.start(options, List.of(ingestion));
    platform
        .eventBus()
        .subscribe(
            "test-recorder",
            "{\"source\":[\"cdp.platform\"],\"detail-type\":[\"account_transactionadded\"]}",
            json -> added.add(Json.tree(json)));
    return ingestion;
  }

  @AfterEach
  void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (faults != null) {
      faults.close();
    }
  }

  private static byte[] mockFile(MockTransactions.Options options, MockTransactions.Summary[] out) {
    StringWriter text = new StringWriter();
    out[0] = MockTransactions.write(options, text);
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void upload(String bucket, String key, byte[] bytes) throws InterruptedException {
    platform.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    assertThat(platform.awaitIdle(Duration.ofSeconds(120))).as("platform idle").isTrue();
  }

  private JsonNode report(String bucket, String key) {
    return Json.tree(platform.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
  }

  private List<Map<String, AttributeValue>> transactions(OrganizationId org, String account) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    platform
        .dynamoDb()
        .queryPaginator(
            QueryRequest.builder()
                .tableName(platform.tableName(Tables.WAREHOUSE))
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(
                    Map.of(
                        ":pk",
                        AttributeValue.fromS(WarehouseKeys.accountPk(org, AccountId.of(account)))))
                .consistentRead(true)
                .build())
        .items()
        .forEach(items::add);
    return items;
  }

  private List<JsonNode> addedFor(OrganizationId org) {
    return added.stream()
        .filter(e -> e.path("detail").path("organizationId").asText().equals(org.value()))
        .toList();
  }

  @Test
  void oneUpload_yieldsOneTrace_withTheChunkerEveryLoaderTheCleanserAndTheRelay() throws Exception {
    platform =
        LocalPlatform.start(
            smallChunks(),
            List.of(
                new IngestionLocal(),
                new com.cdp.local.platform.realtime.RealtimeLocal(
                    com.cdp.local.platform.realtime.RealtimeLocal.Options.defaults())));
    platform
        .eventBus()
        .subscribe(
            "test-recorder",
            "{\"source\":[\"cdp.platform\"],\"detail-type\":[\"account_transactionadded\"]}",
            json -> added.add(Json.tree(json)));
    OrganizationId org = TCU;
    String bucket = platform.ensureOrganization(org);
    MockTransactions.Summary[] summary = new MockTransactions.Summary[1];
    byte[] file =
        mockFile(
            new MockTransactions.Options(3, 2, 15, 7, 0, MockTransactions.DEFAULT_END_DATE),
            summary);
    String flow = com.cdp.logging.TransactionIds.newId();
    // As ./cdp upload does it: the flow's id in the object's metadata.
    platform
        .s3()
        .putObject(
            r ->
                r.bucket(bucket)
                    .key("transactions/traced.csv")
                    .metadata(Map.of(com.cdp.logging.TransactionIds.METADATA, flow)),
            RequestBody.fromBytes(file));
    assertThat(platform.awaitIdle(Duration.ofSeconds(120))).as("platform idle").isTrue();
    int chunks = report(bucket, "transactions/reports/traced.report.json").path("chunks").asInt();
    assertThat(chunks).isGreaterThan(1);
    // Every published event carries the flow's id.
    assertThat(addedFor(org)).isNotEmpty();
    assertThat(addedFor(org))
        .allSatisfy(
            e -> assertThat(e.path("detail").path("transactionId").asText()).isEqualTo(flow));
    platform.close(); // delivers the buffered log messages to the local store
    platform = null;

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = com.cdp.cli.CdpCommand.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int code =
        cli.execute(
            "logs",
            "query",
            "--data-dir",
            dataDir.toString(),
            "--format",
            "json",
            "SELECT fields['function'] AS function, logType, count(*) AS n FROM ("
                + " SELECT fields, logType, transactionId FROM agw UNION ALL"
                + " SELECT fields, logType, transactionId FROM container)"
                + " WHERE transactionId = '"
                + flow
                + "' GROUP BY 1, 2 ORDER BY 1");
    assertThat(code).as(err.toString()).isZero();
    Map<String, Integer> perFunction = new HashMap<>();
    out.toString()
        .lines()
        .map(Json::tree)
        .forEach(r -> perFunction.put(r.path("function").asText(), r.path("n").asInt()));
    assertThat(perFunction)
        .containsEntry("txn-chunker", 1)
        .containsEntry("txn-loader", chunks)
        .containsKey("txn-cleanser")
        .containsKey("relay-message");
    // The cleanser and the relay handle each account's event: one message per event.
    assertThat(perFunction.get("txn-cleanser")).isEqualTo(addedFor(org).size());
    assertThat(perFunction.get("relay-message")).isEqualTo(addedFor(org).size());

    StringWriter traceOut = new StringWriter();
    picocli.CommandLine trace = com.cdp.cli.CdpCommand.commandLine();
    trace.setOut(new java.io.PrintWriter(traceOut, true));
    trace.setErr(new java.io.PrintWriter(err, true));
    assertThat(
            trace.execute(
                "logs", "trace", "--data-dir", dataDir.toString(), "--format", "json", flow))
        .as(err.toString())
        .isZero();
    JsonNode json = Json.tree(traceOut.toString());
    int expectedSteps = 1 + chunks + 2 * addedFor(org).size();
    assertThat(json.get("summary").get("steps").asInt()).isEqualTo(expectedSteps);
    List<String> starts = json.get("steps").findValuesAsText("started");
    assertThat(starts).isSortedAccordingTo(String::compareTo);
    assertThat(json.get("steps").get(0).get("events").get(0).get("caller").asText())
        .startsWith("ChunkerHandler.java:");
    // Each relay step lists its deliveries: one "deliver" event per member stream, with its seq.
    List<JsonNode> relaySteps = new ArrayList<>();
    json.get("steps")
        .forEach(
            st -> {
              if (st.get("events").findValuesAsText("action").contains("relay")) {
                relaySteps.add(st);
              }
            });
    assertThat(relaySteps).hasSize(addedFor(org).size());
    assertThat(relaySteps)
        .allSatisfy(
            st -> {
              List<JsonNode> deliveries = new ArrayList<>();
              st.get("events")
                  .forEach(
                      e -> {
                        if (e.get("action").asText().equals("deliver")) {
                          deliveries.add(e);
                        }
                      });
              assertThat(deliveries).isNotEmpty();
              assertThat(deliveries)
                  .allSatisfy(e -> assertThat(e.get("description").asText()).startsWith("seq "));
            });
  }

  @Test
  void mockFileWithBadRows_reportsExactCounts_loadsEveryGoodRow_announcesEachAccountOnce()
      throws Exception {
    start(smallChunks());
    OrganizationId org = TCU;
    String bucket = platform.ensureOrganization(org);
    MockTransactions.Summary[] summary = new MockTransactions.Summary[1];
    byte[] file =
        mockFile(
            new MockTransactions.Options(12, 2, 15, 42, 5, MockTransactions.DEFAULT_END_DATE),
            summary);
    MockTransactions.Summary s = summary[0];
    assertThat(s.goodRows()).isGreaterThan(CHUNK_ROWS * 3L);

    // A space in the name: S3 events carry it URL-encoded as '+'.
    upload(bucket, "transactions/nightly 2026-11-27.csv", file);

    JsonNode report = report(bucket, "transactions/reports/nightly 2026-11-27.report.json");
    assertThat(report.path("status").asText()).isEqualTo("loaded_with_rejects");
    assertThat(report.path("organizationId").asText()).isEqualTo(org.value());
    assertThat(report.path("rowsRead").asLong()).isEqualTo(s.rows());
    assertThat(report.path("rowsRejected").asLong()).isEqualTo(5);
    assertThat(report.path("rowsLoaded").asLong()).isEqualTo(s.goodRows());
    assertThat(report.path("rejects")).hasSize(5);
    for (JsonNode reject : report.path("rejects")) {
      assertThat(reject.path("line").asLong()).isGreaterThan(1);
      assertThat(reject.path("column").asText()).isNotBlank();
      assertThat(reject.path("reason").asText()).isNotBlank();
    }
    assertThat(report.path("finishedAt").asText()).isNotBlank();

    long loaded = 0;
    for (var e : s.accounts().entrySet()) {
      List<Map<String, AttributeValue>> items = transactions(org, e.getKey());
      assertThat(items).as("account %s", e.getKey()).hasSize((int) e.getValue().rows());
      assertThat(items)
          .allSatisfy(i -> assertThat(i.get("memberId").s()).isEqualTo(e.getValue().memberId()));
      loaded += items.size();
      assertThat(
              AccountOwnership.ownerOf(
                  platform.dynamoDb(),
                  platform.tableName(Tables.WAREHOUSE),
                  org,
                  AccountId.of(e.getKey())))
          .contains(MemberId.of(e.getValue().memberId()));
    }
    assertThat(loaded).isEqualTo(s.goodRows());

    List<JsonNode> events = addedFor(org);
    Map<String, Integer> perAccount = new HashMap<>();
    long announced = 0;
    for (JsonNode e : events) {
      perAccount.merge(e.path("detail").path("accountId").asText(), 1, Integer::sum);
      announced += e.path("detail").path("count").asLong();
    }
    assertThat(perAccount.keySet()).containsExactlyInAnyOrderElementsOf(s.accounts().keySet());
    assertThat(perAccount.values()).allMatch(n -> n == 1);
    assertThat(announced).isEqualTo(s.goodRows());

    // The cleanser ran after the event: every loaded transaction has a merchant and a category.
    String someAccount = s.accounts().keySet().iterator().next();
    assertThat(transactions(org, someAccount))
        .allSatisfy(
            i -> {
              assertThat(i).containsKey("merchantName");
              assertThat(i).containsKey("category");
            });

    // Re-uploading the same file changes nothing: no new events, same items, same report.
    Map<String, String> loadedAtBefore = new HashMap<>();
    transactions(org, someAccount)
        .forEach(i -> loadedAtBefore.put(i.get("sk").s(), i.get("loadedAt").s()));
    String reportBefore = report.toString();
    upload(bucket, "transactions/nightly 2026-11-27.csv", file);
    assertThat(addedFor(org)).hasSize(events.size());
    assertThat(report(bucket, "transactions/reports/nightly 2026-11-27.report.json").toString())
        .isEqualTo(reportBefore);
    Map<String, String> loadedAtAfter = new HashMap<>();
    transactions(org, someAccount)
        .forEach(i -> loadedAtAfter.put(i.get("sk").s(), i.get("loadedAt").s()));
    assertThat(loadedAtAfter).isEqualTo(loadedAtBefore);

    // Another file repeating rows of the first never duplicates items.
    String[] lines = new String(file, StandardCharsets.UTF_8).split("\r\n");
    String repeat = String.join("\r\n", java.util.Arrays.copyOfRange(lines, 0, 60)) + "\r\n";
    upload(bucket, "transactions/repeat.csv", repeat.getBytes(StandardCharsets.UTF_8));
    assertThat(
            report(bucket, "transactions/reports/repeat.report.json").path("rowsLoaded").asLong())
        .isPositive();
    long after = 0;
    for (var e : s.accounts().entrySet()) {
      after += transactions(org, e.getKey()).size();
    }
    assertThat(after).isEqualTo(s.goodRows());
  }

  @Test
  void injectedThrottlingAndUnprocessedItems_loseNoRow() throws Exception {
    // The loader's DynamoDB calls go through a fault stand-in in front of dynalite that throttles
    // every third BatchWriteItem and writes only half of every second other one.
    DynamoDbFaults.Stats stats = new DynamoDbFaults.Stats();
    faults = DynamoDbFaultProxy.start(3, 2, stats);
    start(
        smallChunks()
            .withFunctionEnvironment(
                "txn-loader", Map.of("AWS_ENDPOINT_URL_DYNAMODB", faults.endpoint().toString())));
    faults.forwardTo(platform.dynamoDbTarget().endpoint().orElseThrow());
    OrganizationId org = TCU;
    String bucket = platform.ensureOrganization(org);
    MockTransactions.Summary[] summary = new MockTransactions.Summary[1];
    byte[] file = mockFile(MockTransactions.Options.of(15, 2, 5, 7), summary);

    upload(bucket, "transactions/throttled.csv", file);

    assertThat(stats.throttled.get()).isPositive();
    assertThat(stats.partial.get()).isPositive();
    long loaded = 0;
    for (var e : summary[0].accounts().entrySet()) {
      assertThat(transactions(org, e.getKey())).hasSize((int) e.getValue().rows());
      loaded += e.getValue().rows();
    }
    assertThat(loaded).isEqualTo(summary[0].goodRows());
    JsonNode report = report(bucket, "transactions/reports/throttled.report.json");
    assertThat(report.path("status").asText()).isEqualTo("loaded");
    assertThat(report.path("rowsLoaded").asLong()).isEqualTo(summary[0].goodRows());
    assertThat(addedFor(org)).hasSize(summary[0].accounts().size());
  }

  @Test
  void everyUploadGetsAnAnswer_upperCaseCsvIsLoaded_aTextFileIsRejected() throws Exception {
    start(smallChunks());
    OrganizationId org = TCU;
    String bucket = platform.ensureOrganization(org);
    byte[] csv =
        ("memberId,accountId,transactionId,postedDate,amount,description\r\n"
                + "M1,A1,T1,2026-11-27,-1.00,COFFEE\r\n")
            .getBytes(StandardCharsets.UTF_8);

    upload(bucket, "transactions/NIGHTLY.CSV", csv);
    upload(bucket, "transactions/nightly.txt", csv);

    JsonNode upper = report(bucket, "transactions/reports/NIGHTLY.report.json");
    assertThat(upper.path("status").asText()).isEqualTo("loaded");
    assertThat(upper.path("rowsLoaded").asLong()).isEqualTo(1);
    JsonNode text = report(bucket, "transactions/reports/nightly.txt.report.json");
    assertThat(text.path("status").asText()).isEqualTo("rejected");
    assertThat(text.path("error").asText()).isEqualTo("not a .csv file");
    // the reports themselves started nothing: no report about a report
    assertThat(
            platform
                .s3()
                .listObjectsV2(r -> r.bucket(bucket).prefix("transactions/reports/"))
                .contents())
        .extracting(o -> o.key())
        .containsExactlyInAnyOrder(
            "transactions/reports/NIGHTLY.report.json",
            "transactions/reports/nightly.txt.report.json");
  }

  @Test
  void fileMissingARequiredColumn_isRejectedAsAWhole_withAClearReport() throws Exception {
    start(smallChunks());
    OrganizationId org = TCU;
    String bucket = platform.ensureOrganization(org);
    String csv =
        "memberId,transactionId,postedDate,amount,description\r\n"
            + "M1,T1,2026-11-27,-1.00,COFFEE\r\n"
            + "M1,T2,2026-11-27,-2.00,TEA\r\n";

    upload(bucket, "transactions/no-account.csv", csv.getBytes(StandardCharsets.UTF_8));

    JsonNode report = report(bucket, "transactions/reports/no-account.report.json");
    assertThat(report.path("status").asText()).isEqualTo("rejected");
    assertThat(report.path("error").asText()).contains("accountId");
    assertThat(report.path("rowsRead").asLong()).isEqualTo(2);
    assertThat(report.path("rowsRejected").asLong()).isEqualTo(2);
    assertThat(report.path("rowsLoaded").asLong()).isZero();
    assertThat(addedFor(org)).isEmpty();
  }

  @Test
  void connectorAnnouncement_loadsTheCoresNewTransactions_onceEvenWhenDeliveredTwice()
      throws Exception {
    // tcu accepts cdp.connector.cdp-transfer's announcements (the local environment's
    // connectorSources, in the template); the core answers through the Connector Hub simulator.
    OrganizationId org = TCU;
    IngestionLocal ingestion = start(smallChunks());
    platform.ensureOrganization(org);
    List<JsonNode> ledger = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ledger.add(
          Json.tree(
              "{\"memberId\":\"M9\",\"accountId\":\"A9\",\"transactionId\":\"C-"
                  + i
                  + "\",\"postedDate\":\"2026-11-2"
                  + i
                  + "\",\"amount\":\"-"
                  + i
                  + ".25\",\"description\":\"POS DEBIT SHELL OIL 1234 HOUSTON TX\","
                  + "\"merchantCategoryCode\":\"5541\"}"));
    }
    ingestion.core().post(org.value(), "A9", ledger);
    String event =
        "{\"organizationId\":\""
            + org.value()
            + "\",\"eventId\":\"evt-"
            + TestIds.suffix()
            + "\",\"accounts\":[{\"memberId\":\"M9\",\"accountId\":\"A9\"}]}";

    try (var events =
        com.cdp.aws.AwsClients.build(
            software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder(),
            platform.eventsTarget())) {
      for (int delivery = 0; delivery < 2; delivery++) {
        events.putEvents(
            r ->
                r.entries(
                    e ->
                        e.source("cdp.connector.cdp-transfer")
                            .detailType("platform_account_transactionadded")
                            .detail(event)));
        assertThat(platform.awaitIdle(Duration.ofSeconds(60))).isTrue();
      }
    }

    List<Map<String, AttributeValue>> items = transactions(org, "A9");
    assertThat(items)
        .extracting(i -> i.get("transactionId").s())
        .containsExactlyInAnyOrder("C-1", "C-2", "C-3");
    assertThat(items).allSatisfy(i -> assertThat(i.get("category").s()).isEqualTo("Gas & Fuel"));
    List<JsonNode> announced = addedFor(org);
    assertThat(announced).hasSize(1);
    assertThat(announced.get(0).path("detail").path("count").asInt()).isEqualTo(3);
    assertThat(
            AccountOwnership.owns(
                platform.dynamoDb(),
                platform.tableName(Tables.WAREHOUSE),
                org,
                MemberId.of("M9"),
                AccountId.of("A9")))
        .isTrue();
  }
}
