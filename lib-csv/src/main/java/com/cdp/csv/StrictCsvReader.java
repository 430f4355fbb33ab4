package com.cdp.csv;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.StringArrayHandler;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The one reader of uploaded CSV files (transactions and group assignments): strict RFC 4180,
 * streaming, and bounded. Every record comes back with the physical line it starts on and either
 * its fields or the reason it is malformed, so both file kinds report problems the same way.
 *
 * <p>How it stays bounded and loses at most one record per problem: {@link BoundedLineReader} hands
 * out physical lines of at most {@code maxLineChars}; a record is framed from whole lines (a line
 * that leaves a quote open is joined with the next ones, up to {@code maxRecordLines}); FastCSV
 * then parses that one record strictly. A quote that never closes rejects only the line it opened
 * on: the lines it swallowed are read again. After {@link #expectFields(int)}, a record whose field
 * count differs from the header's is malformed too.
 */
public final class StrictCsvReader {
  /** Column name reports use for a problem of the whole record. */
  public static final String ROW = "(row)";

  /**
   * One record. {@code fields} is null when {@code problem} is set. {@code blank} means one
   * physical line holding nothing but whitespace (callers skip these).
   */
  public record Row(long line, String[] fields, String problem, boolean blank) {
    public boolean malformed() {
      return problem != null;
    }
  }

  private static final CsvReader.CsvReaderBuilder FASTCSV =
      CsvReader.builder()
          .fieldSeparator(',')
          .quoteCharacter('"')
          .skipEmptyLines(false)
          .allowExtraCharsAfterClosingQuote(false)
          .allowUnclosedQuote(false)
          .detectBomHeader(false);

  // The same strict settings for a run of records parsed as one stream; field counts are checked
  // here, per record, not by FastCSV.
  private static final CsvReader.CsvReaderBuilder FASTCSV_RUN =
      CsvReader.builder()
          .fieldSeparator(',')
          .quoteCharacter('"')
          .skipEmptyLines(false)
          .allowExtraCharsAfterClosingQuote(false)
          .allowUnclosedQuote(false)
          .allowExtraFields(true)
          .allowMissingFields(true)
          .detectBomHeader(false);

  /** Most single-line records parsed as one stream (bounds the run's text to ~this x a line). */
  private static final int RUN_RECORDS = 256;

  /** Most characters of one run (records are still read one line at a time). */
  private static final int RUN_CHARS = 64 * 1024;

  private final BoundedLineReader lines;
  private final int maxLineChars;
  private final int maxRecordLines;
  private final Deque<BoundedLineReader.Line> record = new ArrayDeque<>();
  private final StringBuilder text = new StringBuilder();
  private int width = -1;
  // Records framed ahead and already parsed, handed out in order.
  private final Deque<Row> ready = new ArrayDeque<>();
  private final long[] runLines = new long[RUN_RECORDS];
  private final String[] runTexts = new String[RUN_RECORDS];
  private final StringBuilder runText = new StringBuilder(1 << 16);
  // Reused for every record: builds the String[] directly (no List, no copy).
  private final StringArrayHandler fieldsHandler = StringArrayHandler.of();

  private final int runRecords;

  private StrictCsvReader(Reader in, int maxLineChars, int maxRecordLines, int runRecords) {
    this.runRecords = runRecords;
    this.lines = new BoundedLineReader(Objects.requireNonNull(in, "in"), maxLineChars);
    this.maxLineChars = maxLineChars;
    this.maxRecordLines = maxRecordLines;
  }

  /**
   * A reader over already-decoded text (the caller chooses how invalid UTF-8 is treated). A leading
   * byte-order mark is dropped.
   *
   * @param maxLineChars longest physical line kept; a longer one makes its record malformed
   * @param maxRecordLines most physical lines one quoted record may span
   */
  public static StrictCsvReader of(Reader in, int maxLineChars, int maxRecordLines) {
    if (maxLineChars < 1 || maxRecordLines < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    return new StrictCsvReader(in, maxLineChars, maxRecordLines, RUN_RECORDS);
  }

  /** Every record parsed alone (no runs): the reference the run parsing is tested against. */
  static StrictCsvReader recordByRecord(Reader in, int maxLineChars, int maxRecordLines) {
    return new StrictCsvReader(in, maxLineChars, maxRecordLines, 1);
  }

  /** From now on a record with another number of fields is malformed (the header's width). */
  public void expectFields(int fields) {
    this.width = fields;
  }

  /**
   * The next record, or null at the end of the input.
   *
   * <p>Why records are read ahead: creating a FastCSV reader per record cost more than parsing the
   * record. Runs of simple records (one physical line, an even number of quotes, within the line
   * limit) are parsed as one FastCSV stream; a run that FastCSV refuses, or that does not come back
   * as exactly one record per line, is parsed again record by record, so every record gets the same
   * outcome as when parsed alone. Anything else (blank lines, overlong or multi-line records) ends
   * the run and is handled alone, in order.
   */
  public Row next() throws IOException {
    if (ready.isEmpty()) {
      fill();
    }
    Row row = ready.pollFirst();
    // The width is checked when a record is handed out: records are read ahead of expectFields.
    return row == null || row.fields() == null ? row : checked(row);
  }

  private void fill() throws IOException {
    int n = 0;
    int chars = 0;
    while (n < runRecords && chars < RUN_CHARS) {
      String first = lines.readLine();
      if (first == null) {
        break;
      }
      if (!lines.truncated() && (quotes(first) & 1) == 0 && !first.isBlank()) {
        runLines[n] = lines.lineNumber();
        runTexts[n] = first;
        chars += first.length() + 1;
        n++;
        continue;
      }
      // Not simple: parse the run so far, then this record alone (it may replay lines).
      parseRun(n);
      n = 0;
      ready.addLast(single(first));
      break;
    }
    parseRun(n);
  }

  private void parseRun(int n) {
    if (n == 0) {
      return;
    }
    if (n > 1 && parseRunAsStream(n)) {
      java.util.Arrays.fill(runTexts, 0, n, null);
      return;
    }
    for (int i = 0; i < n; i++) {
      ready.addLast(parse(runLines[i], runTexts[i], 1));
      runTexts[i] = null;
    }
  }

  private boolean parseRunAsStream(int n) {
    runText.setLength(0);
    for (int i = 0; i < n; i++) {
      runText.append(runTexts[i]).append('\n');
    }
    int mark = ready.size();
    int i = 0;
    try (CsvReader<String[]> run = FASTCSV_RUN.build(fieldsHandler, new RunReader(runText))) {
      for (String[] fields : run) {
        // One record per line, or the run is not what framing saw (a bare CR splits a record, a
        // quote inside an unquoted field joins lines): then every record is parsed alone.
        if (i >= n || newlines(fields) != 0) {
          i = -1;
          break;
        }
        ready.addLast(new Row(runLines[i], fields, null, false));
        i++;
      }
    } catch (CsvParseException | IOException e) {
      i = -1;
    }
    if (i == n) {
      return true;
    }
    while (ready.size() > mark) {
      ready.pollLast();
    }
    return false;
  }

  /** One record read alone, starting with the line already read. */
  private Row single(String first) throws IOException {
    long start = lines.lineNumber();
    boolean truncated = lines.truncated();
    if (!truncated && first.isBlank()) {
      return new Row(start, null, null, true);
    }
    if ((quotes(first) & 1) == 0) {
      if (truncated) {
        return tooLong(start);
      }
      return parse(start, first, 1);
    }
    // A quote is left open: join lines until it closes (or give up on the first line only).
    record.clear();
    record.add(new BoundedLineReader.Line(first, start, truncated));
    int open = 1;
    String broken = null;
    while (true) {
      if (record.size() >= maxRecordLines) {
        broken =
            "a quoted field is not closed within " + maxRecordLines + " lines (unbalanced quote?)";
        break;
      }
      String next = lines.readLine();
      if (next == null) {
        broken = "a quoted field is not closed before the end of the file";
        break;
      }
      record.add(new BoundedLineReader.Line(next, lines.lineNumber(), lines.truncated()));
      truncated |= lines.truncated();
      open += quotes(next);
      if ((open & 1) == 0) {
        break;
      }
    }
    if (broken != null) {
      replayAfterFirst();
      return malformed(start, broken);
    }
    if (truncated) {
      return tooLong(start);
    }
    text.setLength(0);
    for (BoundedLineReader.Line l : record) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(l.text());
    }
    return parse(start, text.toString(), record.size());
  }

  private Row parse(long start, String recordText, int physicalLines) {
    String[] fields;
    try {
      fields = FASTCSV.ofSingleCsvRecord(fieldsHandler, recordText);
    } catch (CsvParseException e) {
      if (physicalLines > 1) {
        replayAfterFirst();
      }
      return malformed(start, reason(e));
    }
    if (physicalLines > 1 && newlines(fields) != physicalLines - 1) {
      // The quote count said "open", but FastCSV ended the record earlier: a quote stood inside an
      // unquoted field, which RFC 4180 does not allow. Give up this line only.
      replayAfterFirst();
      return malformed(start, "a quote appears inside an unquoted field");
    }
    return new Row(start, fields, null, false);
  }

  private Row checked(Row row) {
    int fields = row.fields().length;
    if (width >= 0 && fields != width) {
      return malformed(row.line(), "the row has " + fields + " fields; the header has " + width);
    }
    return row;
  }

  private Row tooLong(long start) {
    return malformed(start, "the row is longer than " + maxLineChars + " characters");
  }

  private static Row malformed(long start, String reason) {
    return new Row(start, null, reason, false);
  }

  /** Gives the lines swallowed by a broken record back, to be read again. */
  private void replayAfterFirst() {
    if (record.isEmpty()) {
      return;
    }
    record.removeFirst();
    lines.pushBack(record);
    record.clear();
  }

  private static String reason(CsvParseException e) {
    String message = e.getMessage() == null ? "malformed CSV" : e.getMessage();
    int at = message.indexOf(" (record starting at line");
    return (at > 0 ? message.substring(0, at) : message)
        .replace("Unexpected character after closing quote", "text after a closing quote");
  }

  private static int quotes(String line) {
    int n = 0;
    for (int i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) {
      n++;
    }
    return n;
  }

  private static int newlines(String[] fields) {
    int n = 0;
    for (String f : fields) {
      for (int i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) {
        n++;
      }
    }
    return n;
  }

  /** Hands the run's text to FastCSV without copying it into a String first. */
  private static final class RunReader extends Reader {
    private final StringBuilder text;
    private int pos;

    RunReader(StringBuilder text) {
      this.text = text;
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      if (pos >= text.length()) {
        return -1;
      }
      int n = Math.min(length, text.length() - pos);
      text.getChars(pos, pos + n, buffer, offset);
      pos += n;
      return n;
    }

    @Override
    public void close() {}
  }
}
