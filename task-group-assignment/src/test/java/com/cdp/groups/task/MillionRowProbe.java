package com.cdp.groups.task;

import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the task on a generated N-row file twice (apply, then the same content again) and prints
 * both reports' counts, the results CSV's line count and the heap used after the runs' collections.
 * Nothing grows with N outside the task: the file is generated each time it is opened (member
 * {@code m-<row/2>}, each in two of four groups), the groups are bits ({@link CompactGroupStore}),
 * and the reports go to temporary files. {@link StreamingMemoryTest} runs it with 200,000 rows in a
 * 24 MB heap; {@code benchmarks/run-all groups-1m} with 1,000,000 rows in 64 MB.
 */
final class MillionRowProbe {
  static final List<String> GROUPS = List.of("Savers", "Young Adults", "Gold", "Mortgage");
  static final String KEY = "group-assignments/million.csv";

  private MillionRowProbe() {}

  /** The file's bytes, generated as they are read. */
  static InputStream generate(int rows) {
    return new InputStream() {
      private byte[] line = "memberId,tileGroup,action\n".getBytes(StandardCharsets.US_ASCII);
      private int pos;
      private int row;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int n = 0;
        while (n < len) {
          if (pos == line.length) {
            if (row == rows) {
              break;
            }
            int member = row / 2;
            String group = GROUPS.get((member + row % 2) % GROUPS.size());
            line = ("m-" + member + "," + group + ",add\n").getBytes(StandardCharsets.US_ASCII);
            pos = 0;
            row++;
          }
          int take = Math.min(len - n, line.length - pos);
          System.arraycopy(line, pos, b, off + n, take);
          pos += take;
          n += take;
        }
        return n == 0 ? -1 : n;
      }
    };
  }

  /** Opens the generated file; reports go to temporary files (their paths are kept). */
  static final class Files implements FileStore {
    final Map<String, Path> reports = new ConcurrentHashMap<>();
    private final int rows;

    Files(int rows) {
      this.rows = rows;
    }

    @Override
    public InputStream open(AssignmentObject object) {
      return generate(rows);
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType) {
      try {
        Path copy = java.nio.file.Files.createTempFile("probe-report", ".out");
        java.nio.file.Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path old = reports.put(key, copy);
        if (old != null) {
          java.nio.file.Files.deleteIfExists(old);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static void main(String[] args) throws IOException {
    int rows = Integer.parseInt(args[0]);
    Files files = new Files(rows);
    InMemoryFiles runs = new InMemoryFiles();
    CompactGroupStore store =
        new CompactGroupStore(GROUPS.stream().map(TileGroupName::of).toList());
    AssignmentTask task =
        new AssignmentTask(
            store,
            runs,
            files,
            PlatformLogger.inMemory(new InMemoryLogPublisher()),
            Clock.systemUTC(),
            new AssignmentTask.Settings(4, 1_000_000, 10_000, Duration.ofHours(1)));
    OrganizationId org = OrganizationId.of("probe");
    long started = System.nanoTime();
    for (String run : List.of("first", "second")) {
      AssignmentObject object =
          new AssignmentObject(
              org,
              "probe-data-delivery",
              KEY,
              Optional.empty(),
              Optional.of(run),
              Optional.empty());
      AssignmentTask.Result result = task.run(object, "probe");
      JsonNode report =
          Json.tree(java.nio.file.Files.readString(files.reports.get(result.reportKey())));
      long csvLines;
      try (var lines = java.nio.file.Files.lines(files.reports.get(ReportKeys.results(KEY)))) {
        csvLines = lines.count();
      }
      System.out.println(
          run
              + ": exit="
              + result.exitCode()
              + " status="
              + report.path("status").asText()
              + " counts="
              + report.path("counts")
              + " resultsCsvLines="
              + csvLines);
    }
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        used += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        "rows=%d seconds=%.1f maxHeap=%dMB peakHeapPools=%dMB batchWrites=%d%n",
        rows,
        (System.nanoTime() - started) / 1e9,
        Runtime.getRuntime().maxMemory() >> 20,
        used >> 20,
        store.batchWrites);
    files.reports.values().forEach(p -> p.toFile().delete());
  }
}
