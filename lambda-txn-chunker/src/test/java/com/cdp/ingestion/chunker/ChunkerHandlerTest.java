package com.cdp.ingestion.chunker;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.cdp.ingestion.IngestionFiles;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.Buckets;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.Fixtures;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.cdp.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** The handler driven by a real S3 event document, against S3Proxy and dynalite. */
@ExtendWith(StandInsExtension.class)
class ChunkerHandlerTest {
  @TempDir Path tmp;

  private S3Event event(String bucket, String encodedKey, long size, String eTag) throws Exception {
    Path file = tmp.resolve("event.json");
    Files.writeString(
        file,
        Fixtures.text(
            "events/s3-object-created.json",
            Map.of(
                "bucket", bucket, "key", encodedKey, "size", Long.toString(size), "etag", eTag)));
    return EventLoader.loadS3Event(file.toString());
  }

  @Test
  void handleRequest_decodesTheEventKey_chunksTheFile_andLogsThroughThePlatformLogger(StandIns s)
      throws Exception {
    OrganizationId org = TestIds.org();
    String bucket = s.bucket(Buckets.of("local").dataDelivery(org));
    String key = "transactions/nightly 27+28.csv";
    String csv =
        "memberId,accountId,transactionId,postedDate,amount,description\nM1,A1,T1,2026-11-27,1,X\n";
    String eTag =
        s.s3()
            .putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(csv))
            .eTag()
            .replace("\"", "");
    InMemoryLogPublisher logs = new InMemoryLogPublisher();
    ChunkerHandler handler =
        new ChunkerHandler(
            new ChunkerService(
                s.s3(),
                new IngestionFiles(s.dynamoDb(), s.tableName(Tables.INGESTION)),
                Buckets.of("local"),
                ChunkLimits.standard(),
                Clock.systemUTC()),
            PlatformLogger.inMemory(logs));

    // S3 encodes a space as '+' and a '+' as %2B
    handler.handleRequest(
        event(bucket, "transactions/nightly+27%2B28.csv", csv.length(), eTag),
        new TestLambdaContext("txn-chunker"));

    JsonNode report =
        Json.tree(
            s.s3()
                .getObjectAsBytes(
                    r -> r.bucket(bucket).key("transactions/reports/nightly 27+28.report.json"))
                .asUtf8String());
    assertThat(report.path("file").asText()).isEqualTo(key);
    assertThat(report.path("rowsRead").asInt()).isEqualTo(1);
    assertThat(report.path("status").asText()).isEqualTo("loading");
    assertThat(logs.messages()).hasSize(1);
    JsonNode message = Json.tree(logs.messages().get(0));
    assertThat(message.path("logType").asText()).isEqualTo("agw");
    assertThat(message.path("organizationID").asText()).isEqualTo(org.value());
    assertThat(message.path("fields").path("outcome").asText()).isEqualTo("CHUNKED");
  }

  @Test
  void handleRequest_whenTheObjectWasReplacedSinceTheEvent_leavesItToTheNewerEvent(StandIns s)
      throws Exception {
    OrganizationId org = TestIds.org();
    String bucket = s.bucket(Buckets.of("local").dataDelivery(org));
    String key = "transactions/replaced.csv";
    s.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("memberId\nold\n"));
    InMemoryLogPublisher logs = new InMemoryLogPublisher();
    ChunkerHandler handler =
        new ChunkerHandler(
            new ChunkerService(
                s.s3(),
                new IngestionFiles(s.dynamoDb(), s.tableName(Tables.INGESTION)),
                Buckets.of("local"),
                ChunkLimits.standard(),
                Clock.systemUTC()),
            PlatformLogger.inMemory(logs));

    handler.handleRequest(
        event(bucket, "transactions/replaced.csv", 10, "0123456789abcdef0123456789abcdef"),
        new TestLambdaContext("txn-chunker"));

    assertThat(Json.tree(logs.messages().get(0)).path("fields").path("outcome").asText())
        .isEqualTo("GONE");
    assertThat(
            s.s3().listObjectsV2(r -> r.bucket(bucket).prefix("transactions/reports/")).contents())
        .isEmpty();
  }

  @Test
  void handleRequest_answersEveryUploadUnderTransactions_upperCaseCsvLoads_otherNamesAreRejected(
      StandIns s) throws Exception {
    OrganizationId org = TestIds.org();
    String bucket = s.bucket(Buckets.of("local").dataDelivery(org));
    String csv =
        "memberId,accountId,transactionId,postedDate,amount,description\nM1,A1,T1,2026-11-27,1,X\n";
    InMemoryLogPublisher logs = new InMemoryLogPublisher();
    ChunkerHandler handler =
        new ChunkerHandler(
            new ChunkerService(
                s.s3(),
                new IngestionFiles(s.dynamoDb(), s.tableName(Tables.INGESTION)),
                Buckets.of("local"),
                ChunkLimits.standard(),
                Clock.systemUTC()),
            PlatformLogger.inMemory(logs));
    for (String key : List.of("transactions/NIGHTLY.CSV", "transactions/nightly.txt")) {
      String eTag =
          s.s3()
              .putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(csv))
              .eTag()
              .replace("\"", "");
      handler.handleRequest(
          event(bucket, key, csv.length(), eTag), new TestLambdaContext("txn-chunker"));
    }
    // The reports the chunker wrote raise events too (in AWS the prefix filter cannot exclude
    // them): they must be ignored, not answered with yet another report.
    handler.handleRequest(
        event(bucket, "transactions/reports/nightly.txt.report.json", 10, "ab"),
        new TestLambdaContext("txn-chunker"));

    JsonNode upper = report(s, bucket, "transactions/reports/NIGHTLY.report.json");
    assertThat(upper.path("status").asText()).isEqualTo("loading");
    assertThat(upper.path("rowsRead").asInt()).isEqualTo(1);
    JsonNode text = report(s, bucket, "transactions/reports/nightly.txt.report.json");
    assertThat(text.path("status").asText()).isEqualTo("rejected");
    assertThat(text.path("error").asText()).isEqualTo("not a .csv file");
    assertThat(text.path("file").asText()).isEqualTo("transactions/nightly.txt");
    assertThat(
            logs.messages().stream()
                .map(m -> Json.tree(m).path("fields").path("outcome").asText())
                .toList())
        .containsExactly("CHUNKED", "NOT_CSV", "IGNORED");
    assertThat(
            s.s3().listObjectsV2(r -> r.bucket(bucket).prefix("transactions/reports/")).contents())
        .hasSize(2);
  }

  private static JsonNode report(StandIns s, String bucket, String key) {
    return Json.tree(s.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
  }
}
