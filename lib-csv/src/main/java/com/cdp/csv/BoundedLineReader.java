package com.cdp.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads physical lines (LF or CRLF) without ever holding more than {@code maxLineChars} of one
 * line: the rest of an overlong line is skipped and the line is flagged as truncated. When the
 * skipped part held an odd number of quotes, one quote is appended so the CSV parser's quoting
 * state at the end of the line is what it would have been. A leading byte-order mark is dropped.
 * Lines can be pushed back to be read again (the chunker replays lines swallowed by a broken
 * quote).
 */
final class BoundedLineReader {
  private final Reader in;
  private final int maxLineChars;
  private final char[] buffer = new char[1 << 16];
  private final StringBuilder spill = new StringBuilder();
  private final Deque<Line> pushedBack = new ArrayDeque<>();
  private int pos;
  private int limit;
  private long physicalLine;
  private long lineNumber;
  private boolean truncated;
  private boolean first = true;

  /** A line read earlier, to replay. */
  record Line(String text, long number, boolean truncated) {}

  BoundedLineReader(Reader in, int maxLineChars) {
    this.in = in;
    this.maxLineChars = maxLineChars;
  }

  /** The 1-based number of the line last returned. */
  long lineNumber() {
    return lineNumber;
  }

  /** Whether the line last returned was longer than the limit (and so cut). */
  boolean truncated() {
    return truncated;
  }

  void pushBack(Deque<Line> lines) {
    for (var it = lines.descendingIterator(); it.hasNext(); ) {
      pushedBack.addFirst(it.next());
    }
  }

  /** The next line without its terminator, or null at the end of the input. */
  String readLine() throws IOException {
    if (!pushedBack.isEmpty()) {
      Line line = pushedBack.removeFirst();
      lineNumber = line.number();
      truncated = line.truncated();
      return line.text();
    }
    String line = read();
    if (line != null) {
      lineNumber = ++physicalLine;
      if (first) {
        first = false;
        if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1);
        }
      }
    }
    return line;
  }

  private String read() throws IOException {
    truncated = false;
    spill.setLength(0);
    boolean any = false;
    int droppedQuotes = 0;
    while (true) {
      if (pos >= limit) {
        limit = in.read(buffer, 0, buffer.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          if (!any) {
            return null;
          }
          return finish(spill.toString(), droppedQuotes);
        }
      }
      any = true;
      int start = pos;
      int end = start;
      while (end < limit && buffer[end] != '\n') {
        end++;
      }
      boolean newline = end < limit;
      int length = end - start;
      if (spill.length() == 0 && newline && !truncated && length <= maxLineChars) {
        pos = end + 1;
        if (length > 0 && buffer[end - 1] == '\r') {
          length--;
        }
        return new String(buffer, start, length);
      }
      int room = maxLineChars - spill.length();
      if (truncated || length > room) {
        int keep = Math.max(0, Math.min(length, room));
        spill.append(buffer, start, keep);
        for (int i = start + keep; i < end; i++) {
          if (buffer[i] == '"') {
            droppedQuotes++;
          }
        }
        truncated = true;
      } else {
        spill.append(buffer, start, length);
      }
      pos = newline ? end + 1 : end;
      if (newline) {
        return finish(spill.toString(), droppedQuotes);
      }
    }
  }

  private String finish(String text, int droppedQuotes) {
    String line = text;
    if (!truncated && !line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
      line = line.substring(0, line.length() - 1);
    }
    if (truncated && (droppedQuotes & 1) == 1) {
      line = line + '"';
    }
    return line;
  }
}
