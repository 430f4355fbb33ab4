package com.cdp.local.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.cdp.testing.MutableClock;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(StandInsExtension.class)
class LocalDeliveryStreamTest {
  private static final String KEY_PATTERN =
      "logs/environment=[a-z]+/organizationID=[a-z0-9-]+/logType=[a-z]+/year=\\d{4}/month=\\d{2}"
          + "/day=\\d{2}/hour=\\d{2}/local-logs-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}\\.gz";

  private final S3Client s3;
  private final String bucket;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:15:00Z"));

  LocalDeliveryStreamTest(StandIns standIns) {
    this.s3 = standIns.s3();
    this.bucket = standIns.bucket("logs-" + TestIds.suffix());
  }

  static String message(String org, String type, String hour, int n) {
    return "{\"organizationID\":\""
        + org
        + "\",\"logType\":\""
        + type
        + "\",\"environment\":\"local\",\"year\":\"2026\",\"month\":\"11\",\"day\":\"28\",\"hour\":\""
        + hour
        + "\",\"transactionId\":\"t-"
        + n
        + "\",\"events\":[]}";
  }

  private LocalDeliveryStream stream(long bufferBytes, Duration interval) {
    return new LocalDeliveryStream(
        s3, bucket, new LocalDeliveryStream.Settings(bufferBytes, interval), clock, false);
  }

  private List<String> keys() {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .filter(k -> !k.endsWith("/"))
        .sorted()
        .toList();
  }

