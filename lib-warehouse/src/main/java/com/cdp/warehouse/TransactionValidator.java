package com.cdp.warehouse;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Checks one transaction's raw values against CONTRACTS 1a and normalizes them. Built for the
 * chunker's hot path: no regular expressions, no exceptions for bad values, and a small cache of
 * recently seen dates (files hold few distinct dates). Not thread-safe: one per parsing thread.
 *
 * <p>All values are stripped of surrounding whitespace first; an empty value counts as absent.
 */
public final class TransactionValidator {
  public static final int MAX_ID = 64;
  public static final int MAX_TRANSACTION_ID = 128;
  public static final int MAX_DESCRIPTION = 512;
  private static final char REPLACEMENT = '\uFFFD';
  private static final String[] TYPES = {
    "DEBIT", "CREDIT", "FEE", "INTEREST", "TRANSFER", "CHECK", "OTHER"
  };

  private String rejectColumn;
  private String rejectReason;
  private String lastDateText;
  private String lastDateValue;

  /** The column of the last rejected row. */
  public String rejectColumn() {
    return rejectColumn;
  }

  /** Why the last rejected row was rejected (a sentence, never more than a short preview). */
  public String rejectReason() {
    return rejectReason;
  }

  /**
   * Validates values indexed by {@link Column#ordinal()} ({@code null} = column absent). Returns
   * the normalized row, or {@code null} with {@link #rejectColumn()} and {@link #rejectReason()}
   * set.
   */
  public TransactionRow validate(String[] values) {
    String member = value(values, Column.MEMBER_ID);
    if (!simpleId(Column.MEMBER_ID, member)) {
      return null;
    }
    String account = value(values, Column.ACCOUNT_ID);
    if (!simpleId(Column.ACCOUNT_ID, account)) {
      return null;
    }
    String transaction = value(values, Column.TRANSACTION_ID);
    if (!transactionId(transaction)) {
      return null;
    }
    String dateText = value(values, Column.POSTED_DATE);
    String postedDate;
    String postedAt = null;
    if (dateText == null) {
      return reject(Column.POSTED_DATE, "postedDate is required");
    } else if (dateText.equals(lastDateText)) {
      postedDate = lastDateValue;
    } else if (dateText.length() == 10) {
      postedDate = isoDate(dateText);
      if (postedDate == null) {
        return null;
      }
      lastDateText = dateText;
      lastDateValue = postedDate;
    } else {
      postedDate = isoDateTime(dateText);
      if (postedDate == null) {
        return null;
      }
      postedAt = dateText;
    }
    String amountText = value(values, Column.AMOUNT);
    if (amountText == null) {
      return reject(Column.AMOUNT, "amount is required");
    }
    String amount = Amounts.canonical(amountText);
    if (amount == null) {
      return reject(Column.AMOUNT, "amount " + Amounts.problem(amountText));
    }
    String description = value(values, Column.DESCRIPTION);
    if (description == null) {
      return reject(Column.DESCRIPTION, "description is required");
    }
    if (description.length() > MAX_DESCRIPTION) {
      return reject(
          Column.DESCRIPTION,
          "description must be at most "
              + MAX_DESCRIPTION
              + " characters (got "
              + description.length()
              + ")");
    }
    if (description.indexOf(REPLACEMENT) >= 0) {
      return notUtf8(Column.DESCRIPTION);
    }
    String balanceText = value(values, Column.RUNNING_BALANCE);
    String balance = null;
    if (balanceText != null) {
      balance = Amounts.canonical(balanceText);
      if (balance == null) {
        return reject(Column.RUNNING_BALANCE, "runningBalance " + Amounts.problem(balanceText));
      }
    }
    String type = type(value(values, Column.TYPE));
    if (type == INVALID) {
      return null;
    }
    String check = value(values, Column.CHECK_NUMBER);
    if (check != null && !digits(check, 1, 12)) {
      return reject(
          Column.CHECK_NUMBER, "checkNumber must be 1-12 digits (got " + preview(check) + ")");
    }
    String mcc = value(values, Column.MERCHANT_CATEGORY_CODE);
    if (mcc != null && !digits(mcc, 4, 4)) {
      return reject(
          Column.MERCHANT_CATEGORY_CODE,
          "merchantCategoryCode must be exactly 4 digits (got " + preview(mcc) + ")");
    }
    rejectColumn = null;
    rejectReason = null;
    return new TransactionRow(
        member,
        account,
        transaction,
        postedDate,
        postedAt,
        amount,
        description,
        balance,
        type,
        check,
        mcc);
  }

