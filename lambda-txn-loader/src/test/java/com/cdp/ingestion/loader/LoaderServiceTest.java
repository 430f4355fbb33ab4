package com.cdp.ingestion.loader;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.aws.retry.Backoff;
import com.cdp.ingestion.ChunkKeys;
import com.cdp.ingestion.FileReport;
import com.cdp.ingestion.IngestionFiles;
import com.cdp.ingestion.chunker.ChunkLimits;
import com.cdp.ingestion.chunker.ChunkerService;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.config.Buckets;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.cdp.warehouse.BatchWriter;
import com.cdp.warehouse.TransactionEvents;
import com.cdp.warehouse.TransactionWritePath;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** The loader against dynalite and S3Proxy, with chunks the real chunker wrote. */
@ExtendWith(StandInsExtension.class)
class LoaderServiceTest {
  private final List<PutEventsRequestEntry> published = new ArrayList<>();
  private final EventBridgeClient bus =
      new EventBridgeClient() {
        @Override
        public PutEventsResponse putEvents(PutEventsRequest request) {
          published.addAll(request.entries());
          return PutEventsResponse.builder()
              .failedEntryCount(0)
              .entries(
                  request.entries().stream()
                      .map(e -> PutEventsResultEntry.builder().eventId("x").build())
                      .toList())
              .build();
        }

        @Override
        public String serviceName() {
          return "events";
        }

        @Override
        public void close() {}
      };
  private final PlatformLogger logger = PlatformLogger.inMemory(new InMemoryLogPublisher());

  @Test
  void load_inAnyOrderAndTwice_countsEachChunkOnce_andFinishesTheFileOnce(StandIns s)
      throws Exception {
    OrganizationId org = TestIds.org();
    String bucket = s.bucket(Buckets.of("local").dataDelivery(org));
    IngestionFiles files = new IngestionFiles(s.dynamoDb(), s.tableName(Tables.INGESTION));
    StringBuilder csv =
        new StringBuilder("memberId,accountId,transactionId,postedDate,amount,description\n");
    for (int i = 0; i < 25; i++) {
      // three accounts interleaved, so every account spans several chunks
      csv.append("M")
          .append(i % 3)
          .append(",A")
          .append(i % 3)
          .append(",T")
          .append(i)
          .append(",2026-11-2")
          .append(i % 7)
          .append(",-")
          .append(i)
          .append(".10,SHOP ")
          .append(i)
          .append('\n');
    }
    csv.append("M0,A0,T0,2026-11-20,-0.10,SHOP 0\n"); // repeats row 1, in another chunk
    String key = "transactions/mixed.csv";
    var put =
        s.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(csv.toString()));
    String eTag = put.eTag().replace("\"", "");
    ChunkerService chunker =
        new ChunkerService(
            s.s3(),
            files,
            Buckets.of("local"),
            new ChunkLimits(6, 1 << 16, 4096, 10),
            Clock.systemUTC());
    try (RequestLog log = logger.open(LogType.AGW, org.value(), null)) {
      assertThat(chunker.chunk(bucket, key, eTag, log)).isEqualTo(ChunkerService.Outcome.CHUNKED);
    }
    String fileId = ChunkKeys.fileId(key, eTag);

    try (BatchWriter writer = new BatchWriter(s.dynamoDb(), 4, Backoff.immediate(5))) {
      LoaderService loader =
          new LoaderService(
              s.s3(),
              files,
              new TransactionWritePath(
                  writer,
                  new TransactionEvents(bus, "bus", Backoff.immediate(3)),
                  s.tableName(Tables.WAREHOUSE)),
              Buckets.of("local"),
              Clock.systemUTC());
      List<LoaderService.Outcome> outcomes = new ArrayList<>();
      int chunks = 5; // 26 rows / 6
      for (int n = chunks; n >= 1; n--) {
        try (RequestLog log = logger.open(LogType.AGW, org.value(), null)) {
          outcomes.add(loader.load(bucket, ChunkKeys.chunk(fileId, n), log));
          if (n == 3) {
            outcomes.add(loader.load(bucket, ChunkKeys.chunk(fileId, n), log)); // redelivered
          }
        }
      }
      assertThat(outcomes)
          .containsExactly(
              LoaderService.Outcome.LOADED,
              LoaderService.Outcome.LOADED,
              LoaderService.Outcome.LOADED,
              LoaderService.Outcome.ALREADY_LOADED,
              LoaderService.Outcome.LOADED,
              LoaderService.Outcome.LOADED_AND_FINISHED_FILE);
      // a late redelivery of the last chunk after the file is finished changes nothing
      try (RequestLog log = logger.open(LogType.AGW, org.value(), null)) {
        assertThat(loader.load(bucket, ChunkKeys.chunk(fileId, 1), log))
            .isEqualTo(LoaderService.Outcome.ALREADY_LOADED);
      }
    }

