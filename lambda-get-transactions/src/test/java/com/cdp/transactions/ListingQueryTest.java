package com.cdp.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.Money;
import com.cdp.model.ValidationException;
import com.cdp.model.warehouse.TransactionType;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListingQueryTest {
  @Test
  void parse_withNoParameters_pagesBy25WithoutFilters() {
    ListingQuery q = ListingQuery.parse(null);

    assertThat(q.limit()).isEqualTo(25);
    assertThat(q.filter()).isEqualTo(TransactionFilter.NONE);
    assertThat(q.cursor()).isEmpty();
  }

  @Test
  void parse_withEveryParameter_readsThemAll() {
    ListingQuery q =
        ListingQuery.parse(
            Map.of(
                "limit", "100",
                "from", "2026-01-01",
                "to", "2026-01-31",
                "minAmount", "-10.5",
                "maxAmount", "20",
                "type", "fee",
                "q", "Coffee Shop",
                "cursor", "abc"));

    assertThat(q.limit()).isEqualTo(100);
    assertThat(q.filter().from()).contains(LocalDate.parse("2026-01-01"));
    assertThat(q.filter().to()).contains(LocalDate.parse("2026-01-31"));
    assertThat(q.filter().minAmount()).contains(Money.parse("-10.50"));
    assertThat(q.filter().maxAmount()).contains(Money.parse("20.00"));
    assertThat(q.filter().type()).contains(TransactionType.FEE);
    assertThat(q.filter().text()).contains("coffee shop");
    assertThat(q.cursor()).contains("abc");
  }

  @Test
  void parse_withEmptyValues_treatsThemAsNotGiven() {
    ListingQuery q = ListingQuery.parse(Map.of("limit", "", "q", "", "cursor", ""));

    assertThat(q.limit()).isEqualTo(25);
    assertThat(q.filter()).isEqualTo(TransactionFilter.NONE);
    assertThat(q.cursor()).isEmpty();
  }

  @Test
  void parse_sameDayRangeAndEqualAmounts_areAllowed() {
    ListingQuery q =
        ListingQuery.parse(
            Map.of(
                "from", "2026-02-28", "to", "2026-02-28", "minAmount", "5", "maxAmount", "5.00"));

    assertThat(q.filter().from()).isEqualTo(q.filter().to());
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource({
    "limit, 0, invalid_limit",
    "limit, 101, invalid_limit",
    "limit, -1, invalid_limit",
    "limit, 1.5, invalid_limit",
    "limit, abc, invalid_limit",
    "limit, 99999999999, invalid_limit",
    "from, 2026-13-01, invalid_from",
    "from, 2026-02-30, invalid_from",
    "from, 20260101, invalid_from",
    "from, 2026-01-01T00:00:00Z, invalid_from",
    "to, yesterday, invalid_to",
    "to, 2026-1-1, invalid_to",
    "minAmount, 1.234, invalid_min_amount",
    "minAmount, abc, invalid_min_amount",
    "minAmount, 1e5, invalid_min_amount",
    "minAmount, 1000000000000, invalid_min_amount",
    "maxAmount, '1,000', invalid_max_amount",
    "type, BOGUS, invalid_type",
    "sort, asc, unknown_parameter",
    "min_amount, 5, unknown_parameter",
  })
  void parse_withABadValue_refusesWithAPreciseCode(String name, String value, String code) {
    assertThatThrownBy(() -> ListingQuery.parse(Map.of(name, value)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).isNotBlank();
            });
  }

  @Test
  void parse_fromAfterTo_isAnInvalidDateRange() {
    assertThatThrownBy(() -> ListingQuery.parse(Map.of("from", "2026-02-01", "to", "2026-01-31")))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo("invalid_date_range"));
  }

  @Test
  void parse_minAboveMax_isAnInvalidAmountRange() {
    assertThatThrownBy(() -> ListingQuery.parse(Map.of("minAmount", "10", "maxAmount", "9.99")))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo("invalid_amount_range"));
  }

  @Test
  void parse_textTooLongOrWithControlCharacters_isInvalid() {
    assertThatThrownBy(() -> ListingQuery.parse(Map.of("q", "x".repeat(201))))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo("invalid_q"));
    assertThatThrownBy(() -> ListingQuery.parse(Map.of("q", "a\u0000b")))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo("invalid_q"));
  }

  @Test
  void parse_aHugeBadValue_isNotEchoedBackWhole() {
    assertThatThrownBy(() -> ListingQuery.parse(Map.of("from", "9".repeat(100_000))))
        .hasMessageContaining("...")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
  }
}
