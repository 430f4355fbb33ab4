package com.cdp.groups.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.csv.StrictCsvReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CellsTest {

  @ParameterizedTest
  @ValueSource(strings = {"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"})
  void csv_whenCellStartsWithAFormulaCharacter_prefixesAQuote(String value) throws IOException {
    String cell = Cells.csv(value);
    String readBack = StrictCsvReader.of(new StringReader(cell), 1000, 10).next().fields()[0];
    assertThat(readBack).isEqualTo("'" + value);
  }

  @Test
  void csv_whenCellIsPlain_leavesItAlone() {
    assertThat(Cells.csv("m-1")).isEqualTo("m-1");
    assertThat(Cells.csv("Savers")).isEqualTo("Savers");
    assertThat(Cells.csv(null)).isEmpty();
  }

  @Test
  void csv_whenCellHoldsCommaOrQuote_quotesIt() {
    assertThat(Cells.csv("a,b")).isEqualTo("\"a,b\"");
    assertThat(Cells.csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
  }

  /** Whatever a cell holds, a spreadsheet reading the written cell never sees a formula. */
  @Test
  void csv_neverYieldsACellThatStartsAFormula() throws IOException {
    Random random = new Random(1729);
    for (int n = 0; n < 2000; n++) {
      String value = RandomText.of(random, 12);
      String cell = Cells.csv(value);
      var record = StrictCsvReader.of(new StringReader(cell + "\n"), 10_000, 10).next();
      String readBack = record == null || record.blank() ? "" : record.fields()[0];
      assertThat(readBack.isEmpty() ? ' ' : readBack.charAt(0))
          .as("cell for %s", value)
          .isNotIn('=', '+', '-', '@', '\t', '\r');
    }
  }
}
