package com.cdp.logging;

import com.cdp.model.json.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Count metrics in CloudWatch Embedded Metric Format: one JSON line on standard output, which
 * Lambda sends to CloudWatch Logs and CloudWatch turns into metrics of {@code namespace} with the
 * dimension {@code Environment}, without an API call. The one writer of that format, so every
 * function's metrics share the same shape (and the alarms in the CDK the same dimension).
 */
public final class EmbeddedMetrics {
  private final String namespace;
  private final String environment;
  private final PrintStream out;
  private final Clock clock;

  public EmbeddedMetrics(String namespace, String environment, PrintStream out, Clock clock) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.out = Objects.requireNonNull(out, "out");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Writes one line carrying each metric name with its count, in the order given. */
  public void counts(Map<String, ? extends Number> counts) {
    if (counts.isEmpty()) {
      throw new IllegalArgumentException("at least one metric");
    }
    List<Map<String, String>> metrics = new ArrayList<>();
    Map<String, Object> line = new LinkedHashMap<>();
    counts.keySet().forEach(name -> metrics.add(Map.of("Name", name, "Unit", "Count")));
    line.put(
        "_aws",
        Map.of(
            "Timestamp",
            clock.millis(),
            "CloudWatchMetrics",
            List.of(
                Map.of(
                    "Namespace",
                    namespace,
                    "Dimensions",
                    List.of(List.of("Environment")),
                    "Metrics",
                    metrics))));
    line.put("Environment", environment);
    line.putAll(counts);
    out.println(Json.write(line));
  }

  /** Writes one line carrying one metric. */
  public void count(String metric, long count) {
    counts(Map.of(metric, count));
  }
}
