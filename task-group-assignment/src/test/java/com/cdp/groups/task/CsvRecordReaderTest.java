package com.cdp.groups.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

  private static List<CsvRecordReader.CsvRecord> read(String text) throws IOException {
    return read(text, 100);
  }

  private static List<CsvRecordReader.CsvRecord> read(String text, int maxField)
      throws IOException {
    CsvRecordReader reader = new CsvRecordReader(new StringReader(text), maxField, 10);
    List<CsvRecordReader.CsvRecord> records = new ArrayList<>();
    for (var r = reader.next(); r != null; r = reader.next()) {
      records.add(r);
    }
    return records;
  }

  @Test
  void next_whenLinesEndInCrlfOrLf_readsTheSameRecordsWithTheirLineNumbers() throws IOException {
    var records = read("a,b\r\nc,d\ne,f");
    assertThat(records)
        .extracting(CsvRecordReader.CsvRecord::fields)
        .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e", "f"));
    assertThat(records).extracting(CsvRecordReader.CsvRecord::line).containsExactly(1, 2, 3);
  }

  @Test
  void next_whenFileStartsWithBom_dropsIt() throws IOException {
    assertThat(read("\uFEFFmemberId,x\n").get(0).fields()).containsExactly("memberId", "x");
  }

  @Test
  void next_whenFieldIsQuoted_unescapesDoubledQuotesAndKeepsCommasAndLineBreaks()
      throws IOException {
    var records = read("\"a,\"\"b\"\"\",\"line1\nline2\"\nnext,row\n");
    assertThat(records.get(0).fields()).containsExactly("a,\"b\"", "line1\nline2");
    assertThat(records.get(1).line()).isEqualTo(3);
  }

  @Test
  void next_whenQuoteIsNeverClosed_flagsTheRecordWithItsStartLine() throws IOException {
    var records = read("a,b\n\"open,c\nd,e\n");
    assertThat(records).hasSize(2);
    assertThat(records.get(1).problem()).contains("unterminated").contains("line 2");
    assertThat(records.get(1).fields()).isEmpty();
  }

  @Test
  void next_whenFieldIsTooLong_flagsTheRecordAndCarriesOnWithTheNextOne() throws IOException {
    var records = read("x".repeat(50) + ",b\nok,row\n", 10);
    assertThat(records.get(0).problem()).contains("longer than 10");
    assertThat(records.get(1).fields()).containsExactly("ok", "row");
  }

  @Test
  void next_whenTextFollowsAClosingQuote_flagsTheRecord() throws IOException {
    assertThat(read("\"a\"b,c\n").get(0).problem()).contains("after a closing quote");
  }

  @Test
  void next_whenLineIsEmpty_returnsABlankRecord() throws IOException {
    var records = read("a\n\n,,\nb\n");
    assertThat(records)
        .extracting(CsvRecordReader.CsvRecord::isBlank)
        .containsExactly(false, true, true, false);
  }

  /**
   * Whatever the cells hold, writing them as RFC 4180 and reading them back gives them back
   * (generated cases from a fixed seed, so a failure reproduces).
   */
  @Test
  void next_readsBackWhatAnRfc4180WriterWrote() throws IOException {
    Random random = new Random(4180);
    for (int n = 0; n < 500; n++) {
      List<String> cells = new ArrayList<>();
      int count = 1 + random.nextInt(5);
      for (int i = 0; i < count; i++) {
        cells.add(RandomText.of(random, 20));
      }
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) {
          line.append(',');
        }
        line.append('"').append(cells.get(i).replace("\"", "\"\"")).append('"');
      }
      var records = read(line + "\r\n", 100);
      assertThat(records).as("case %s", cells).hasSize(1);
      assertThat(records.get(0).fields()).as("case %s", cells).containsExactlyElementsOf(cells);
    }
  }
}
