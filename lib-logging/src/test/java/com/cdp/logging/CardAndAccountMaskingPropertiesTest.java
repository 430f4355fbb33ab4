package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Card numbers (13-19 digits, Luhn-valid, written in groups with spaces or dashes, or not at all)
 * and account numbers (9-17 digits, with or without a letter prefix) never reach a log message:
 * wherever they are written, at most their last four digits survive.
 */
class CardAndAccountMaskingPropertiesTest {

  /** A number as written, and its digits. */
  record Written(String text, String digits) {}

  @Provide
  Arbitrary<Written> cardNumbers() {
    Arbitrary<String> body =
        Arbitraries.integers()
            .between(13, 19)
            .flatMap(n -> Arbitraries.strings().numeric().ofLength(n - 1))
            .map(prefix -> prefix + luhnCheckDigit(prefix));
    Arbitrary<String> separator = Arbitraries.of("", " ", "-");
    Arbitrary<Integer> group = Arbitraries.of(4, 4, 4, 3, 5, 6);
    return Combinators.combine(body, separator, group)
        .as((digits, sep, size) -> new Written(group(digits, sep, size), digits));
  }

  @Provide
  Arbitrary<Written> accountNumbers() {
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(9).ofMaxLength(17);
    Arbitrary<String> prefix =
        Arbitraries.oneOf(
            Arbitraries.just(""), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4));
    return Combinators.combine(prefix, digits).as((p, d) -> new Written(p + d, d));
  }

  @Provide
  Arbitrary<Written> sensitiveNumbers() {
    return Arbitraries.oneOf(cardNumbers(), accountNumbers());
  }

  @Property(tries = 400)
  void freeText_keepsAtMostTheLastFourDigits(
      @ForAll("sensitiveNumbers") Written number,
      @ForAll @AlphaChars @StringLength(max = 12) String before,
      @ForAll @AlphaChars @StringLength(max = 12) String after) {
    String masked = SensitiveData.maskText(before + " " + number.text() + ", " + after);
    assertOnlyLastFour(masked, number);
  }

  @Property(tries = 200)
  void everyFieldOfAMessage_keepsAtMostTheLastFourDigits(
      @ForAll("sensitiveNumbers") Written number) {
    InMemoryLogPublisher published = new InMemoryLogPublisher();
    PlatformLogger logger = PlatformLogger.inMemory(published);
    try (RequestLog log = logger.open(LogType.APP, "tcu", null)) {
      log.event(
          "paid " + number.text(),
          "card " + number.text() + " charged",
          Map.of(
              "note",
              number.text(),
              "list",
              List.of(number.text()),
              "nested",
              Map.of("reference", number.text())));
      log.failure("declined", new IllegalStateException("declined " + number.text()));
      log.put("given", number.text());
    }
    JsonNode m = Json.tree(published.messages().get(0));
    JsonNode e = m.get("events").get(0);
    for (String value :
        List.of(
            e.get("action").asText(),
            e.get("description").asText(),
            e.get("detail").get("note").asText(),
            e.get("detail").get("list").get(0).asText(),
            e.get("detail").get("nested").get("reference").asText(),
            m.get("events").get(1).get("detail").get("message").asText(),
            m.get("fields").get("given").asText())) {
      assertOnlyLastFour(value, number);
    }
  }

  @Property(tries = 200)
  void wholeNumbersUnderAnyKey_keepAtMostTheLastFourDigits(
      @ForAll @LongRange(min = 100_000_000L) long value) {
    Object masked = SensitiveData.maskDetail(Map.of("reference", value)).get("reference");
    String digits = String.valueOf(masked).replaceAll("[^0-9]", "");
    assertThat(digits).hasSizeLessThanOrEqualTo(4);
  }

  private static void assertOnlyLastFour(String masked, Written number) {
    String digits = masked.replaceAll("[^0-9]", "");
    assertThat(digits)
        .as("%s became %s", number.text(), masked)
        .isEqualTo(number.digits().substring(number.digits().length() - 4));
  }

  private static String group(String digits, String separator, int size) {
    if (separator.isEmpty()) {
      return digits;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < digits.length(); i += size) {
      b.append(i == 0 ? "" : separator).append(digits, i, Math.min(digits.length(), i + size));
    }
    return b.toString();
  }

  static char luhnCheckDigit(String prefix) {
    for (char c = '0'; c <= '9'; c++) {
      if (SensitiveData.luhnValid(prefix + c)) {
        return c;
      }
    }
    throw new AssertionError("no check digit for " + prefix);
  }
}
