package com.cdp.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  @ParameterizedTest
  @CsvSource({
    "12,12.00",
    "-12.5,-12.50",
    "+0.01,0.01",
    "999999999999.99,999999999999.99",
    ".5,0.50",
    "-0,0.00"
  })
  void parse_acceptsPlainDecimals_andNormalizesToScale2(String text, String expected) {
    assertThat(Money.parse(text).toPlainString()).isEqualTo(expected);
  }

  @Test
  void parse_withThreeFractionDigits_isRejectedWithReason() {
    assertThatThrownBy(() -> Money.parse("1.234"))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo("invalid_amount"))
        .hasMessageContaining("at most 2 fraction digits");
  }

  @Test
  void parse_trailingZerosBeyondTwoDigitsAreStillTwoDigits() {
    assertThat(Money.parse("1.2300").toPlainString()).isEqualTo("1.23");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1000000000000",
        "-1000000000000.00",
        "1e3",
        "1,000.00",
        "$5",
        "abc",
        "1.2.3",
        "--1"
      })
  void parse_rejectsOutOfRangeAndNonPlainNumbers(String text) {
    assertThatThrownBy(() -> Money.parse(text)).isInstanceOf(ValidationException.class);
  }

  @Test
  void parse_blank_isMissing() {
    assertThatThrownBy(() -> Money.parse(" ")).hasMessage("amount is required");
  }

  @Test
  void equality_ignoresInputScale() {
    assertThat(Money.parse("5")).isEqualTo(new Money(new BigDecimal("5.00")));
    assertThat(Money.parse("-5").isDebit()).isTrue();
  }
}
