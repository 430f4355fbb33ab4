package com.cdp.ingestion.platform;

import com.cdp.logging.EmbeddedMetrics;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

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

  private final EmbeddedMetrics metrics;

  AnnouncementMetrics(String environment, PrintStream out, Clock clock) {
    this.metrics = new EmbeddedMetrics(NAMESPACE, environment, out, clock);
  }

  void record(PlatformTransactionsService.Result result) {
    if (!result.refused() && result.ownerHintMismatches() == 0) {
      return;
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put(REFUSED, result.refused() ? 1 : 0);
    counts.put(MISMATCHES, result.ownerHintMismatches());
    metrics.counts(counts);
  }
}
