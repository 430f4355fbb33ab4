package com.cdp.ingestion.chunker;

import com.cdp.csv.StrictCsvReader;
import com.cdp.ingestion.FileReport;
import com.cdp.warehouse.Column;
import com.cdp.warehouse.TransactionRow;
import com.cdp.warehouse.TransactionValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Turns a transactions CSV stream into gzip NDJSON chunks, one validated row per line, with every
 * rejected row's line, column and reason. Streams: it holds one line (at most {@code
 * maxLineChars}), at most {@code maxRecordLines} lines of one record, and a bounded number of
 * chunks (the one being filled, the one held back, and two being compressed on a second thread).
 * The last chunk is returned, not sent, so the caller can record the totals before the chunk that
 * may complete the file goes out.
 */
public final class CsvChunker {
  /** What the run found. {@code last} is the held-back final chunk (null when no good rows). */
  record Result(
      long rowsRead,
      long rowsRejected,
      long rowsAccepted,
      int chunks,
      List<String> warnings,
      List<FileReport.Reject> rejects,
      boolean rejectsTruncated,
      String error,
      ChunkSink.Chunk last) {}

  private static final String ROW = StrictCsvReader.ROW;

  private final ChunkLimits limits;
  private final ChunkSink sink;
  private final Function<List<FileReport.Reject>, RejectsWriter> overflow;

  private final List<FileReport.Reject> rejects = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private RejectsWriter overflowWriter;
  private long rowsRead;
  private long rowsRejected;
  private long rowsAccepted;

