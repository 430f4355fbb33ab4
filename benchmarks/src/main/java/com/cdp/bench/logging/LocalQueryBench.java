package com.cdp.bench.logging;

import com.cdp.cli.logging.DuckDbLogEngine;
import com.cdp.cli.logging.LogQueryResult;
import com.cdp.logging.LogLayout;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Local query time and files read: a store in the contract's layout with {@code orgs} organizations
 * x {@code hours} hours x 2 objects per partition (gzip NDJSON, written directly, as the local
 * delivery stream would), then the same engine {@code ./cdp logs query} uses (DuckDB views over the
 * store) runs a one-hour, one-organization query and the same query unfiltered. Files read come
 * from {@code EXPLAIN ANALYZE}. Prints the median of {@code runs} runs after one warm-up run.
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * com.cdp.bench.logging.LocalQueryBench [dir] [messages] [runs]} (default {@code target/log-store},
 * 1,200,000 messages with 2 events each, 3 runs; the store is reused when it exists with the same
 * size).
 */
public final class LocalQueryBench {
  private static final int ORGS = 20;
  private static final int HOURS = 48;
  private static final int FILES_PER_PARTITION = 2;
  private static final LocalDateTime FIRST_HOUR = LocalDateTime.of(2026, 11, 26, 0, 0);

  private LocalQueryBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/log-store").toAbsolutePath();
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 1_200_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    generate(dir, messages);

    long openStart = System.nanoTime();
    try (DuckDbLogEngine engine = DuckDbLogEngine.open(dir)) {
      double openMs = (System.nanoTime() - openStart) / 1e6;
      System.out.printf("engine open (6 views, glob): %.0f ms%n", openMs);
      String columns =
          "count(*) AS n, count_if(NOT success) AS failures, avg(durationMs) AS avg_ms";
      List<String[]> queries =
          List.of(
              new String[] {
                "one hour, one org",
                "SELECT "
                    + columns
                    + " FROM web WHERE organizationID = 'org07' AND year = '2026'"
                    + " AND month = '11' AND day = '27' AND hour = '13'"
              },
              new String[] {
                "one day, one org",
                "SELECT "
                    + columns
                    + " FROM web WHERE organizationID = 'org07' AND year = '2026'"
                    + " AND month = '11' AND day = '27'"
              },
              new String[] {"unfiltered", "SELECT " + columns + " FROM web"},
              new String[] {
                "unfiltered, one transactionId",
                "SELECT count(*) AS n FROM web WHERE transactionId = 'not-there'"
              });
      for (String[] q : queries) {
        engine.query(q[1]);
        List<Double> times = new ArrayList<>();
        LogQueryResult result = null;
        for (int i = 0; i < runs; i++) {
          long start = System.nanoTime();
          result = engine.query(q[1]);
          times.add((System.nanoTime() - start) / 1e6);
        }
        times.sort(Double::compare);
        long files = engine.filesRead(q[1]);
        System.out.printf(
            "RESULT %-30s median %8.1f ms  files read %5d  rows=%s%n",
            q[0], times.get(times.size() / 2), files, result.rows().get(0));
      }
    }
  }

  /** Writes the store unless one of the same size is there. */
  static void generate(Path dir, int messages) throws Exception {
    Path marker = dir.resolve("GENERATED-" + messages);
    if (Files.exists(marker)) {
      System.out.println("reusing " + dir);
      return;
    }
    int files = ORGS * HOURS * FILES_PER_PARTITION;
    int perFile = (int) Math.ceil(messages / (double) files);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> done = new ArrayList<>();
    for (int org = 0; org < ORGS; org++) {
      for (int hour = 0; hour < HOURS; hour++) {
        for (int f = 0; f < FILES_PER_PARTITION; f++) {
          int o = org;
          int h = hour;
          done.add(pool.submit(() -> writeFile(dir, o, FIRST_HOUR.plusHours(h), perFile)));
        }
      }
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    Files.writeString(marker, "");
    System.out.printf(
        "generated %d messages (%d events) in %d files under %s in %.1f s%n",
        (long) perFile * files,
        2L * perFile * files,
        files,
        dir,
        (System.nanoTime() - start) / 1e9);
  }

  private static void writeFile(Path dir, int org, LocalDateTime hour, int count) {
    String orgId = String.format("org%02d", org);
    List<String> partition =
        List.of(
            "local",
            orgId,
            "web",
            String.format("%04d", hour.getYear()),
            String.format("%02d", hour.getMonthValue()),
            String.format("%02d", hour.getDayOfMonth()),
            String.format("%02d", hour.getHour()));
    Path file =
        dir.resolve(LogLayout.partitionPrefix(partition))
            .resolve("local-logs-1-" + UUID.randomUUID() + ".gz");
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out =
          new BufferedOutputStream(
              new GZIPOutputStream(Files.newOutputStream(file), 65536) {
                {
                  def.setLevel(Deflater.BEST_SPEED);
                }
              },
              65536)) {
        StringBuilder b = new StringBuilder(1024);
        for (int i = 0; i < count; i++) {
          b.setLength(0);
          int second = i % 3600;
          String time =
              String.format(
                  "%s-%s-%sT%s:%02d:%02d.%03dZ",
                  partition.get(3),
                  partition.get(4),
                  partition.get(5),
                  partition.get(6),
                  second / 60,
                  second % 60,
                  i % 1000);
          String txn = UUID.randomUUID().toString();
          boolean ok = i % 50 != 0;
          b.append("{\"organizationID\":\"")
              .append(orgId)
              .append("\",\"logType\":\"web\",\"environment\":\"local\",\"year\":\"")
              .append(partition.get(3))
              .append("\",\"month\":\"")
              .append(partition.get(4))
              .append("\",\"day\":\"")
              .append(partition.get(5))
              .append("\",\"hour\":\"")
              .append(partition.get(6))
              .append("\",\"time\":\"")
              .append(time)
              .append("\",\"transactionId\":\"")
              .append(txn)
              .append("\",\"server\":\"cdp-dev-web\",\"success\":")
              .append(ok)
              .append(",\"durationMs\":")
              .append(5 + i % 200)
              .append(",\"fields\":{\"route\":\"GET /members/{id}\",\"httpStatus\":")
              .append(ok ? 200 : 500)
              .append('}')
              .append(",\"events\":[");
          for (int e = 0; e < 2; e++) {
            b.append(e == 0 ? "" : ",")
                .append("{\"action\":\"step")
                .append(e)
                .append("\",\"description\":\"handled request ")
                .append(i)
                .append("\",\"detail\":{\"status\":\"")
                .append(ok ? 200 : 500)
                .append("\"},\"caller\":\"com.cdp.web.Handler.handle:")
                .append(40 + e)
                .append("\",\"server\":\"cdp-dev-web\",\"success\":")
                .append(ok || e == 0)
                .append(",\"time\":\"")
                .append(time)
                .append("\",\"transactionId\":\"")
                .append(txn)
                .append("\",\"type\":\"web\"}");
          }
          b.append("]}\n");
          out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
