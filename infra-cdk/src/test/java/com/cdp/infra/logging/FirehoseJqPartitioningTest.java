package com.cdp.infra.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.infra.StackFixture;
import com.cdp.infra.TemplateJson;
import com.cdp.logging.EventType;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.LogLayout;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Firehose's dynamic partitioning runs jq 1.6 on each record with the inline query of the
 * synthesized template. This runs that very query with the real jq 1.6 ({@code /usr/bin/jq}) over
 * messages lib-logging produces and checks that Firehose and the local delivery stream ({@link
 * LogLayout#partitionPrefixOf}) put every message in the same partition, and send malformed records
 * to the error prefix.
 */
class FirehoseJqPartitioningTest {
  private static final Path JQ = Path.of("/usr/bin/jq");
  private static String query;
  private static String prefixTemplate;

  @BeforeAll
  static void queryFromTheSynthesizedTemplate() {
    JsonNode s3 =
        TemplateJson.only(StackFixture.template("dev"), "AWS::KinesisFirehose::DeliveryStream", "")
            .get("Properties")
            .get("ExtendedS3DestinationConfiguration");
    prefixTemplate = s3.get("Prefix").asText();
    for (JsonNode processor : s3.get("ProcessingConfiguration").get("Processors")) {
      for (JsonNode p : processor.get("Parameters")) {
        if (p.get("ParameterName").asText().equals("MetadataExtractionQuery")) {
          query = p.get("ParameterValue").asText();
        }
      }
    }
    assertThat(query).as("MetadataExtractionQuery in the template").isNotNull();
  }

  /**
   * What Firehose does with one record: the S3 prefix it goes to, or empty for the error prefix.
   */
  private static Optional<String> firehosePrefix(String record) throws Exception {
    Path input = Files.createTempFile("record", ".json");
    Files.writeString(input, record, StandardCharsets.UTF_8);
    Process jq =
        new ProcessBuilder(JQ.toString(), "-c", query, input.toString())
            .redirectErrorStream(false)
            .start();
    String out = new String(jq.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    jq.getErrorStream().readAllBytes();
    assertThat(jq.waitFor(20, TimeUnit.SECONDS)).isTrue();
    Files.deleteIfExists(input);
    if (jq.exitValue() != 0 || out.isEmpty() || out.contains("\n")) {
      return Optional.empty(); // DynamicPartitioning.MetadataExtractionFailed
    }
    JsonNode keys = Json.tree(out);
    String prefix = prefixTemplate;
    for (String field : LogLayout.PARTITION_FIELDS) {
      JsonNode value = keys.get(field);
      if (value == null || value.isNull() || !value.isValueNode() || value.asText().isEmpty()) {
        return Optional.empty();
      }
      prefix = prefix.replace("!{partitionKeyFromQuery:" + field + "}", value.asText());
    }
    return Optional.of(prefix);
  }

  private static List<String> messagesTheLibraryProduces() {
    InMemoryLogPublisher published = new InMemoryLogPublisher();
    Clock clock = Clock.fixed(Instant.parse("2026-03-07T23:59:59.999Z"), ZoneOffset.UTC);
    PlatformLogger logger = new PlatformLogger(published, "dev", "cdp-dev-fn", clock);
    for (LogType type : LogType.values()) {
      for (String org : new String[] {"tcu", "demo", null, "Not An Org/.."}) {
        try (RequestLog log = logger.open(type, org, null)) {
          log.event(EventType.REQUEST, "receive", "GET /x?token=abc", Map.of("a", 1));
          log.failure("fail", "boom \"quoted\" \n newline");
        }
      }
    }
    return published.messages();
  }

  @Test
  void everyLibraryMessage_landsInThePartitionTheLocalStreamPicks() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(JQ),
        "ASSUMPTION: jq 1.6 is installed at /usr/bin/jq (apt-get install jq); without it this"
            + " check of Firehose's partitioning query cannot run");
    List<String> messages = messagesTheLibraryProduces();
    assertThat(messages).hasSize(LogType.values().length * 4);
    for (String message : messages) {
      Optional<String> local = LogLayout.partitionPrefixOf(Json.tree(message));
      assertThat(local).as(message).isPresent();
      assertThat(firehosePrefix(message)).as(message).isEqualTo(local);
    }
  }

  @Test
  void malformedRecords_goToTheErrorPrefixInBoth() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(JQ),
        "ASSUMPTION: jq 1.6 is installed at /usr/bin/jq (apt-get install jq)");
    String good = messagesTheLibraryProduces().get(0);
    List<String> malformed = new ArrayList<>();
    malformed.add("not json at all");
    malformed.add("[1,2,3]");
    malformed.add("\"a string\"");
    for (String field : LogLayout.PARTITION_FIELDS) {
      com.fasterxml.jackson.databind.node.ObjectNode missing =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(good);
      missing.remove(field);
      malformed.add(missing.toString());
      com.fasterxml.jackson.databind.node.ObjectNode nulled =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(good);
      nulled.putNull(field);
      malformed.add(nulled.toString());
      com.fasterxml.jackson.databind.node.ObjectNode object =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(good);
      object.putObject(field).put("x", 1);
      malformed.add(object.toString());
    }
    for (String record : malformed) {
      assertThat(firehosePrefix(record)).as("firehose: " + record).isEmpty();
      Optional<String> local;
      try {
        local = LogLayout.partitionPrefixOf(Json.tree(record));
      } catch (RuntimeException notJson) {
        local = Optional.empty();
      }
      assertThat(local).as("local: " + record).isEmpty();
    }
  }

  @Test
  void jqOnThisMachine_isVersion16LikeFirehose() throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(JQ), "ASSUMPTION: jq is installed at /usr/bin/jq");
    Process p = new ProcessBuilder(JQ.toString(), "--version").start();
    String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    assertThat(version).startsWith("jq-1.6");
  }
}
