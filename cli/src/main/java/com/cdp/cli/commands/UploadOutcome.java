package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.model.json.Json;
import com.cdp.model.wiring.Triggers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Waits for an uploaded file's final report (the platform's answer, written next to the file) and
 * prints its summary: status, rows loaded and rejected, the first rejects, and where the full
 * report is. Reads the report through S3 only, like any client of the bucket.
 */
final class UploadOutcome {
  static final int FIRST_REJECTS = 5;
  private static final Duration POLL = Duration.ofMillis(300);
  // "loading" is the chunker's interim status: the loader of the last chunk writes the final one.
  private static final Set<String> INTERIM = Set.of("loading");
  // Reports written just before the upload (an earlier upload of the same name) are not ours;
  // a little slack covers clocks that differ between this machine and the store.
  private static final Duration SLACK = Duration.ofSeconds(2);

  private UploadOutcome() {}

  /** The report key of an uploaded file: under {@code <prefix>reports/}, without {@code .csv}. */
  static String reportKey(String key) {
    for (Triggers.S3Trigger trigger :
        new Triggers.S3Trigger[] {Triggers.TRANSACTION_FILES, Triggers.GROUP_ASSIGNMENT_FILES}) {
      if (key.startsWith(trigger.prefix())) {
        String name = key.substring(trigger.prefix().length());
        if (Triggers.isCsv(name)) {
          name = name.substring(0, name.length() - Triggers.CSV_EXTENSION.length());
        }
        return trigger.excludedPrefix() + name + ".report.json";
      }
    }
    throw new IllegalArgumentException("not an upload key: " + key);
  }

  static void await(
      S3Client s3,
      String bucket,
      String key,
      Instant uploadedAt,
      Duration timeout,
      PrintWriter out) {
    String reportKey = reportKey(key);
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode report = finalReport(s3, bucket, reportKey, uploadedAt.minus(SLACK));
      if (report != null) {
        print(report, "s3://" + bucket + "/" + reportKey, out);
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new CliException(
            "no final report for "
                + key
                + " within "
                + timeout.toString().substring(2).toLowerCase(Locale.ROOT)
                + " (an identical re-upload of an ingested file gets no new report); look for"
                + " s3://"
                + bucket
                + "/"
                + reportKey);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while waiting for the report");
      }
    }
  }

  private static JsonNode finalReport(S3Client s3, String bucket, String key, Instant notBefore) {
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      return null;
    }
    if (bytes.response().lastModified() != null
        && bytes.response().lastModified().isBefore(notBefore)) {
      return null;
    }
    JsonNode report = Json.tree(bytes.asUtf8String());
    return INTERIM.contains(report.path("status").asText()) ? null : report;
  }

  static void print(JsonNode report, String location, PrintWriter out) {
    out.println("status: " + report.path("status").asText());
    if (report.has("counts")) {
      // a group-assignment report
      JsonNode c = report.path("counts");
      out.printf(
          "rows: %d read, %d added, %d removed, %d unchanged, %d rejected, %d not applied%n",
          report.path("rowsRead").asLong(),
          c.path("added").asLong(),
          c.path("removed").asLong(),
          c.path("unchanged").asLong(),
          c.path("rejected").asLong(),
          c.path("notApplied").asLong());
      printProblems(report.path("fileProblems"), null, out);
      printProblems(report.path("problems"), report.path("counts").path("rejected"), out);
    } else {
      out.printf(
          "rows: %d read, %d loaded, %d rejected%n",
          report.path("rowsRead").asLong(),
          report.path("rowsLoaded").asLong(),
          report.path("rowsRejected").asLong());
      if (!report.path("error").isMissingNode() && !report.path("error").isNull()) {
        out.println("error: " + report.path("error").asText());
      }
      printProblems(report.path("rejects"), report.path("rowsRejected"), out);
    }
    out.println("report: " + location);
    out.flush();
  }

  private static void printProblems(JsonNode problems, JsonNode total, PrintWriter out) {
    if (!problems.isArray() || problems.isEmpty()) {
      return;
    }
    out.println(total == null ? "file problems:" : "first rejects:");
    int shown = 0;
    for (JsonNode p : problems) {
      if (shown++ == FIRST_REJECTS) {
        break;
      }
      if (p.isTextual()) {
        out.println("  " + p.asText());
      } else {
        String column = p.path("column").isNull() ? "" : p.path("column").asText("");
        out.println(
            "  line "
                + p.path("line").asLong()
                + (column.isEmpty() ? "" : ", " + column)
                + ": "
                + p.path("reason").asText());
      }
    }
    long all = total == null ? problems.size() : total.asLong(problems.size());
    if (all > FIRST_REJECTS) {
      out.println("  ... " + (all - FIRST_REJECTS) + " more in the report");
    }
  }
}
