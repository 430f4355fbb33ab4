package com.cdp.ingestion.platform;

import com.cdp.model.json.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts announcements refused (source not configured for the organization) and member hints that
 * disagreed with the stored owners, as CloudWatch metrics in Embedded Metric Format: one JSON line
 * on standard output per announcement that had either, turned into {@code CDP/Ingestion
 * RefusedAnnouncements} and {@code OwnerHintMismatches} (dimension {@code Environment}) without an
 * API call.
 */
final class AnnouncementMetrics {
  static final String NAMESPACE = "CDP/Ingestion";
  static final String REFUSED = "RefusedAnnouncements";
  static final String MISMATCHES = "OwnerHintMismatches";

  private final String environment;
  private final PrintStream out;
  private final Clock clock;

  AnnouncementMetrics(String environment, PrintStream out, Clock clock) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.out = Objects.requireNonNull(out, "out");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void record(PlatformTransactionsService.Result result) {
    if (!result.refused() && result.ownerHintMismatches() == 0) {
      return;
    }
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
                            List.of(
                                Map.of("Name", REFUSED, "Unit", "Count"),
                                Map.of("Name", MISMATCHES, "Unit", "Count"))))),
                "Environment",
                environment,
                REFUSED,
                result.refused() ? 1 : 0,
                MISMATCHES,
                result.ownerHintMismatches())));
  }
}
