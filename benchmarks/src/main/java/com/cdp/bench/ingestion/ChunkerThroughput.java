package com.cdp.bench.ingestion;

import com.cdp.ingestion.chunker.ChunkLimits;
import com.cdp.ingestion.chunker.CsvChunker;
import com.cdp.warehouse.mock.MockTransactions;
import com.opencsv.CSVParserBuilder;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.ICSVParser;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chunker throughput against a bare opencsv {@code readNext} loop over the same file, in the same
 * JVM, best of N runs each; plus the peak heap of the chunker run. Usage:
 *
 * <pre>
 * java -Xmx256m -cp ... com.cdp.bench.ingestion.ChunkerThroughput [members] [days] [runs] [gzipLevel]
 * </pre>
 *
 * The file is generated with {@link MockTransactions} (about 1.5 rows per account-day; 2 accounts
 * per member) into a temporary file, read from the page cache.
 */
public final class ChunkerThroughput {
  private ChunkerThroughput() {}

  public static void main(String[] args) throws Exception {
    int members = args.length > 0 ? Integer.parseInt(args[0]) : 22_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int gzipLevel = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    ChunkLimits limits = ChunkLimits.standard().withGzipLevel(gzipLevel);
    Path file = Files.createTempFile("bench-transactions", ".csv");
    try {
      MockTransactions.Summary summary;
      try (Writer w =
          new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
        summary =
            MockTransactions.write(
                new MockTransactions.Options(
                    members, 2, days, 1, 0, MockTransactions.DEFAULT_END_DATE),
                w);
      }
      long size = Files.size(file);
      System.out.printf(
          "file: %,d rows, %,d bytes (%d members x 2 accounts x %d days); chunk gzip level %d%n",
          summary.rows(), size, members, days, gzipLevel);
      double bestBare = 0;
      double bestChunker = 0;
      double bestBareCpu = 0;
      double bestChunkerCpu = 0;
      long peakHeap = 0;
      CsvChunker.Stats stats = null;
      for (int run = 0; run < runs; run++) {
        long c0 = cpu();
        long t0 = System.nanoTime();
        long rows = bareReadNext(file);
        double bare = rows / ((System.nanoTime() - t0) / 1e9);
        double bareCpu = rows / ((cpu() - c0) / 1e9);
        bestBare = Math.max(bestBare, bare);
        bestBareCpu = Math.max(bestBareCpu, bareCpu);
        System.gc();
        resetPeaks();
        long c1 = cpu();
        long t1 = System.nanoTime();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
          stats = CsvChunker.measure(in, limits);
        }
        double chunker = stats.rowsRead() / ((System.nanoTime() - t1) / 1e9);
        double chunkerCpu = stats.rowsRead() / ((cpu() - c1) / 1e9);
        bestChunkerCpu = Math.max(bestChunkerCpu, chunkerCpu);
        peakHeap = Math.max(peakHeap, peakHeapBytes());
        bestChunker = Math.max(bestChunker, chunker);
        System.out.printf(
            "run %d: bare readNext %,.0f rows/s (%,.0f per CPU-s); chunker %,.0f rows/s (%,.0f per"
                + " CPU-s, %d chunks, %,d gzip bytes)%n",
            run + 1, bare, bareCpu, chunker, chunkerCpu, stats.chunks(), stats.gzipBytes());
      }
      System.out.printf(
          "BEST per CPU-second (all threads of the process): bare %,.0f, chunker %,.0f, ratio %.2f%n",
          bestBareCpu, bestChunkerCpu, bestChunkerCpu / bestBareCpu);
      System.out.printf(
          "BEST wall clock: bare readNext %,.0f rows/s; chunker %,.0f rows/s; ratio %.2f; chunker peak heap %,d MiB"
              + " (max heap %,d MiB)%n",
          bestBare,
          bestChunker,
          bestChunker / bestBare,
          peakHeap >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * The baseline: opencsv's CSVReader with the settings the chunker used before it moved to FastCSV
   * (RFC 4180 quoting, no escape character), nothing else.
   */
  static long bareReadNext(Path file) throws Exception {
    long rows = 0;
    try (CSVReader reader =
        new CSVReaderBuilder(
                new InputStreamReader(
                    new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                    StandardCharsets.UTF_8))
            .withCSVParser(
                new CSVParserBuilder()
                    .withSeparator(',')
                    .withQuoteChar('"')
                    .withEscapeChar(ICSVParser.NULL_CHARACTER)
                    .withIgnoreLeadingWhiteSpace(false)
                    .withStrictQuotes(false)
                    .build())
            .build()) {
      while (reader.readNext() != null) {
        rows++;
      }
    }
    return rows - 1;
  }

  /** CPU time of the whole process (all threads), in nanoseconds. */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
