package com.cdp.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Records are parsed in runs (one FastCSV stream for many lines) for speed; every record must still
 * get exactly the outcome it gets when parsed alone: same line, fields or reason, same blank lines.
 */
class StrictCsvReaderRunPropertyTest {

  @Property(tries = 400)
  void runs_giveEveryRecordTheSameOutcomeAsParsingItAlone(@ForAll("csvTexts") String csv)
      throws IOException {
    assertThat(read(StrictCsvReader.of(new StringReader(csv), 24, 3)))
        .isEqualTo(read(StrictCsvReader.recordByRecord(new StringReader(csv), 24, 3)));
  }

  /** Mostly well-formed rows, with quotes, CR, blank and overlong lines mixed in. */
  @Provide
  Arbitrary<String> csvTexts() {
    Arbitrary<String> cell =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("ab1 ").ofMinLength(0).ofMaxLength(5),
            Arbitraries.strings().withChars("ab\",\n\r ").ofMinLength(0).ofMaxLength(6),
            Arbitraries.strings()
                .withChars("ab,\n\"")
                .ofMinLength(0)
                .ofMaxLength(4)
                .map(s -> '"' + s.replace("\"", "\"\"") + '"'));
    Arbitrary<String> line =
        Arbitraries.oneOf(
            cell.list().ofMinSize(1).ofMaxSize(4).map(cells -> String.join(",", cells)),
            Arbitraries.of("", "  ", "x".repeat(30), "\"", "a,\"b\"c"));
    return line.list()
        .ofMinSize(1)
        .ofMaxSize(40)
        .map(lines -> "h1,h2,h3\n" + String.join("\n", lines) + "\n");
  }

  private static List<String> read(StrictCsvReader reader) throws IOException {
    List<String> out = new ArrayList<>();
    StrictCsvReader.Row header = reader.next();
    reader.expectFields(header.fields().length);
    for (StrictCsvReader.Row row = reader.next(); row != null; row = reader.next()) {
      if (row.blank()) {
        out.add(row.line() + " blank");
      } else if (row.malformed()) {
        out.add(row.line() + " ! " + row.problem());
      } else {
        out.add(
            row.line() + " " + String.join("|", row.fields()) + " (" + row.fields().length + ")");
      }
    }
    return out;
  }
}