    FileReport report =
        FileReport.fromJson(
            s.s3()
                .getObjectAsBytes(
                    r -> r.bucket(bucket).key("transactions/reports/mixed.report.json"))
                .asByteArray());
    assertThat(report.status()).isEqualTo(FileReport.LOADED);
    assertThat(report.rowsRead()).isEqualTo(26);
    assertThat(report.rowsLoaded()).isEqualTo(26);
    assertThat(report.finishedAt()).isNotNull();
    assertThat(published).hasSize(3);
    assertThat(published.stream().map(e -> Json.tree(e.detail()).path("accountId").asText()))
        .containsExactlyInAnyOrder("A0", "A1", "A2");
    int announced =
        published.stream().mapToInt(e -> Json.tree(e.detail()).path("count").asInt()).sum();
    assertThat(announced).isEqualTo(26);
    int items = 0;
    for (String account : List.of("A0", "A1", "A2")) {
      items +=
          s.dynamoDb()
              .query(
                  r ->
                      r.tableName(s.tableName(Tables.WAREHOUSE))
                          .keyConditionExpression("pk = :pk")
                          .expressionAttributeValues(
                              Map.of(
                                  ":pk",
                                  AttributeValue.fromS("ORG#" + org.value() + "#ACCT#" + account)))
                          .consistentRead(true))
              .count();
    }
    assertThat(items).isEqualTo(25); // the duplicate row is one item
  }

  /**
   * Forces the race of issue 18: a duplicate delivery runs the chunker again, and the loader of the
   * last chunk finishes the file right before that run writes its "loading" report.
   */
  @Test
  void duplicateChunkerRun_racingTheLastLoader_neverLeavesLoadingOverTheFinalReport(StandIns s)
      throws Exception {
    OrganizationId org = TestIds.org();
    String bucket = s.bucket(Buckets.of("local").dataDelivery(org));
    IngestionFiles files = new IngestionFiles(s.dynamoDb(), s.tableName(Tables.INGESTION));
    String key = "transactions/race.csv";
    String csv =
        "memberId,accountId,transactionId,postedDate,amount,description\n"
            + "M1,A1,T1,2026-11-27,-1.00,ONE\n"
            + "M1,A1,T2,2026-11-27,-2.00,TWO\n";
    String eTag =
        s.s3()
            .putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(csv))
            .eTag()
            .replace("\"", "");
    String fileId = ChunkKeys.fileId(key, eTag);
    String reportKey = "transactions/reports/race.report.json";
    ChunkLimits oneRowChunks = new ChunkLimits(1, 1 << 16, 4096, 10);
    try (BatchWriter writer = new BatchWriter(s.dynamoDb(), 4, Backoff.immediate(5))) {
      LoaderService loader =
          new LoaderService(
              s.s3(),
              files,
              new TransactionWritePath(
                  writer,
                  new TransactionEvents(bus, "bus", Backoff.immediate(3)),
                  s.tableName(Tables.WAREHOUSE)),
              Buckets.of("local"),
              Clock.systemUTC());
      try (RequestLog log = logger.open(LogType.AGW, org.value(), null)) {
        new ChunkerService(s.s3(), files, Buckets.of("local"), oneRowChunks, Clock.systemUTC())
            .chunk(bucket, key, eTag, log);
        assertThat(loader.load(bucket, ChunkKeys.chunk(fileId, 1), log))
            .isEqualTo(LoaderService.Outcome.LOADED);
      }
      // The duplicate run's S3 client lets the last loader finish the file just before the run
      // writes its report: the interleaving that used to leave "loading" over "loaded".
      AtomicBoolean raced = new AtomicBoolean();
      S3Client racing =
          new ForwardingS3Client(s.s3()) {
            @Override
            public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
              if (request.key().equals(reportKey) && raced.compareAndSet(false, true)) {
                try (RequestLog log = logger.open(LogType.AGW, org.value(), null)) {
                  assertThat(loader.load(bucket, ChunkKeys.chunk(fileId, 2), log))
                      .isEqualTo(LoaderService.Outcome.LOADED_AND_FINISHED_FILE);
                }
                assertThat(reportStatus(s, bucket, reportKey)).isEqualTo(FileReport.LOADED);
              }
              return super.putObject(request, body);
            }
          };
      try (RequestLog log = logger.open(LogType.AGW, org.value(), null)) {
        new ChunkerService(racing, files, Buckets.of("local"), oneRowChunks, Clock.systemUTC())
            .chunk(bucket, key, eTag, log);
      }
      assertThat(raced).isTrue();
    }
    assertThat(reportStatus(s, bucket, reportKey)).isEqualTo(FileReport.LOADED);
    FileReport report =
        FileReport.fromJson(
            s.s3().getObjectAsBytes(r -> r.bucket(bucket).key(reportKey)).asByteArray());
    assertThat(report.rowsLoaded()).isEqualTo(2);
    assertThat(report.finishedAt()).isNotNull();
  }

  private static String reportStatus(StandIns s, String bucket, String key) {
    return FileReport.fromJson(
            s.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray())
        .status();
  }
}
