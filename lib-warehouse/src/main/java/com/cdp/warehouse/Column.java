package com.cdp.warehouse;

import java.util.Locale;
import java.util.Optional;

/** The columns of a nightly transactions file (CONTRACTS 1a), in a fixed order. */
public enum Column {
  MEMBER_ID("memberId", true),
  ACCOUNT_ID("accountId", true),
  TRANSACTION_ID("transactionId", true),
  POSTED_DATE("postedDate", true),
  AMOUNT("amount", true),
  DESCRIPTION("description", true),
  RUNNING_BALANCE("runningBalance", false),
  TYPE("type", false),
  CHECK_NUMBER("checkNumber", false),
  MERCHANT_CATEGORY_CODE("merchantCategoryCode", false);

  private static final Column[] VALUES = values();

  private final String header;
  private final boolean required;

  Column(String header, boolean required) {
    this.header = header;
    this.required = required;
  }

  /** The header name as the contract spells it (matched case-insensitively). */
  public String header() {
    return header;
  }

  public boolean required() {
    return required;
  }

  /** The column a header cell names (case-insensitive, surrounding spaces ignored). */
  public static Optional<Column> forHeader(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (Column c : VALUES) {
      if (c.header.toLowerCase(Locale.ROOT).equals(wanted)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  public static int count() {
    return VALUES.length;
  }

  static Column of(int ordinal) {
    return VALUES[ordinal];
  }
}
