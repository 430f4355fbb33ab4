package com.cdp.realtime.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RelayMetricsTest {
  @Test
  void postFailures_writesOneEmbeddedMetricFormatLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RelayMetrics metrics =
        new RelayMetrics(
            "dev",
            new PrintStream(bytes, true, StandardCharsets.UTF_8),
            Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC));

    metrics.postFailures(3);

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.lines()).hasSize(1);
    JsonNode line = Json.tree(out);
    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(1795824000000L);
    assertThat(directive.path("Namespace").asText()).isEqualTo("CDP/Realtime");
    assertThat(directive.path("Dimensions").get(0).get(0).asText()).isEqualTo("Environment");
    assertThat(directive.path("Metrics").get(0).path("Name").asText()).isEqualTo("PostFailures");
    assertThat(line.path("Environment").asText()).isEqualTo("dev");
    assertThat(line.path("PostFailures").asInt()).isEqualTo(3);
  }
}
