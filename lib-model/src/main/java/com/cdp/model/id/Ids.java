package com.cdp.model.id;

import com.cdp.model.ValidationException;
import java.util.regex.Pattern;

/** Shared checks behind the identifier records. */
final class Ids {
  static final Pattern ORG = Pattern.compile("[a-z0-9-]{2,32}");
  static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final Pattern PRINTABLE =
      Pattern.compile("[\\x21-\\x7E]([\\x20-\\x7E]{0,126}[\\x21-\\x7E])?");

  private Ids() {}

  static String check(String kind, String value, Pattern pattern, String rule) {
    if (value == null || value.isEmpty()) {
      throw new ValidationException("missing_" + kind, kind.replace('_', ' ') + " is required");
    }
    if (!pattern.matcher(value).matches()) {
      throw new ValidationException(
          "invalid_" + kind,
          kind.replace('_', ' ') + " must be " + rule + " (got " + preview(value) + ")");
    }
    return value;
  }

  /**
   * A short, printable preview of a bad value, so an error never echoes megabytes or control bytes.
   */
  static String preview(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return "'" + shown.replaceAll("[^\\x20-\\x7E]", "?") + "'";
  }
}
