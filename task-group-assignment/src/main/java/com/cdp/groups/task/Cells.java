package com.cdp.groups.task;

/** Cell text helpers for reports. */
final class Cells {
  private Cells() {}

  /**
   * A cell that is safe to open in a spreadsheet (OWASP "CSV injection"): text starting with {@code
   * = + - @}, a tab or a carriage return is prefixed with {@code '} so it is never taken for a
   * formula; then quoted per RFC 4180 when it holds a comma, quote or line break.
   */
  static String csv(String value) {
    if (value == null || value.isEmpty()) {
      return "";
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
    if (safe.indexOf(',') >= 0
        || safe.indexOf('"') >= 0
        || safe.indexOf('\n') >= 0
        || safe.indexOf('\r') >= 0) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }

  /** A short printable preview of a bad value for a reason text: at most 40 characters. */
  static String preview(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