  private List<String> lines(String key) {
    byte[] gz = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Found by the chaos harness (issue 21): records were dropped after 4 attempts (under 1 s). */
  @Test
  void recordsWrittenWhileS3IsDown_areDeliveredOnceItIsBack_asFirehoseRetries() throws Exception {
    int port = com.cdp.local.standin.Ports.free();
    com.cdp.local.standin.LocalS3 down =
        com.cdp.local.standin.LocalS3.start(port, java.util.Optional.empty(), created -> {});
    try (S3Client client = com.cdp.aws.S3Clients.s3(com.cdp.aws.AwsTarget.local(down.endpoint()))) {
      com.cdp.local.standin.LocalResources.createBucket(client, "logs-outage");
      down.close(); // S3 is unreachable from here on
      LocalDeliveryStream stream =
          new LocalDeliveryStream(
              client,
              "logs-outage",
              new LocalDeliveryStream.Settings(1 << 20, Duration.ofMinutes(5)),
              clock,
              false);
      stream.put(message("tcu", "web", "10", 1));
      stream.put(message("tcu", "web", "10", 2));
      stream.flushAll();
      Thread.sleep(3000); // an outage longer than the old four attempts
      com.cdp.local.standin.LocalS3 back =
          com.cdp.local.standin.LocalS3.start(port, java.util.Optional.empty(), created -> {});
      try {
        com.cdp.local.standin.LocalResources.createBucket(client, "logs-outage");
        stream.close();
        assertThat(stream.stats().lost()).isZero();
        assertThat(stream.stats().delivered()).isEqualTo(2);
        List<String> keys =
            client.listObjectsV2(r -> r.bucket("logs-outage")).contents().stream()
                .map(S3Object::key)
                .toList();
        assertThat(keys).hasSize(1);
      } finally {
        back.close();
      }
    }
  }

  @Test
  void records_landAsGzipNdjsonUnderTheContractLayout_onePrefixPerPartition() {
    try (LocalDeliveryStream stream = stream(1 << 20, Duration.ofMinutes(5))) {
      stream.put(message("tcu", "web", "10", 1));
      stream.put(message("tcu", "web", "10", 2));
      stream.put(message("tcu", "app", "10", 3));
      stream.put(message("demo", "web", "11", 4));
    }
    List<String> keys = keys();
    assertThat(keys).hasSize(3).allMatch(k -> k.matches(KEY_PATTERN));
    assertThat(keys)
        .anyMatch(
            k ->
                k.startsWith(
                    "logs/environment=local/organizationID=demo/logType=web/year=2026/month=11/day=28/hour=11/"))
        .anyMatch(
            k ->
                k.startsWith(
                    "logs/environment=local/organizationID=tcu/logType=app/year=2026/month=11/day=28/hour=10/"));
    String web =
        keys.stream()
            .filter(k -> k.contains("organizationID=tcu/logType=web"))
            .findFirst()
            .orElseThrow();
    assertThat(lines(web))
        .containsExactly(message("tcu", "web", "10", 1), message("tcu", "web", "10", 2));
  }

  @Test
  void aStreamFollowsItsDeclaredLayout_nameAndPrefixAndErrorPrefix() {
    LocalDeliveryStream.Layout layout =
        new LocalDeliveryStream.Layout(
            "other-stream",
            "custom/org=!{partitionKeyFromQuery:organizationID}/h=!{partitionKeyFromQuery:hour}/",
            "failed/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/");
    try (LocalDeliveryStream stream =
        new LocalDeliveryStream(
            s3,
            bucket,
            new LocalDeliveryStream.Settings(1 << 20, Duration.ofMinutes(5)),
            layout,
            clock,
            false)) {
      stream.put(message("tcu", "web", "10", 1));
      stream.put("not json");
    }
    assertThat(keys())
        .hasSize(2)
        .anyMatch(k -> k.startsWith("custom/org=tcu/h=10/other-stream-1-2026-11-28-10-15-00-"))
        .anyMatch(
            k -> k.startsWith("failed/processing-failed/2026-11-28/other-stream-1-2026-11-28-"));
  }

  @Test
  void recordsMissingAPartitionFieldOrNotJson_goUnderLogsErrorsInFirehoseErrorFormat() {
    LocalDeliveryStream stream = stream(1 << 20, Duration.ofMinutes(5));
    stream.put(message("tcu", "web", "10", 1).replace(",\"hour\":\"10\"", ""));
    stream.put("this is not json");
    stream.close();

    List<String> keys = keys();
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0))
        .startsWith(
            "logs-errors/processing-failed/year=2026/month=11/day=28/hour=10/local-logs-1-");
    List<JsonNode> errors = lines(keys.get(0)).stream().map(Json::tree).toList();
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).get("errorCode").asText()).isEqualTo(LocalDeliveryStream.ERROR_CODE);
    assertThat(errors.get(0).get("errorMessage").asText()).contains("hour");
    assertThat(
            new String(
                Base64.getDecoder().decode(errors.get(1).get("rawData").asText()),
                StandardCharsets.UTF_8))
        .isEqualTo("this is not json");
    assertThat(stream.stats().errors()).isEqualTo(2);
    assertThat(stream.stats().delivered()).isZero();
  }

  @Test
  void aPartitionReachingTheBufferSize_isDeliveredWithoutWaitingForTheInterval() {
    try (LocalDeliveryStream stream = stream(1024, Duration.ofHours(1))) {
      for (int i = 0; i < 12; i++) {
        stream.put(message("tcu", "hub", "10", i));
      }
      stream.awaitDeliveries(Duration.ofSeconds(30));
      assertThat(keys()).hasSize(1);
      assertThat(stream.stats().delivered()).isBetween(1L, 11L);
    }
  }

  @Test
  void aPartitionIsDeliveredOnceItsOldestRecordReachesTheInterval() {
    try (LocalDeliveryStream stream = stream(1 << 20, Duration.ofSeconds(60))) {
      stream.put(message("tcu", "agw", "10", 1));
      clock.advance(Duration.ofSeconds(30));
      stream.put(message("tcu", "agw", "10", 2));
      stream.flushDue();
      stream.awaitDeliveries(Duration.ofSeconds(30));
      assertThat(keys()).isEmpty();

      clock.advance(Duration.ofSeconds(30));
      stream.flushDue();
      stream.awaitDeliveries(Duration.ofSeconds(30));
      assertThat(keys()).hasSize(1);
      assertThat(lines(keys().get(0))).hasSize(2);
    }
  }

  @Test
  void prettyPrintedRecords_areStoredOnOneLine() {
    try (LocalDeliveryStream stream = stream(1 << 20, Duration.ofMinutes(5))) {
      stream.put(message("tcu", "web", "10", 1).replace(",", ",\n  "));
    }
    assertThat(lines(keys().get(0))).hasSize(1);
  }
}
