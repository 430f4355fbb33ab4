package com.cdp.realtime.relay;

import com.cdp.logging.EmbeddedMetrics;
import java.io.PrintStream;
import java.time.Clock;

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

  private final EmbeddedMetrics metrics;

  RelayMetrics(String environment, PrintStream out, Clock clock) {
    this.metrics = new EmbeddedMetrics(NAMESPACE, environment, out, clock);
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
    metrics.count(metric, count);
  }
}
