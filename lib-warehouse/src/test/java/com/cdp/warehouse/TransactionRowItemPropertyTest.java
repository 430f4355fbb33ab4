package com.cdp.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The loader builds warehouse items straight from validated rows, without re-validating them: the
 * item must be exactly the one the shared model builds from the same row, and a chunk line must
 * read back as the row that wrote it.
 */
class TransactionRowItemPropertyTest {
  private static final OrganizationId ORG = OrganizationId.of("cu-prop");
  private static final Instant LOADED = Instant.parse("2026-12-03T09:30:01.123456Z");

  @Provide
  Arbitrary<String[]> rawValues() {
    Arbitrary<String> ids =
        Arbitraries.strings().withChars("abcXYZ019_-").ofMinLength(1).ofMaxLength(64);
    Arbitrary<String> txnIds =
        Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> dates =
        Arbitraries.of(
            "2026-11-27",
            "2024-02-29",
            "2026-11-27T14:03:00-05:00",
            "2026-12-31T23:59:59+14:00",
            "2026-01-01T00:00:00Z");
    Arbitrary<String> amounts =
        Arbitraries.of("", "-", "+")
            .flatMap(
                sign ->
                    Arbitraries.strings()
                        .withChars("0123456789")
                        .ofMinLength(1)
                        .ofMaxLength(12)
                        .flatMap(
                            i ->
                                Arbitraries.of("", ".", ".5", ".50", ".05", ".0", ".00")
                                    .map(f -> sign + i + f)));
    Arbitrary<String> descriptions =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars("éÉß東京\t\"\\")
            .ofMinLength(1)
            .ofMaxLength(60);
    Arbitrary<String> types =
        Arbitraries.of("debit", "CREDIT", "Fee", "interest", "TRANSFER", "check", "OTHER");
    Arbitrary<String> checks = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> mccs = Arbitraries.strings().numeric().ofLength(4);
    return Combinators.combine(
            Combinators.combine(ids, ids, txnIds, dates)
                .as((m, a, t, d) -> new String[] {m, a, t, d}),
            Combinators.combine(amounts, descriptions, amounts.injectNull(0.4))
                .as((v, s, b) -> new String[] {v, s, b}),
            Combinators.combine(types.injectNull(0.4), checks.injectNull(0.5), mccs.injectNull(0.5))
                .as((y, c, k) -> new String[] {y, c, k}))
        .as(
            (key, money, extra) -> {
              String[] values = new String[Column.count()];
              values[Column.MEMBER_ID.ordinal()] = key[0];
              values[Column.ACCOUNT_ID.ordinal()] = key[1];
              values[Column.TRANSACTION_ID.ordinal()] = key[2];
              values[Column.POSTED_DATE.ordinal()] = key[3];
              values[Column.AMOUNT.ordinal()] = money[0];
              values[Column.DESCRIPTION.ordinal()] = money[1];
              values[Column.RUNNING_BALANCE.ordinal()] = money[2];
              values[Column.TYPE.ordinal()] = extra[0];
              values[Column.CHECK_NUMBER.ordinal()] = extra[1];
              values[Column.MERCHANT_CATEGORY_CODE.ordinal()] = extra[2];
              return values;
            });
  }

  @Property(tries = 2000)
  void itemFromValidatedRow_isTheModelsItem(@ForAll("rawValues") String[] values) {
    TransactionRow row = new TransactionValidator().validate(values);
    Assume.that(row != null);

    assertThat(row.toItem(ORG, "file:transactions/x.csv", LOADED.toString()))
        .isEqualTo(row.toWarehouse(ORG, "file:transactions/x.csv", LOADED).toItem());
  }

  @Property(tries = 2000)
  void chunkLine_streamsBackAsTheRowThatWroteIt(@ForAll("rawValues") String[] values) {
    TransactionRow row = new TransactionValidator().validate(values);
    Assume.that(row != null);
    String line = row.toJson();

    assertThat(TransactionRow.fromJsonLine(line)).isEqualTo(row);
    assertThat(TransactionRow.fromJsonLine(line))
        .isEqualTo(TransactionRow.fromJson(Json.tree(line)));
  }

  @Test
  void brokenChunkLine_isRejectedWithAReason() {
    assertThatThrownBy(() -> TransactionRow.fromJsonLine("{\"m\":\"M1\",\"a\":"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> TransactionRow.fromJsonLine("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> TransactionRow.fromJsonLine("{\"m\":\"M1\",\"a\":\"A1\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks transactionId");
    assertThatThrownBy(() -> TransactionRow.fromJsonLine("{\"m\":{\"x\":1}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field m is not a value");
  }
}
