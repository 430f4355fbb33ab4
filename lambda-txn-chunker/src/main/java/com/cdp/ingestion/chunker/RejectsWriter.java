package com.cdp.ingestion.chunker;

import com.cdp.ingestion.FileReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Writes rejects as CSV ({@code line,column,reason}), every cell safe to open in a spreadsheet: a
 * cell starting with {@code = + - @}, a tab or a carriage return is prefixed with a quote so it is
 * never taken for a formula.
 */
final class RejectsWriter implements AutoCloseable {
  private final Writer out;

  RejectsWriter(OutputStream out) throws IOException {
    this.out = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    this.out.write("line,column,reason\r\n");
  }

  void write(FileReport.Reject reject) throws IOException {
    out.write(Long.toString(reject.line()));
    out.write(',');
    out.write(cell(reject.column()));
    out.write(',');
    out.write(cell(reject.reason()));
    out.write("\r\n");
  }

  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String v = value;
    char first = v.charAt(0);
    if (first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r') {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      v = '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
