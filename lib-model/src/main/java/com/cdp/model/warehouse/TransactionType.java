package com.cdp.model.warehouse;

import com.cdp.model.ValidationException;
import java.util.Arrays;
import java.util.Locale;

/** The optional {@code type} column of a transaction (case-insensitive on input). */
public enum TransactionType {
  DEBIT,
  CREDIT,
  FEE,
  INTEREST,
  TRANSFER,
  CHECK,
  OTHER;

  public static TransactionType parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ValidationException("missing_type", "type is required");
    }
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ValidationException(
          "invalid_type",
          "type must be one of "
              + Arrays.toString(values())
              + " (got '"
              + (text.length() > 20 ? text.substring(0, 20) + "..." : text)
              + "')");
    }
  }
}