  private static String value(String[] values, Column column) {
    String v = values[column.ordinal()];
    if (v == null) {
      return null;
    }
    int len = v.length();
    if (len == 0) {
      return null;
    }
    if (v.charAt(0) > ' ' && v.charAt(len - 1) > ' ') {
      return v;
    }
    String s = v.strip();
    return s.isEmpty() ? null : s;
  }

  private boolean simpleId(Column column, String v) {
    if (v == null) {
      return reject(column, column.header() + " is required") != null;
    }
    int n = v.length();
    if (n > MAX_ID) {
      return reject(column, column.header() + " must be at most 64 characters") != null;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        if (c == REPLACEMENT) {
          return notUtf8(column) != null;
        }
        return reject(
                column,
                column.header()
                    + " must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-' (got "
                    + preview(v)
                    + ")")
            != null;
      }
    }
    return true;
  }

  private boolean transactionId(String v) {
    if (v == null) {
      return reject(Column.TRANSACTION_ID, "transactionId is required") != null;
    }
    int n = v.length();
    if (n > MAX_TRANSACTION_ID) {
      return reject(Column.TRANSACTION_ID, "transactionId must be at most 128 characters") != null;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        if (c == REPLACEMENT) {
          return notUtf8(Column.TRANSACTION_ID) != null;
        }
        return reject(
                Column.TRANSACTION_ID,
                "transactionId must be printable ASCII characters (got " + preview(v) + ")")
            != null;
      }
    }
    return true;
  }

  private String isoDate(String v) {
    if (v.charAt(4) != '-' || v.charAt(7) != '-') {
      return badDate(v);
    }
    int year = number(v, 0, 4);
    int month = number(v, 5, 7);
    int day = number(v, 8, 10);
    if (year < 0 || month < 0 || day < 0) {
      return badDate(v);
    }
    try {
      LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      return badDate(v);
    }
    return v;
  }

  private String isoDateTime(String v) {
    try {
      OffsetDateTime t = OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return t.toLocalDate().toString();
    } catch (DateTimeParseException e) {
      return badDate(v);
    }
  }

  private String badDate(String v) {
    if (v.indexOf(REPLACEMENT) >= 0) {
      notUtf8(Column.POSTED_DATE);
      return null;
    }
    reject(
        Column.POSTED_DATE,
        "postedDate must be an ISO date like 2026-11-27 or an ISO date-time with offset like"
            + " 2026-11-27T14:03:00-05:00 (got "
            + preview(v)
            + ")");
    return null;
  }

  private static int number(String v, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static final String INVALID = new String("invalid");

  private String type(String v) {
    if (v == null) {
      return null;
    }
    for (String t : TYPES) {
      if (t.equalsIgnoreCase(v)) {
        return t;
      }
    }
    reject(
        Column.TYPE,
        "type must be one of DEBIT, CREDIT, FEE, INTEREST, TRANSFER, CHECK, OTHER (got "
            + preview(v)
            + ")");
    return INVALID;
  }

  private static boolean digits(String v, int min, int max) {
    int n = v.length();
    if (n < min || n > max) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private TransactionRow notUtf8(Column column) {
    return reject(column, column.header() + " contains bytes that are not valid UTF-8");
  }

  private TransactionRow reject(Column column, String reason) {
    rejectColumn = column.header();
    rejectReason = reason;
    return null;
  }

  /** A short printable preview of a bad value, so a reason never echoes megabytes. */
  static String preview(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    StringBuilder out = new StringBuilder(shown.length() + 2).append('\'');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      out.append(c < 0x20 || c == 0x7F || c == REPLACEMENT ? '?' : c);
    }
    return out.append('\'').toString();
  }

  static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }
}
