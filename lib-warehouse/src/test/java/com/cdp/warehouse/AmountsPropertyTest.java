package com.cdp.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.Money;
import com.cdp.model.ValidationException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The chunker's fast amount parser must accept exactly what Money accepts, with the same text. */
class AmountsPropertyTest {
  @Provide
  Arbitrary<String> amountLike() {
    return Arbitraries.strings().withChars("0123456789.-+e ").ofMinLength(0).ofMaxLength(20);
  }

  @Provide
  Arbitrary<String> decimals() {
    return Arbitraries.strings()
        .withChars("0123456789")
        .ofMinLength(1)
        .ofMaxLength(16)
        .flatMap(
            i ->
                Arbitraries.strings()
                    .withChars("0123456789")
                    .ofMinLength(0)
                    .ofMaxLength(4)
                    .flatMap(
                        f ->
                            Arbitraries.of("", "-", "+")
                                .map(sign -> sign + i + (f.isEmpty() ? "" : "." + f))));
  }

  @Property(tries = 3000)
  void canonical_agreesWithMoney_onArbitraryText(@ForAll("amountLike") String text) {
    check(text.strip());
  }

  @Property(tries = 3000)
  void canonical_agreesWithMoney_onDecimals(@ForAll("decimals") String text) {
    check(text);
  }

  private static void check(String text) {
    String expected;
    try {
      expected = Money.parse(text).toPlainString();
    } catch (ValidationException e) {
      expected = null;
    }
    assertThat(Amounts.canonical(text)).as("'%s'", text).isEqualTo(expected);
  }
}
