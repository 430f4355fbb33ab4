package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The wildcard matcher against an oracle built from java.util.regex ({@code *} as {@code .*},
 * {@code ?} as {@code .}, everything else quoted), on small alphabets so that matches and
 * near-misses are both frequent.
 */
class WildcardProperties {
  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars("ab*?:/").ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().withChars("abAB:/*?").ofMaxLength(10);
  }

  @Property(tries = 3000)
  void matchesAsTheRegexOracle(
      @ForAll("patterns") String pattern,
      @ForAll("values") String value,
      @ForAll boolean ignoreCase) {
    assertThat(Wildcard.matches(pattern, value, ignoreCase))
        .as("pattern %s value %s ignoreCase %s", pattern, value, ignoreCase)
        .isEqualTo(oracle(pattern, value, ignoreCase));
  }

  @Property
  void aValueWithoutWildcardsMatchesItselfOnly(@ForAll("values") String value) {
    String literal = value.replace("*", "").replace("?", "");
    assertThat(Wildcard.matches(literal, literal, false)).isTrue();
    assertThat(Wildcard.matches(literal, literal + "x", false)).isFalse();
  }

  private static boolean oracle(String pattern, String value, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(
          switch (c) {
            case '*' -> ".*";
            case '?' -> ".";
            default -> Pattern.quote(String.valueOf(c));
          });
    }
    int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    return Pattern.compile(regex.toString(), flags).matcher(value).matches();
  }
}
