package com.cdp.local.iam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * IAM condition evaluation for the operators the platform's policies use: the {@code String*},
 * {@code Arn*}, {@code Bool} and {@code Null} families, the {@code IfExists} suffix and the {@code
 * ForAllValues:}/{@code ForAnyValue:} set prefixes. Operators, keys and values are AND, OR as IAM
 * defines them: every operator and key of a block must hold; one of a key's values is enough.
 */
final class Conditions {
  static final Set<String> OPERATORS =
      Set.of(
          "StringEquals",
          "StringNotEquals",
          "StringEqualsIgnoreCase",
          "StringNotEqualsIgnoreCase",
          "StringLike",
          "StringNotLike",
          "ArnEquals",
          "ArnNotEquals",
          "ArnLike",
          "ArnNotLike",
          "Bool",
          "Null");

  private Conditions() {}

  /** The operator without its set prefix and {@code IfExists} suffix, if it is evaluated here. */
  static boolean supported(String operator) {
    return OPERATORS.contains(base(operator));
  }

  static boolean hold(
      Map<String, Map<String, List<String>>> block, Map<String, List<String>> context) {
    for (Map.Entry<String, Map<String, List<String>>> op : block.entrySet()) {
      for (Map.Entry<String, List<String>> key : op.getValue().entrySet()) {
        // condition keys are case-insensitive
        List<String> actual = lookup(context, key.getKey());
        if (!holds(op.getKey(), key.getValue(), actual)) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<String> lookup(Map<String, List<String>> context, String key) {
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  static boolean holds(String operator, List<String> expected, List<String> actual) {
    String base = base(operator);
    if (base.equals("Null")) {
      boolean absent = actual == null || actual.isEmpty();
      return expected.stream().anyMatch(v -> Boolean.parseBoolean(v) == absent);
    }
    boolean negated = base.contains("Not");
    if (operator.startsWith("ForAllValues:")) {
      // true for an absent key: that is why the platform's grants pair it with Null:false
      return actual == null || actual.stream().allMatch(a -> anyMatches(base, expected, a));
    }
    if (operator.startsWith("ForAnyValue:")) {
      return actual != null && actual.stream().anyMatch(a -> anyMatches(base, expected, a));
    }
    if (actual == null || actual.isEmpty()) {
      // IfExists holds for an absent key; so does a negated operator (there is nothing to match)
      return operator.endsWith("IfExists") || negated;
    }
    return actual.stream().anyMatch(a -> anyMatches(base, expected, a));
  }

  private static boolean anyMatches(String base, List<String> expected, String actual) {
    boolean negated = base.contains("Not");
    boolean any = expected.stream().anyMatch(e -> matches(base, e, actual));
    // a negated operator holds when no listed value matches
    return negated ? !any : any;
  }

  private static boolean matches(String base, String expected, String actual) {
    return switch (base) {
      case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals" ->
          base.startsWith("Arn")
              ? Wildcard.matches(expected, actual, false)
              : expected.equals(actual);
      case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" ->
          expected.equalsIgnoreCase(actual);
      case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike" ->
          Wildcard.matches(expected, actual, false);
      case "Bool" -> expected.toLowerCase(Locale.ROOT).equals(actual.toLowerCase(Locale.ROOT));
      default -> throw new IllegalArgumentException("condition operator " + base);
    };
  }

  private static String base(String operator) {
    String base = operator;
    int colon = base.indexOf(':');
    if (colon >= 0) {
      base = base.substring(colon + 1);
    }
    if (base.endsWith("IfExists")) {
      base = base.substring(0, base.length() - "IfExists".length());
    }
    return base;
  }
}
