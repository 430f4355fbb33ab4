package com.cdp.realtime.relay;

import com.cdp.model.json.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Publishes the relay's post failures as a CloudWatch metric in Embedded Metric Format: one JSON
 * line on standard output, which Lambda sends to CloudWatch Logs and CloudWatch turns into the
 * metric {@code CDP/Realtime PostFailures} (dimension {@code Environment}) without an API call. The
 * alarm on it lives in the Realtime construct.
 */
final class RelayMetrics {
  static final String NAMESPACE = "CDP/Realtime";
  static final String POST_FAILURES = "PostFailures";
  static final String REPLAY_FAILURES = "ReplayFailures";

  private final String environment;
  private final PrintStream out;
  private final Clock clock;

  RelayMetrics(String environment, PrintStream out, Clock clock) {
    this.environment = environment;
    this.out = out;
    this.clock = clock;
  }

  /** Posts that failed for a reason other than a gone connection (410), after retries. */
  void postFailures(int count) {
    publish(POST_FAILURES, count);
  }

  /**
   * Replays that could not be completed (a post failed or the pump threw): the connection keeps
   * waiting for it, and the alarm on this metric says so.
   */
  void replayFailures(int count) {
    publish(REPLAY_FAILURES, count);
  }

  private void publish(String metric, int count) {
    out.println(
        Json.write(
            Map.of(
                "_aws",
                Map.of(
                    "Timestamp",
                    clock.millis(),
                    "CloudWatchMetrics",
                    List.of(
                        Map.of(
                            "Namespace",
                            NAMESPACE,
                            "Dimensions",
                            List.of(List.of("Environment")),
                            "Metrics",
                            List.of(Map.of("Name", metric, "Unit", "Count"))))),
                "Environment",
                environment,
                metric,
                count)));
  }
}
