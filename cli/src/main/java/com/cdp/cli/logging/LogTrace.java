package com.cdp.cli.logging;

import com.cdp.logging.LogSchema;
import com.cdp.logging.LogType;
import com.cdp.logging.TransactionIds;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The cross-service timeline of one transaction: every event of every message with that
 * transactionId, in every log table, in time order (a message without events shows as one line).
 * The SQL is the same for DuckDB and Athena; an optional day range becomes partition filters, which
 * Athena needs to avoid projecting every partition.
 */
public final class LogTrace {
  /** Most days a trace may span, to keep the partition filter small. */
  public static final int MAX_DAYS = 31;

  private LogTrace() {}

  /** The trace query; {@code from}/{@code to} are inclusive UTC days, both or neither. */
  public static String sql(String transactionId, LocalDate from, LocalDate to) {
    if (!TransactionIds.isValid(transactionId)) {
      throw new IllegalArgumentException(
          "not a transactionId: a UUID or two UUIDs (the platform's format), as printed by"
              + " './cdp upload' or sent in x-transaction-id");
    }
    String id = LogSchema.sqlString(transactionId);
    String days = days(from, to);
    List<String> parts = new ArrayList<>();
    for (LogType type : LogType.values()) {
      parts.add(
          "SELECT COALESCE(e.\"time\", m.\"time\") AS \"time\", m.logType AS logType,"
              + " m.organizationID AS organizationID, COALESCE(e.server, m.server) AS server,"
              + " COALESCE(e.action, '-') AS action, COALESCE(e.success, m.success) AS success,"
              + " e.description AS description, e.caller AS caller,"
              + " m.\"time\" AS started, m.durationMs AS durationMs, m.success AS requestSuccess,"
              + " m.function_request_id AS requestId"
              + " FROM \""
              + type.id()
              + "\" m LEFT JOIN UNNEST(m.events) AS t(e) ON true"
              + " WHERE m.transactionId = "
              + id
              + days);
    }
    return String.join(" UNION ALL ", parts) + " ORDER BY 1, 2, 5";
  }

  private static String days(LocalDate from, LocalDate to) {
    if (from == null && to == null) {
      return "";
    }
    if (from == null || to == null || to.isBefore(from)) {
      throw new IllegalArgumentException("give both --from and --to, with --from not after --to");
    }
    if (from.plusDays(MAX_DAYS - 1).isBefore(to)) {
      throw new IllegalArgumentException("a trace spans at most " + MAX_DAYS + " days");
    }
    List<String> terms = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      terms.add(
          String.format(
              "(m.year = '%04d' AND m.month = '%02d' AND m.day = '%02d')",
              d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
    }
    return " AND (" + String.join(" OR ", terms) + ")";
  }
}
