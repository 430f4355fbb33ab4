package com.cdp.groups.task;

import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes a run's two reports, streaming (a 100k-row file's results never sit in memory as text):
 * {@code <name>.results.csv} with one line per data row, then {@code <name>.report.json} with the
 * counts, every problem, and the first {@code resultsLimit} row results. Every CSV cell goes
 * through {@link Cells#csv}, so no cell can start a spreadsheet formula.
 */
final class ReportWriter {
  static final List<String> RESULT_COLUMNS =
      List.of(
          "line",
          "memberId",
          "tileGroup",
          "action",
          "result",
          "partiallyEnrolled",
          "column",
          "reason");

  private final FileStore files;
  private final int resultsLimit;

  ReportWriter(FileStore files, int resultsLimit) {
    this.files = files;
    this.resultsLimit = resultsLimit;
  }

  /** What one report says. */
  record Content(
      AssignmentObject object,
      String runId,
      Mode mode,
      RunStatus status,
      String summary,
      Counts counts,
      AssignmentFile file,
      List<String> runProblems,
      Instant startedAt,
      Instant finishedAt) {}

  /** Writes both reports; returns the report JSON's key. */
  String write(Content content) {
    String key = content.object().key();
    Path csv = null;
    Path json = null;
    try {
      csv = Files.createTempFile("group-results", ".csv");
      json = Files.createTempFile("group-report", ".json");
      writeCsv(csv, content.file().rows());
      writeJson(json, content, ReportKeys.results(key));
      files.put(content.object().bucket(), ReportKeys.results(key), csv, "text/csv; charset=utf-8");
      files.put(content.object().bucket(), ReportKeys.report(key), json, "application/json");
      return ReportKeys.report(key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the reports: " + e.getMessage(), e);
    } finally {
      deleteQuietly(csv);
      deleteQuietly(json);
    }
  }

  static void writeCsv(Path target, List<AssignmentRow> rows) throws IOException {
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8))) {
      out.write(String.join(",", RESULT_COLUMNS));
      out.write("\r\n");
      for (AssignmentRow row : rows) {
        out.write(Integer.toString(row.line));
        out.write(',');
        out.write(Cells.csv(row.memberCell));
        out.write(',');
        out.write(Cells.csv(row.groupCell));
        out.write(',');
        out.write(Cells.csv(row.action == null ? row.actionCell : row.action.id()));
        out.write(',');
        out.write(row.outcome.id());
        out.write(',');
        out.write(row.partiallyEnrolled ? "true" : "false");
        out.write(',');
        out.write(Cells.csv(row.column));
        out.write(',');
        out.write(Cells.csv(row.reason));
        out.write("\r\n");
      }
    }
  }

  private void writeJson(Path target, Content c, String resultsKey) throws IOException {
    try (OutputStream out = Files.newOutputStream(target);
        JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("file", c.object().key());
      json.writeStringField("bucket", c.object().bucket());
      json.writeStringField("organizationId", c.object().organization().value());
      if (c.object().versionId().isPresent()) {
        json.writeStringField("versionId", c.object().versionId().get());
      }
      if (c.object().eTag().isPresent()) {
        json.writeStringField("eTag", c.object().eTag().get());
      }
      json.writeStringField("runId", c.runId());
      json.writeBooleanField("dryRun", c.mode().dryRun());
      json.writeBooleanField("partial", c.mode().partial());
      json.writeStringField("status", c.status().id());
      json.writeStringField("summary", c.summary());
      Counts n = c.counts();
      json.writeNumberField("rowsRead", n.rowsRead());
      json.writeObjectFieldStart("counts");
      json.writeNumberField("added", n.added());
      json.writeNumberField("removed", n.removed());
      json.writeNumberField("partiallyEnrolled", n.partiallyEnrolled());
      json.writeNumberField("unchanged", n.unchanged());
      json.writeNumberField("rejected", n.rejected());
      json.writeNumberField("notApplied", n.notApplied());
      json.writeEndObject();
      json.writeArrayFieldStart("fileProblems");
      for (String p : c.file().fileProblems()) {
        json.writeString(p);
      }
      for (String p : c.runProblems()) {
        json.writeString(p);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("warnings");
      for (String w : c.file().warnings()) {
        json.writeString(w);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("problems");
      for (AssignmentRow row : c.file().rows()) {
        if (row.outcome == Outcome.REJECTED) {
          json.writeStartObject();
          json.writeNumberField("line", row.line);
          if (row.column != null) {
            json.writeStringField("column", row.column);
          }
          json.writeStringField("reason", row.reason);
          json.writeEndObject();
        }
      }
      json.writeEndArray();
      json.writeArrayFieldStart("results");
      int written = 0;
      for (AssignmentRow row : c.file().rows()) {
        if (written++ == resultsLimit) {
          break;
        }
        json.writeStartObject();
        json.writeNumberField("line", row.line);
        json.writeStringField("memberId", row.memberCell);
        json.writeStringField("tileGroup", row.groupCell);
        json.writeStringField("action", row.action == null ? row.actionCell : row.action.id());
        json.writeStringField("result", row.outcome.id());
        json.writeBooleanField("partiallyEnrolled", row.partiallyEnrolled);
        if (row.reason != null) {
          json.writeStringField("reason", row.reason);
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeBooleanField("resultsTruncated", c.file().rows().size() > resultsLimit);
      json.writeStringField("resultsCsv", resultsKey);
      json.writeStringField("startedAt", c.startedAt().toString());
      json.writeStringField("finishedAt", c.finishedAt().toString());
      json.writeEndObject();
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }
}
