package com.cdp.warehouse;

/** Minimal JSON string escaping for the hot path of the chunker (no intermediate objects). */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  static void appendString(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    int start = 0;
    // Most values need no escaping: check first, then append the whole value at once.
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') {
        break;
      }
      i++;
    }
    if (i == n) {
      out.append(s).append('"');
      return;
    }
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') {
        out.append(s, start, i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default ->
              out.append("\\u")
                  .append(HEX[(c >> 12) & 0xF])
                  .append(HEX[(c >> 8) & 0xF])
                  .append(HEX[(c >> 4) & 0xF])
                  .append(HEX[c & 0xF]);
        }
        start = i + 1;
      }
    }
    out.append(s, start, n);
    out.append('"');
  }
}
