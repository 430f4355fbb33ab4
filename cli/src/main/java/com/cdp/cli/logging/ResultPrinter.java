package com.cdp.cli.logging;

import com.cdp.model.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints query results as an aligned table, CSV, or JSON lines. */
public final class ResultPrinter {
  /** Output formats of {@code ./cdp logs query}. */
  public enum Format {
    TABLE,
    CSV,
    JSON;

    public static Format parse(String text) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown format " + text + " (table, csv or json)");
      }
    }
  }

  private static final int MAX_CELL = 80;

  private ResultPrinter() {}

  public static void print(LogQueryResult result, Format format, PrintWriter out) {
    switch (format) {
      case CSV -> csv(result, out);
      case JSON -> json(result, out);
      default -> table(result, out);
    }
    out.flush();
  }

  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      return Json.write(value);
    }
    return value.toString();
  }

  private static void table(LogQueryResult result, PrintWriter out) {
    List<String> columns = result.columns();
    int[] widths = new int[columns.size()];
    List<List<String>> cells = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      widths[c] = columns.get(c).length();
    }
    for (List<Object> row : result.rows()) {
      List<String> line = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        String cell = text(c < row.size() ? row.get(c) : null).replace('\n', ' ');
        if (cell.length() > MAX_CELL) {
          cell = cell.substring(0, MAX_CELL - 1) + "…";
        }
        widths[c] = Math.max(widths[c], cell.length());
        line.add(cell);
      }
      cells.add(line);
    }
    out.println(row(columns, widths));
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      rule.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
    }
    out.println(rule);
    for (List<String> line : cells) {
      out.println(row(line, widths));
    }
    out.println("(" + result.rows().size() + (result.rows().size() == 1 ? " row)" : " rows)"));
  }

  private static String row(List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      b.append(c == 0 ? "" : " | ")
          .append(cells.get(c))
          .append(" ".repeat(widths[c] - cells.get(c).length()));
    }
    return b.toString().stripTrailing();
  }

  private static void csv(LogQueryResult result, PrintWriter out) {
    out.println(String.join(",", result.columns().stream().map(ResultPrinter::csvCell).toList()));
    for (List<Object> row : result.rows()) {
      List<String> cells = new ArrayList<>();
      for (Object value : row) {
        // Numbers are data (a negative amount stays -5); text is never taken for a formula.
        cells.add(value instanceof Number ? text(value) : csvCell(text(value)));
      }
      out.println(String.join(",", cells));
    }
  }

  /**
   * A cell that is safe to open in a spreadsheet (OWASP "CSV injection"): log values come from
   * outside (descriptions, ids, headers), so text starting with {@code = + - @}, a tab or a
   * carriage return is prefixed with {@code '}; then quoted per RFC 4180 when it holds a comma,
   * quote or line break.
   */
  static String csvCell(String value) {
    if (value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    String safe =
        first == '='
                || first == '+'
                || first == '-'
                || first == '@'
                || first == '\t'
                || first == '\r'
            ? "'" + value
            : value;
    if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }

  private static void json(LogQueryResult result, PrintWriter out) {
    for (List<Object> row : result.rows()) {
      Map<String, Object> object = new LinkedHashMap<>();
      for (int c = 0; c < result.columns().size(); c++) {
        object.put(result.columns().get(c), c < row.size() ? row.get(c) : null);
      }
      out.println(Json.mapper().valueToTree(object).toString());
    }
  }
}
