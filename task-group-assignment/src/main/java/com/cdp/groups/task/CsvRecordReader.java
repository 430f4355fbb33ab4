package com.cdp.groups.task;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A streaming RFC 4180 reader: comma-separated, double-quoted fields with {@code ""} escapes and
 * embedded line breaks, CRLF or LF, an optional leading BOM. Records carry the line they start on.
 * Field and record sizes are bounded, so a hostile file (say, an unterminated quote) cannot make it
 * buffer the rest of the file: such a record is returned flagged, with its content dropped.
 */
final class CsvRecordReader {
  /** One record: its first physical line, its fields, and a problem when it is malformed. */
  record CsvRecord(int line, List<String> fields, String problem) {
    boolean isBlank() {
      return problem == null && fields.stream().allMatch(f -> f.isBlank());
    }
  }

  private final Reader in;
  private final int maxFieldLength;
  private final int maxFields;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  private int line = 1;
  private boolean started;
  private boolean eof;

  CsvRecordReader(Reader in, int maxFieldLength, int maxFields) {
    this.in = Objects.requireNonNull(in, "in");
    this.maxFieldLength = maxFieldLength;
    this.maxFields = maxFields;
  }

  /** The next record, or null at the end of the input. */
  CsvRecord next() throws IOException {
    if (!started) {
      started = true;
      if (peek() == '\uFEFF') {
        read();
      }
    }
    if (peek() == -1) {
      return null;
    }
    int startLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    String problem = null;
    boolean quoted = false;
    boolean afterQuote = false;
    boolean fieldTooLong = false;
    while (true) {
      int c = read();
      if (quoted) {
        if (c == -1) {
          problem = "unterminated quoted field (the quote opened on line " + startLine + ")";
          break;
        }
        if (c == '"') {
          if (peek() == '"') {
            read();
            fieldTooLong |= append(field, '"');
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          fieldTooLong |= append(field, (char) c);
        }
        continue;
      }
      if (c == ',' || c == '\n' || c == '\r' || c == -1) {
        if (c == '\r' && peek() == '\n') {
          read();
        }
        if (fields.size() < maxFields) {
          fields.add(fieldTooLong ? "" : field.toString());
        } else if (problem == null) {
          problem = "more than " + maxFields + " fields";
        }
        if (fieldTooLong && problem == null) {
          problem = "field " + fields.size() + " is longer than " + maxFieldLength + " characters";
        }
        field.setLength(0);
        fieldTooLong = false;
        afterQuote = false;
        if (c == ',') {
          continue;
        }
        if (c == '\n' || c == '\r') {
          line++;
        }
        break;
      }
      if (afterQuote) {
        if (problem == null) {
          problem = "unexpected character after a closing quote in field " + (fields.size() + 1);
        }
        fieldTooLong |= append(field, (char) c);
        continue;
      }
      if (c == '"' && field.length() == 0) {
        quoted = true;
        continue;
      }
      fieldTooLong |= append(field, (char) c);
    }
    return new CsvRecord(startLine, problem == null ? fields : List.of(), problem);
  }

  /** Appends unless the field is full; true when it is (the field is then dropped). */
  private boolean append(StringBuilder field, char c) {
    if (field.length() >= maxFieldLength) {
      return true;
    }
    field.append(c);
    return false;
  }

  private int peek() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position];
  }

  private int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++];
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      eof = true;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }
}
