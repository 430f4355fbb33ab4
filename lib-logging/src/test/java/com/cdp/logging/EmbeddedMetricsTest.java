package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedMetricsTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final EmbeddedMetrics metrics =
      new EmbeddedMetrics(
          "CDP/Test",
          "dev",
          new PrintStream(bytes, true, StandardCharsets.UTF_8),
          Clock.fixed(Instant.ofEpochMilli(1795824000000L), ZoneOffset.UTC));

  private String out() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void counts_writeOneLine_withEveryMetricDeclaredInOrder_andItsValue() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("Refused", 1);
    counts.put("Mismatches", 4);
    metrics.counts(counts);

    assertThat(out().lines()).hasSize(1);
    JsonNode line = Json.tree(out());
    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(1795824000000L);
    assertThat(directive.path("Namespace").asText()).isEqualTo("CDP/Test");
    assertThat(directive.path("Dimensions").get(0).get(0).asText()).isEqualTo("Environment");
    assertThat(directive.path("Metrics")).hasSize(2);
    assertThat(directive.path("Metrics").get(0).path("Name").asText()).isEqualTo("Refused");
    assertThat(directive.path("Metrics").get(1).path("Name").asText()).isEqualTo("Mismatches");
    assertThat(directive.path("Metrics").get(1).path("Unit").asText()).isEqualTo("Count");
    assertThat(line.path("Environment").asText()).isEqualTo("dev");
    assertThat(line.path("Refused").asInt()).isEqualTo(1);
    assertThat(line.path("Mismatches").asInt()).isEqualTo(4);
  }

  @Test
  void count_writesOneMetric() {
    metrics.count("PostFailures", 3);

    JsonNode line = Json.tree(out());
    assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")).hasSize(1);
    assertThat(line.path("PostFailures").asInt()).isEqualTo(3);
  }

  @Test
  void counts_withNoMetric_isRefused() {
    assertThatThrownBy(() -> metrics.counts(Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(out()).isEmpty();
  }
}