  /**
   * @param overflow opens the full rejects CSV when the JSON cap is passed (given the rejects so
   *     far)
   */
  CsvChunker(
      ChunkLimits limits,
      ChunkSink sink,
      Function<List<FileReport.Reject>, RejectsWriter> overflow) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.overflow = Objects.requireNonNull(overflow, "overflow");
  }

  /** Counts of a run whose chunks were only measured (benchmarks). */
  public record Stats(
      long rowsRead, long rowsAccepted, long rowsRejected, int chunks, long gzipBytes) {}

  /**
   * Chunks a stream and discards the chunks after compressing them: the chunker's CPU path without
   * S3, for benchmarks.
   */
  public static Stats measure(InputStream input, ChunkLimits limits) throws IOException {
    java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    CsvChunker chunker =
        new CsvChunker(
            limits,
            c -> bytes.addAndGet(c.gzipped().length),
            first -> {
              try {
                return new RejectsWriter(java.io.OutputStream.nullOutputStream());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    Result r = chunker.run(input);
    if (r.last() != null) {
      bytes.addAndGet(r.last().gzipped().length);
    }
    return new Stats(r.rowsRead(), r.rowsAccepted(), r.rowsRejected(), r.chunks(), bytes.get());
  }

  Result run(InputStream input) throws IOException {
    StrictCsvReader csv =
        StrictCsvReader.of(
            new InputStreamReader(input, StandardCharsets.UTF_8),
            limits.maxLineChars(),
            limits.maxRecordLines());
    try (Pipeline pipeline = new Pipeline()) {
      // Header: the first non-blank record.
      StrictCsvReader.Row header = csv.next();
      while (header != null && header.blank()) {
        header = csv.next();
      }
      if (header == null) {
        return whole("the file is empty: expected a header row and transaction rows", null);
      }
      if (header.malformed()) {
        return whole(
            header.problem().startsWith("the row is longer")
                ? "the file is not a UTF-8 CSV text file (its first line is not a header row)"
                : "the header row is malformed: " + header.problem(),
            null);
      }
      String[] names = header.fields();
      for (String name : names) {
        if (!looksLikeText(name)) {
          return whole(
              "the file is not a UTF-8 CSV text file (its first line is not a header row)", null);
        }
      }
      int[] columnOf = new int[names.length];
      Map<Column, Integer> found = new EnumMap<>(Column.class);
      Set<String> unknown = new LinkedHashSet<>();
      for (int i = 0; i < names.length; i++) {
        String name = names[i].strip();
        var column = Column.forHeader(name);
        if (column.isPresent()) {
          if (found.containsKey(column.get())) {
            return whole(
                "column " + column.get().header() + " appears more than once in the header", null);
          }
          found.put(column.get(), i);
          columnOf[i] = column.get().ordinal();
        } else {
          columnOf[i] = -1;
          unknown.add(name.isEmpty() ? "(unnamed column " + (i + 1) + ")" : name);
        }
      }
      if (found.isEmpty()) {
        return whole(
            "the file does not look like a transactions CSV: its header names none of the"
                + " contract's columns (memberId, accountId, transactionId, postedDate, amount,"
                + " description, ...)",
            null);
      }
      List<String> missing = new ArrayList<>();
      for (Column c : Column.values()) {
        if (c.required() && !found.containsKey(c)) {
          missing.add(c.header());
        }
      }
      if (!unknown.isEmpty()) {
        warnings.add("unknown columns ignored: " + String.join(", ", unknown));
      }
      if (!missing.isEmpty()) {
        String message =
            "required column"
                + (missing.size() > 1 ? "s " : " ")
                + String.join(", ", missing)
                + (missing.size() > 1 ? " are" : " is")
                + " missing from the header";
        countRecords(csv);
        rowsRejected = rowsRead;
        rejects.add(new FileReport.Reject(1, missing.get(0), message));
        return result(message, null);
      }
      csv.expectFields(names.length);
      return rows(csv, columnOf, pipeline);
    }
  }

  private Result rows(StrictCsvReader csv, int[] columnOf, Pipeline pipeline) throws IOException {
    TransactionValidator validator = new TransactionValidator();
    String[] values = new String[Column.count()];
    StringBuilder current = pipeline.buffer();
    int currentRows = 0;
    StringBuilder ready = null;
    int readyRows = 0;
    int number = 0;
    long blank = 0;
    for (StrictCsvReader.Row record = csv.next(); record != null; record = csv.next()) {
      if (record.blank()) {
        blank++;
        continue;
      }
      rowsRead++;
      if (record.malformed()) {
        reject(record.line(), ROW, record.problem());
        continue;
      }
      String[] fields = record.fields();
      Arrays.fill(values, null);
      for (int i = 0; i < fields.length; i++) {
        int c = columnOf[i];
        if (c >= 0) {
          values[c] = fields[i];
        }
      }
      TransactionRow row = validator.validate(values);
      if (row == null) {
        reject(record.line(), validator.rejectColumn(), validator.rejectReason());
        continue;
      }
      rowsAccepted++;
      row.appendJson(current);
      current.append('\n');
      currentRows++;
      if (currentRows >= limits.chunkRows() || current.length() >= limits.chunkChars()) {
        if (ready != null) {
          pipeline.submit(++number, ready, readyRows);
        }
        ready = current;
        readyRows = currentRows;
        current = pipeline.buffer();
        currentRows = 0;
      }
    }
    if (currentRows > 0 && ready != null) {
      pipeline.submit(++number, ready, readyRows);
      ready = current;
      readyRows = currentRows;
    } else if (currentRows > 0) {
      ready = current;
      readyRows = currentRows;
    }
    pipeline.awaitAll();
    ChunkSink.Chunk last = null;
    if (ready != null) {
      last =
          new ChunkSink.Chunk(
              ++number, new ChunkCompressor(limits.gzipLevel()).gzip(ready), readyRows);
    }
    if (blank > 0) {
      warnings.add(blank + " blank line" + (blank > 1 ? "s" : "") + " skipped");
    }
    if (rowsRead == 0) {
      warnings.add("the file has a header but no transaction rows");
    }
    return result(null, last, number);
  }

  /** Counts the records of a file rejected as a whole (so rowsRead still tells its size). */
  private void countRecords(StrictCsvReader csv) throws IOException {
    for (StrictCsvReader.Row record = csv.next(); record != null; record = csv.next()) {
      if (!record.blank()) {
        rowsRead++;
      }
    }
  }

  private static boolean looksLikeText(String header) {
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if ((c < 0x20 && c != '\t') || c == '\uFFFD' || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  private void reject(long line, String column, String reason) {
    rowsRejected++;
    FileReport.Reject reject = new FileReport.Reject(line, column, reason);
    try {
      if (overflowWriter != null) {
        overflowWriter.write(reject);
      } else if (rejects.size() < FileReport.MAX_REJECTS_IN_JSON) {
        rejects.add(reject);
      } else {
        overflowWriter = overflow.apply(List.copyOf(rejects));
        overflowWriter.write(reject);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Result whole(String error, ChunkSink.Chunk last) {
    return result(error, last);
  }

  private Result result(String error, ChunkSink.Chunk last) {
    return result(error, last, last == null ? 0 : last.number());
  }

  private Result result(String error, ChunkSink.Chunk last, int chunks) {
    boolean truncated = overflowWriter != null;
    if (overflowWriter != null) {
      try {
        overflowWriter.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Result(
        rowsRead,
        rowsRejected,
        rowsAccepted,
        chunks,
        List.copyOf(warnings),
        List.copyOf(rejects),
        truncated,
        error,
        last);
  }

  /**
   * Compresses and sends chunks on a second thread, at most two at a time, so parsing never waits
   * for compression or the network unless both are behind.
   */
  private final class Pipeline implements AutoCloseable {
    private final ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "chunk-compressor");
              t.setDaemon(true);
              return t;
            });
    private final Semaphore slots = new Semaphore(2);
    private final List<Future<?>> pending = new ArrayList<>();
    // Chunk texts are ~1 MB: each is reused once compressed (at most four exist: the one being
    // filled, the held-back one and two being compressed), so none is allocated per chunk.
    private final java.util.concurrent.ConcurrentLinkedQueue<StringBuilder> free =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ChunkCompressor compressor = new ChunkCompressor(limits.gzipLevel());

    StringBuilder buffer() {
      StringBuilder b = free.poll();
      return b != null ? b : new StringBuilder(1 << 16);
    }

    void submit(int number, StringBuilder text, int rows) {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while chunking", e);
      }
      for (var it = pending.iterator(); it.hasNext(); ) {
        Future<?> f = it.next();
        if (f.isDone()) {
          await(f);
          it.remove();
        }
      }
      pending.add(
          executor.submit(
              () -> {
                try {
                  sink.put(new ChunkSink.Chunk(number, compressor.gzip(text), rows));
                  text.setLength(0);
                  free.offer(text);
                } finally {
                  slots.release();
                }
              }));
    }

    void awaitAll() {
      for (Future<?> f : pending) {
        await(f);
      }
      pending.clear();
    }

    private void await(Future<?> f) {
      {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw cause instanceof RuntimeException re
              ? re
              : new IllegalStateException("sending a chunk failed: " + cause, cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while chunking", e);
        }
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
