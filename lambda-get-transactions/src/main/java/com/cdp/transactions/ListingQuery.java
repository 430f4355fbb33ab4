package com.cdp.transactions;

import com.cdp.model.Money;
import com.cdp.model.ValidationException;
import com.cdp.model.warehouse.TransactionType;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The validated query string of {@code GET /accounts/{accountId}/transactions}: page size, filters
 * and the cursor (still unverified). A parameter given with an empty value counts as not given.
 */
record ListingQuery(int limit, TransactionFilter filter, Optional<String> cursor) {
  public static final int DEFAULT_LIMIT = 25;
  public static final int MAX_LIMIT = 100;
  public static final int MAX_TEXT_LENGTH = 200;

  /** The query parameters the API understands (names are case-sensitive, as in the contract). */
  public static final Set<String> PARAMETERS =
      Set.of("limit", "cursor", "from", "to", "minAmount", "maxAmount", "type", "q");

  private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  private static final DateTimeFormatter ISO_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  public ListingQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException(
          "invalid_limit", "limit must be between 1 and " + MAX_LIMIT + " (got " + limit + ")");
    }
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(cursor, "cursor");
  }

  /**
   * Parses API Gateway's query parameters (repeated parameters arrive joined with commas, and are
   * then refused by the individual rules). The first broken rule is reported.
   *
   * @throws ValidationException with a stable code such as {@code invalid_limit}
   */
  public static ListingQuery parse(Map<String, String> parameters) {
    Map<String, String> params = parameters == null ? Map.of() : parameters;
    Set<String> unknown = new TreeSet<>(params.keySet());
    unknown.removeAll(PARAMETERS);
    if (!unknown.isEmpty()) {
      throw new ValidationException(
          "unknown_parameter",
          "unknown query parameter(s) "
              + preview(String.join(", ", unknown))
              + "; allowed: limit, cursor, from, to, minAmount, maxAmount, type, q");
    }
    int limit = value(params, "limit").map(ListingQuery::parseLimit).orElse(DEFAULT_LIMIT);
    Optional<LocalDate> from = value(params, "from").map(v -> parseDate("from", v));
    Optional<LocalDate> to = value(params, "to").map(v -> parseDate("to", v));
    Optional<Money> min = value(params, "minAmount").map(v -> parseAmount("minAmount", v));
    Optional<Money> max = value(params, "maxAmount").map(v -> parseAmount("maxAmount", v));
    Optional<TransactionType> type = value(params, "type").map(ListingQuery::parseType);
    Optional<String> text = value(params, "q").map(ListingQuery::checkText);
    TransactionFilter filter = new TransactionFilter(from, to, min, max, type, text);
    return new ListingQuery(limit, filter, value(params, "cursor"));
  }

  private static Optional<String> value(Map<String, String> params, String name) {
    return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty());
  }

  private static int parseLimit(String text) {
    if (!DIGITS.matcher(text).matches()) {
      throw new ValidationException(
          "invalid_limit",
          "limit must be a whole number between 1 and "
              + MAX_LIMIT
              + " (got "
              + preview(text)
              + ")");
    }
    int limit = Integer.parseInt(text);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException(
          "invalid_limit", "limit must be between 1 and " + MAX_LIMIT + " (got " + limit + ")");
    }
    return limit;
  }

  private static LocalDate parseDate(String name, String text) {
    try {
      return LocalDate.parse(text, ISO_DATE);
    } catch (DateTimeParseException e) {
      throw new ValidationException(
          "invalid_" + name,
          name + " must be an ISO date like 2026-11-27 (got " + preview(text) + ")");
    }
  }

  private static Money parseAmount(String name, String text) {
    try {
      return Money.parse(text);
    } catch (ValidationException e) {
      String code = name.equals("minAmount") ? "invalid_min_amount" : "invalid_max_amount";
      throw new ValidationException(code, name + ": " + e.getMessage());
    }
  }

  private static TransactionType parseType(String text) {
    try {
      return TransactionType.parse(text);
    } catch (ValidationException e) {
      throw new ValidationException("invalid_type", e.getMessage());
    }
  }

  private static String checkText(String text) {
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new ValidationException(
          "invalid_q", "q must be at most " + MAX_TEXT_LENGTH + " characters");
    }
    if (CONTROL.matcher(text).find()) {
      throw new ValidationException("invalid_q", "q must not contain control characters");
    }
    return text;
  }

  /** A short, printable preview of a bad value, so an error never echoes a megabyte back. */
  static String preview(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return "'" + shown.replaceAll("[^\\x20-\\x7E]", "?") + "'";
  }
}
