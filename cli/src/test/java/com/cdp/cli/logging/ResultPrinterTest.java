package com.cdp.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultPrinterTest {
  private static String csv(List<String> columns, List<Object> row) {
    StringWriter out = new StringWriter();
    ResultPrinter.print(
        new LogQueryResult(columns, List.of(row)), ResultPrinter.Format.CSV, new PrintWriter(out));
    return out.toString().lines().toList().get(1);
  }

  @Test
  void csv_cellsThatASpreadsheetWouldRunAsFormulasArePrefixed() {
    String line =
        csv(
            List.of("a", "b", "c", "d", "e"),
            Arrays.asList("=HYPERLINK(\"http://evil\",\"x\")", "+1", "@SUM(A1)", "-2+3", "\tx"));
    assertThat(line)
        .isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",'+1,'@SUM(A1),'-2+3,'\tx");
  }

  @Test
  void csv_numbersAndPlainTextAreLeftAlone() {
    assertThat(csv(List.of("n", "t", "z"), Arrays.asList(-5, "tcu", null))).isEqualTo("-5,tcu,");
  }
}
