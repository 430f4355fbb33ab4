package com.cdp.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of money in the account's currency: at most two fraction digits, absolute value below
 * 10^12, always held at scale 2. Negative amounts are debits.
 */
public record Money(BigDecimal amount) implements Comparable<Money> {
  private static final BigDecimal LIMIT = BigDecimal.TEN.pow(12);

  public Money {
    if (amount == null) {
      throw new ValidationException("missing_amount", "amount is required");
    }
    if (amount.stripTrailingZeros().scale() > 2) {
      throw new ValidationException(
          "invalid_amount",
          "amount must have at most 2 fraction digits (got " + amount.toPlainString() + ")");
    }
    if (amount.abs().compareTo(LIMIT) >= 0) {
      throw new ValidationException(
          "invalid_amount", "amount must be below 10^12 in absolute value");
    }
    amount = amount.setScale(2, RoundingMode.UNNECESSARY);
  }

  /**
   * Parses a plain signed decimal such as {@code -12.5} or {@code 1000.00}; no exponents, no
   * grouping.
   */
  public static Money parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ValidationException("missing_amount", "amount is required");
    }
    String t = text.strip();
    if (!t.matches("[+-]?(\\d{1,15}(\\.\\d*)?|\\.\\d+)")) {
      throw new ValidationException(
          "invalid_amount", "amount must be a plain decimal like -12.34 (got " + preview(t) + ")");
    }
    return new Money(new BigDecimal(t));
  }

  public static Money of(String text) {
    return parse(text);
  }

  public boolean isDebit() {
    return amount.signum() < 0;
  }

  /** The canonical text form, e.g. {@code -12.50}. */
  public String toPlainString() {
    return amount.toPlainString();
  }

  @Override
  public int compareTo(Money o) {
    return amount.compareTo(o.amount);
  }

  @Override
  public String toString() {
    return toPlainString();
  }

  private static String preview(String s) {
    return "'" + (s.length() > 30 ? s.substring(0, 30) + "..." : s) + "'";
  }
}
