package com.cdp.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransactionRowTest {
  private static final String[] TEXTS = {
    "POS COFFEE SHOP #12",
    "quote \" backslash \\ slash /",
    "tab\tnew\nline\rcr",
    "unicode: café 東京 😀",
    "control \u0001\u001f",
    "",
    "   padded   "
  };

  private static String pick(Random random, boolean optional) {
    if (optional && random.nextInt(3) == 0) {
      return null;
    }
    return TEXTS[random.nextInt(TEXTS.length)] + random.nextInt(1000);
  }

  /** Rows as the validator produces them: free text in ids and descriptions, digits elsewhere. */
  @Test
  void chunkLines_readBackAsTheRowsThatWroteThem() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      TransactionRow row =
          new TransactionRow(
              "m-" + i,
              "a-" + random.nextInt(50),
              pick(random, false),
              "2026-11-" + (10 + random.nextInt(15)),
              random.nextBoolean() ? null : "2026-11-12T10:15:00",
              "-" + random.nextInt(10_000) + ".25",
              pick(random, false),
              random.nextBoolean() ? null : "100.00",
              random.nextBoolean() ? null : "DEBIT",
              random.nextBoolean() ? null : String.valueOf(random.nextInt(1_000_000)),
              random.nextBoolean() ? null : "5812");
      String line = row.toJson();

      // One line per row: no raw control character (newline included) survives escaping.
      assertThat(line.chars().noneMatch(c -> c < 0x20)).as(line).isTrue();
      assertThat(TransactionRow.fromJson(Json.tree(line))).as(line).isEqualTo(row);
    }
  }
}
