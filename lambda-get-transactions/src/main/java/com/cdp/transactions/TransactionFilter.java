package com.cdp.transactions;

import com.cdp.model.Money;
import com.cdp.model.ValidationException;
import com.cdp.model.warehouse.TransactionType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The filters of one listing: an inclusive posted-date range, an inclusive amount range, a type and
 * a case-insensitive description substring. Every part is optional; an empty filter lists
 * everything. {@code text} is held lower-cased, as it is compared with the stored {@code
 * searchText}.
 */
record TransactionFilter(
    Optional<LocalDate> from,
    Optional<LocalDate> to,
    Optional<Money> minAmount,
    Optional<Money> maxAmount,
    Optional<TransactionType> type,
    Optional<String> text) {

  public static final TransactionFilter NONE =
      new TransactionFilter(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public TransactionFilter {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(minAmount, "minAmount");
    Objects.requireNonNull(maxAmount, "maxAmount");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
    if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
      throw new ValidationException(
          "invalid_date_range", "from (" + from.get() + ") is after to (" + to.get() + ")");
    }
    if (minAmount.isPresent()
        && maxAmount.isPresent()
        && minAmount.get().compareTo(maxAmount.get()) > 0) {
      throw new ValidationException(
          "invalid_amount_range",
          "minAmount ("
              + minAmount.get()
              + ") is greater than maxAmount ("
              + maxAmount.get()
              + ")");
    }
    text = text.map(t -> t.toLowerCase(Locale.ROOT));
  }

  public TransactionFilter withFrom(LocalDate value) {
    return new TransactionFilter(Optional.of(value), to, minAmount, maxAmount, type, text);
  }

  public TransactionFilter withTo(LocalDate value) {
    return new TransactionFilter(from, Optional.of(value), minAmount, maxAmount, type, text);
  }

  public TransactionFilter withMinAmount(Money value) {
    return new TransactionFilter(from, to, Optional.of(value), maxAmount, type, text);
  }

  public TransactionFilter withMaxAmount(Money value) {
    return new TransactionFilter(from, to, minAmount, Optional.of(value), type, text);
  }

  public TransactionFilter withType(TransactionType value) {
    return new TransactionFilter(from, to, minAmount, maxAmount, Optional.of(value), text);
  }

  public TransactionFilter withText(String value) {
    return new TransactionFilter(from, to, minAmount, maxAmount, type, Optional.of(value));
  }

  /**
   * Whether anything beyond the date range applies: only then does DynamoDB need a filter
   * expression (the date range is part of the key condition).
   */
  public boolean needsFilterExpression() {
    return minAmount.isPresent() || maxAmount.isPresent() || type.isPresent() || text.isPresent();
  }

  /**
   * A short digest of the canonical filter set, carried in cursors so a cursor cannot be reused
   * with other filters. Equal filters (however they were spelled in the query) digest equally.
   */
  public String digest() {
    String canonical =
        String.join(
            "\n",
            "v1",
            "from=" + from.map(LocalDate::toString).orElse(""),
            "to=" + to.map(LocalDate::toString).orElse(""),
            "min=" + minAmount.map(Money::toPlainString).orElse(""),
            "max=" + maxAmount.map(Money::toPlainString).orElse(""),
            "type=" + type.map(Enum::name).orElse(""),
            // Length-prefixed, so no text can imitate the fields before it.
            "q=" + text.map(t -> t.length() + ":" + t).orElse(""));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
