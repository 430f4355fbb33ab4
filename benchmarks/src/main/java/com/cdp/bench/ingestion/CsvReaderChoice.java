package com.cdp.bench.ingestion;

import com.cdp.csv.StrictCsvReader;
import com.cdp.warehouse.mock.MockTransactions;
import com.opencsv.CSVParserBuilder;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.ICSVParser;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The measurement behind the parser choice (issue 18): rows per second of bare opencsv {@code
 * readNext}, bare FastCSV streaming, and lib-csv's {@link StrictCsvReader} (bounded lines, quote
 * framing, FastCSV per record, field-count check) over the same generated file, interleaved round
 * by round in one JVM. Usage: {@code CsvReaderChoice [members] [days] [rounds]}.
 */
public final class CsvReaderChoice {
  private CsvReaderChoice() {}

  public static void main(String[] args) throws Exception {
    int members = args.length > 0 ? Integer.parseInt(args[0]) : 22_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path file = Files.createTempFile("bench-csv", ".csv");
    try {
      try (Writer w =
          new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
        MockTransactions.write(
            new MockTransactions.Options(members, 2, days, 1, 0, MockTransactions.DEFAULT_END_DATE),
            w);
      }
      double[] best = new double[3];
      for (int round = 1; round <= rounds; round++) {
        double[] rate = new double[3];
        for (int which = 0; which < 3; which++) {
          long t0 = System.nanoTime();
          long rows = run(which, file);
          rate[which] = rows / ((System.nanoTime() - t0) / 1e9);
          best[which] = Math.max(best[which], rate[which]);
        }
        System.out.printf(
            "round %d: opencsv readNext %,.0f rows/s; FastCSV stream %,.0f; StrictCsvReader %,.0f%n",
            round, rate[0], rate[1], rate[2]);
      }
      System.out.printf(
          "BEST: opencsv readNext %,.0f rows/s; FastCSV stream %,.0f (%.2fx); StrictCsvReader %,.0f"
              + " (%.2fx)%n",
          best[0], best[1], best[1] / best[0], best[2], best[2] / best[0]);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Reader open(Path file) throws Exception {
    return new InputStreamReader(
        new BufferedInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8);
  }

  private static long run(int which, Path file) throws Exception {
    long rows = 0;
    switch (which) {
      case 0 -> {
        try (CSVReader reader =
            new CSVReaderBuilder(open(file))
                .withCSVParser(
                    new CSVParserBuilder()
                        .withSeparator(',')
                        .withQuoteChar('"')
                        .withEscapeChar(ICSVParser.NULL_CHARACTER)
                        .build())
                .build()) {
          while (reader.readNext() != null) {
            rows++;
          }
        }
      }
      case 1 -> {
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(open(file))) {
          for (CsvRecord r : reader) {
            rows += r.getFieldCount() > 0 ? 1 : 0;
          }
        }
      }
      default -> {
        try (Reader in = open(file)) {
          StrictCsvReader reader = StrictCsvReader.of(in, 16 * 1024, 10);
          reader.expectFields(reader.next().fields().length);
          rows++;
          for (StrictCsvReader.Row r = reader.next(); r != null; r = reader.next()) {
            rows++;
          }
        }
      }
    }
    return rows - 1;
  }
}
