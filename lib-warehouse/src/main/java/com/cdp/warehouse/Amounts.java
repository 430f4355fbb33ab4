package com.cdp.warehouse;

/**
 * Fast, allocation-light twin of {@link com.cdp.model.Money#parse}: the same accepted texts and the
 * same canonical form (scale 2, no sign on zero). A property test keeps the two in step.
 */
public final class Amounts {
  private Amounts() {}

  /** The canonical text ({@code -12.50}) of a valid amount, or {@code null} when invalid. */
  public static String canonical(String text) {
    if (isCanonical(text)) {
      return text;
    }
    int n = text.length();
    int i = 0;
    boolean negative = false;
    if (n > 0 && (text.charAt(0) == '+' || text.charAt(0) == '-')) {
      negative = text.charAt(0) == '-';
      i = 1;
    }
    int intStart = i;
    while (i < n && isDigit(text.charAt(i))) {
      i++;
    }
    int intEnd = i;
    int fracStart = -1;
    int fracEnd = -1;
    if (i < n && text.charAt(i) == '.') {
      fracStart = ++i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      fracEnd = i;
    }
    if (i != n) {
      return null;
    }
    int intDigits = intEnd - intStart;
    if (intDigits > 15) {
      return null;
    }
    if (intDigits == 0 && (fracStart < 0 || fracEnd == fracStart)) {
      return null;
    }
    while (intStart < intEnd && text.charAt(intStart) == '0') {
      intStart++;
    }
    if (intEnd - intStart > 12) {
      return null;
    }
    int significantFracEnd = fracStart < 0 ? -1 : fracEnd;
    while (significantFracEnd > fracStart && text.charAt(significantFracEnd - 1) == '0') {
      significantFracEnd--;
    }
    int fracDigits = fracStart < 0 ? 0 : significantFracEnd - fracStart;
    if (fracDigits > 2) {
      return null;
    }
    boolean zero = intStart == intEnd && fracDigits == 0;
    StringBuilder out = new StringBuilder(intEnd - intStart + 4);
    if (negative && !zero) {
      out.append('-');
    }
    if (intStart == intEnd) {
      out.append('0');
    } else {
      out.append(text, intStart, intEnd);
    }
    out.append('.');
    if (fracDigits > 0) {
      out.append(text, fracStart, fracStart + fracDigits);
    }
    for (int k = fracDigits; k < 2; k++) {
      out.append('0');
    }
    return out.toString();
  }

  /** Already in canonical form ({@code -12.34}, {@code 0.50}): the common case, no allocation. */
  private static boolean isCanonical(String t) {
    int n = t.length();
    int start = n > 0 && t.charAt(0) == '-' ? 1 : 0;
    int point = n - 3;
    if (point <= start || t.charAt(point) != '.' || point - start > 12) {
      return false;
    }
    if (!isDigit(t.charAt(n - 1)) || !isDigit(t.charAt(n - 2))) {
      return false;
    }
    for (int i = start; i < point; i++) {
      if (!isDigit(t.charAt(i))) {
        return false;
      }
    }
    boolean leadingZero = t.charAt(start) == '0' && point - start > 1;
    boolean negativeZero =
        start == 1
            && point == 2
            && t.charAt(1) == '0'
            && t.charAt(n - 1) == '0'
            && t.charAt(n - 2) == '0';
    return !leadingZero && !negativeZero;
  }

  /** Why {@link #canonical} refused the text (for the reject reason). */
  public static String problem(String text) {
    String t = text.strip();
    int digitsBeforePoint = 0;
    int start = t.startsWith("+") || t.startsWith("-") ? 1 : 0;
    boolean plain = t.length() > start;
    int point = -1;
    for (int i = start; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '.' && point < 0) {
        point = i;
      } else if (!isDigit(c)) {
        plain = false;
        break;
      } else if (point < 0) {
        digitsBeforePoint++;
      }
    }
    if (!plain || (digitsBeforePoint == 0 && (point < 0 || point == t.length() - 1))) {
      return "must be a plain decimal like -12.34 (got " + TransactionValidator.preview(t) + ")";
    }
    String fraction = point < 0 ? "" : t.substring(point + 1).replaceAll("0+$", "");
    if (fraction.length() > 2) {
      return "must have at most 2 fraction digits (got " + TransactionValidator.preview(t) + ")";
    }
    return "must be below 10^12 in absolute value (got " + TransactionValidator.preview(t) + ")";
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
