package com.cdp.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictCsvReaderTest {
  private static List<String> read(String csv, int maxLineChars, int maxRecordLines)
      throws IOException {
    StrictCsvReader reader =
        StrictCsvReader.of(new StringReader(csv), maxLineChars, maxRecordLines);
    List<String> out = new ArrayList<>();
    StrictCsvReader.Row header = reader.next();
    reader.expectFields(header.fields().length);
    for (StrictCsvReader.Row row = reader.next(); row != null; row = reader.next()) {
      if (row.blank()) {
        out.add(row.line() + " blank");
      } else if (row.malformed()) {
        out.add(row.line() + " ! " + row.problem());
      } else {
        out.add(row.line() + " " + String.join("|", row.fields()));
      }
    }
    return out;
  }

  private static List<String> read(String csv) throws IOException {
    return read(csv, 100, 3);
  }

  @Test
  void next_whenRowHasFewerOrMoreFieldsThanHeader_rejectsItWithLineAndCounts() throws IOException {
    assertThat(read("a,b,c\n1,2,3\n1,2\n1,2,3,4\n"))
        .containsExactly(
            "2 1|2|3",
            "3 ! the row has 2 fields; the header has 3",
            "4 ! the row has 4 fields; the header has 3");
  }

  @Test
  void next_whenQuotedFieldSpansLines_returnsOneRecordStartingOnItsFirstLine() throws IOException {
    assertThat(read("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n")).containsExactly("2 x\ny|2", "4 3|4");
  }

  @Test
  void next_whenQuoteNeverCloses_rejectsOnlyThatLineAndReadsTheRestAgain() throws IOException {
    assertThat(read("a,b\n\"open,1\n2,3\n4,5\n6,7\n"))
        .containsExactly(
            "2 ! a quoted field is not closed within 3 lines (unbalanced quote?)",
            "3 2|3",
            "4 4|5",
            "5 6|7");
  }

  @Test
  void next_whenQuoteOpenAtEndOfFile_rejectsOnlyThatLine() throws IOException {
    assertThat(read("a,b\n1,2\n\"open,1\n2,3\n"))
        .containsExactly(
            "2 1|2", "3 ! a quoted field is not closed before the end of the file", "4 2|3");
  }

  @Test
  void next_whenTextFollowsClosingQuote_rejectsTheRecord() throws IOException {
    assertThat(read("a,b\n\"x\"y,1\n2,3\n"))
        .containsExactly("2 ! text after a closing quote: 'y' (0x79)", "3 2|3");
  }

  @Test
  void next_whenLineIsLongerThanLimit_rejectsItAndKeepsParsingTheNextLines() throws IOException {
    String huge = "\"" + "x".repeat(10_000) + "\",1";
    assertThat(read("a,b\n" + huge + "\n2,3\n", 50, 3))
        .containsExactly("2 ! the row is longer than 50 characters", "3 2|3");
  }

  @Test
  void next_whenHugeQuotedFieldSpansManyLines_neverHoldsMoreThanTheLimits() throws IOException {
    String lines = "\"start\n" + "filler line\n".repeat(1000) + "end\",1\n";
    List<String> rows = read("a,b\n" + lines + "2,3\n", 100, 3);
    assertThat(rows.get(0))
        .isEqualTo("2 ! a quoted field is not closed within 3 lines (unbalanced quote?)");
    assertThat(rows).contains("1004 2|3");
  }

  @Test
  void next_skipsBomAndReportsBlankLinesAsBlank() throws IOException {
    assertThat(read("\uFEFFa,b\n\n   \n1,2")).containsExactly("2 blank", "3 blank", "4 1|2");
  }

  @Test
  void next_whenEscapedQuotesAndEmptyFields_keepsThem() throws IOException {
    assertThat(read("a,b,c\n\"say \"\"hi\"\"\",,\"\"\n")).containsExactly("2 say \"hi\"||");
  }

  @Test
  void next_whenQuoteStandsInsideUnquotedFieldAndAnotherOpensLater_rejectsFirstLineOnly()
      throws IOException {
    assertThat(read("a,b\nab\"c,1\n\"d\ne\",2\n"))
        .containsExactly("2 ! a quote appears inside an unquoted field", "3 d\ne|2");
  }
}
