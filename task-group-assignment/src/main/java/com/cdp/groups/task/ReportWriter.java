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
 * Writes a run's two reports, streaming in one pass over the rows (a million-row file's results
 * never sit in memory): {@code <name>.results.csv} with one line per data row, then {@code
 * <name>.report.json} with the counts, every problem, and the first {@code resultsLimit} row
 * results. Every CSV cell goes through {@link Cells#csv}, so no cell can start a spreadsheet
 * formula.
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

  /** The data rows in file order, each with its outcome, streamed once per report. */
  interface SettledRows {
    void forEach(java.util.function.Consumer<AssignmentRow> row);

    static SettledRows of(List<AssignmentRow> rows) {
      return rows::forEach;
    }
  }

  /** What one report says. */
  record Content(
      AssignmentObject object,
      String runId,
      Mode mode,
      RunStatus status,
      String summary,
      Counts counts,
      List<String> fileProblems,
      List<String> warnings,
      SettledRows rows,
      List<String> runProblems,
      Instant startedAt,
      Instant finishedAt) {}

  /** Writes both reports (one pass over the rows); returns the report JSON's key. */
  String write(Content content) {
    String key = content.object().key();
    Path csv = null;
    Path json = null;
    try {
      csv = Files.createTempFile("group-results", ".csv");
      json = Files.createTempFile("group-report", ".json");
      write(csv, json, content, ReportKeys.results(key));
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

  static void writeCsvHeader(Writer out) throws IOException {
    out.write(String.join(",", RESULT_COLUMNS));
    out.write("\r\n");
  }

  static void writeCsvRow(Writer out, AssignmentRow row) throws IOException {
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

  /**
   * The results CSV and the report JSON in one pass: each row's CSV line and, if rejected, its
   * problem are written as it comes; the first {@code resultsLimit} rows are kept for the JSON's
   * results, which follow its problems.
   */
  private void write(Path csvFile, Path jsonFile, Content c, String resultsKey) throws IOException {
    List<AssignmentRow> results = new java.util.ArrayList<>();
    long[] rows = {0};
    try (Writer csv = new BufferedWriter(Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8));
        OutputStream out = Files.newOutputStream(jsonFile);
        JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
      writeCsvHeader(csv);
      writeJsonHead(json, c);
      json.writeArrayFieldStart("problems");
      c.rows()
          .forEach(
              row -> {
                try {
                  writeCsvRow(csv, row);
                  if (row.outcome == Outcome.REJECTED) {
                    json.writeStartObject();
                    json.writeNumberField("line", row.line);
                    if (row.column != null) {
                      json.writeStringField("column", row.column);
                    }
                    json.writeStringField("reason", row.reason);
                    json.writeEndObject();
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                if (rows[0]++ < resultsLimit) {
                  results.add(row);
                }
              });
      json.writeEndArray();
      json.writeArrayFieldStart("results");
      for (AssignmentRow row : results) {
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
      json.writeBooleanField("resultsTruncated", rows[0] > resultsLimit);
      json.writeStringField("resultsCsv", resultsKey);
      json.writeStringField("startedAt", c.startedAt().toString());
      json.writeStringField("finishedAt", c.finishedAt().toString());
      json.writeEndObject();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void writeJsonHead(JsonGenerator json, Content c) throws IOException {
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
    for (String p : c.fileProblems()) {
      json.writeString(p);
    }
    for (String p : c.runProblems()) {
      json.writeString(p);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("warnings");
    for (String w : c.warnings()) {
      json.writeString(w);
    }
    json.writeEndArray();
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
