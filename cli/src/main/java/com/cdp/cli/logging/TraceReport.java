package com.cdp.cli.logging;

import com.cdp.model.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rows of a {@link LogTrace} query grouped into steps (one per log message: a service handling
 * one request of the flow) in time order, each with its duration, its success and its events, and a
 * one-line summary: the services, the total duration (first start to last end) and the failures.
 * Rows are read by position, so the same code serves DuckDB's typed values and Athena's text.
 */
public final class TraceReport {
  /** One event of a step. */
  public record Event(
      String time, String action, boolean success, String description, String caller) {}

  /** One service's handling of one request of the flow. */
  public record Step(
      String started,
      String logType,
      String organizationId,
      String server,
      long durationMs,
      boolean success,
      List<Event> events) {}

  /** The services, the total duration, the steps and failures of the flow. */
  public record Summary(
      String transactionId, List<String> services, long totalMs, int steps, int failures) {}

  private final String transactionId;
  private final List<Step> steps;

  private TraceReport(String transactionId, List<Step> steps) {
    this.transactionId = transactionId;
    this.steps = steps;
  }

  /** Groups the rows of {@link LogTrace#sql} (columns 0-11) into steps. */
  public static TraceReport of(String transactionId, LogQueryResult result) {
    Map<String, Step> byMessage = new LinkedHashMap<>();
    for (List<Object> row : result.rows()) {
      String started = text(row.get(8));
      String server = text(row.get(3));
      // One step per message. Messages of one service can start in the same millisecond (locally
      // every function shares the server name), so the key also takes the message's invocation
      // and duration.
      String key =
          started
              + '\u0000'
              + text(row.get(1))
              + '\u0000'
              + server
              + '\u0000'
              + (row.size() > 11 ? text(row.get(11)) : "")
              + '\u0000'
              + text(row.get(9));
      Step step =
          byMessage.computeIfAbsent(
              key,
              k ->
                  new Step(
                      started,
                      text(row.get(1)),
                      text(row.get(2)),
                      server,
                      number(row.get(9)),
                      !"false".equalsIgnoreCase(text(row.get(10))),
                      new ArrayList<>()));
      if (!"-".equals(text(row.get(4)))) {
        step.events()
            .add(
                new Event(
                    text(row.get(0)),
                    text(row.get(4)),
                    !"false".equalsIgnoreCase(text(row.get(5))),
                    row.get(6) == null ? null : text(row.get(6)),
                    row.get(7) == null ? null : text(row.get(7))));
      }
    }
    List<Step> steps = new ArrayList<>(byMessage.values());
    steps.sort((a, b) -> a.started().equals(b.started()) ? 0 : a.started().compareTo(b.started()));
    return new TraceReport(transactionId, steps);
  }

  public List<Step> steps() {
    return steps;
  }

  public Summary summary() {
    Set<String> services = new LinkedHashSet<>();
    Instant first = null;
    Instant last = null;
    int failures = 0;
    for (Step s : steps) {
      services.add(s.server());
      failures += s.success() ? 0 : 1;
      Instant start = instant(s.started());
      if (start != null) {
        Instant end = start.plusMillis(s.durationMs());
        first = first == null || start.isBefore(first) ? start : first;
        last = last == null || end.isAfter(last) ? end : last;
      }
    }
    long total = first == null ? 0 : Duration.between(first, last).toMillis();
    return new Summary(transactionId, List.copyOf(services), total, steps.size(), failures);
  }

  /** A step line, its events indented below it, then the summary line. */
  public void printText(PrintWriter out) {
    for (Step s : steps) {
      out.println(
          String.format(
              "%-24s  %-20s  %-28s  %-4s  %6d ms",
              s.started(),
              s.logType() + "/" + s.organizationId(),
              s.server(),
              s.success() ? "ok" : "FAIL",
              s.durationMs()));
      for (Event e : s.events()) {
        out.println(
            String.format(
                "    %-24s  %-4s  %s%s%s",
                e.time(),
                e.success() ? "ok" : "FAIL",
                e.action(),
                e.description() == null || e.description().isEmpty() ? "" : "  " + e.description(),
                e.caller() == null ? "" : "  (" + e.caller() + ")"));
      }
    }
    out.println(summaryLine(summary()));
  }

  /** {@code summary: 6 steps by 5 services (a, b, ...), 1234 ms, 0 failures}. */
  public static String summaryLine(Summary s) {
    return String.format(
        "summary: %d steps by %d services (%s), %d ms, %d %s",
        s.steps(),
        s.services().size(),
        String.join(", ", s.services()),
        s.totalMs(),
        s.failures(),
        s.failures() == 1 ? "failure" : "failures");
  }

  /** One JSON object: {@code {transactionId, summary, steps: [...]}}. */
  public void printJson(PrintWriter out) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("transactionId", transactionId);
    json.put("summary", summary());
    json.put("steps", steps);
    out.println(Json.write(json));
  }

  private static String text(Object value) {
    return Objects.toString(value, "");
  }

  private static long number(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return value == null ? 0 : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant instant(String time) {
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
