package com.cdp.warehouse;

import com.cdp.model.Money;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.id.TransactionId;
import com.cdp.model.table.Tables;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.model.warehouse.WarehouseTransaction;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
   * The warehouse item of this row, built straight from its normalized values: the same attributes
   * as {@code toWarehouse(org, source, loadedAt).toItem()} without re-validating them. Only for
   * rows that {@link TransactionValidator} produced (or read back from the chunks it produced): the
   * ids, the date and the canonical amounts are not checked again. A test keeps the two in step.
   *
   * @param loadedAt the load time as {@link Instant#toString()} text (one per chunk, not per row)
   */
  public Map<String, AttributeValue> toItem(OrganizationId org, String source, String loadedAt) {
    Map<String, AttributeValue> item = new HashMap<>(32);
    item.put(Tables.PK, AttributeValue.fromS("ORG#" + org.value() + "#ACCT#" + accountId));
    item.put(Tables.SK, AttributeValue.fromS(postedDate + '#' + transactionId));
    item.put("organizationId", AttributeValue.fromS(org.value()));
    item.put("memberId", AttributeValue.fromS(memberId));
    item.put("accountId", AttributeValue.fromS(accountId));
    item.put("transactionId", AttributeValue.fromS(transactionId));
    item.put("postedDate", AttributeValue.fromS(postedDate));
    if (postedAt != null) {
      item.put("postedAt", AttributeValue.fromS(postedAt));
    }
    item.put("amount", AttributeValue.fromN(amount));
    item.put("description", AttributeValue.fromS(description));
    item.put("searchText", AttributeValue.fromS(description.toLowerCase(Locale.ROOT)));
    if (runningBalance != null) {
      item.put("runningBalance", AttributeValue.fromN(runningBalance));
    }
    if (type != null) {
      item.put("type", AttributeValue.fromS(type));
    }
    if (checkNumber != null) {
      item.put("checkNumber", AttributeValue.fromS(checkNumber));
    }
    if (merchantCategoryCode != null) {
      item.put("merchantCategoryCode", AttributeValue.fromS(merchantCategoryCode));
    }
    item.put("source", AttributeValue.fromS(source));
    item.put("loadedAt", AttributeValue.fromS(loadedAt));
    return item;
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

  private static final JsonFactory LINES = new JsonFactory();

  /**
   * Reads one chunk line written by {@link #appendJson} with a streaming parser (no tree per line).
   *
   * @throws IllegalArgumentException when the line is not one JSON object of string fields with the
   *     required ones present
   */
  public static TransactionRow fromJsonLine(String line) {
    String m = null, a = null, t = null, d = null, at = null, v = null, s = null;
    String b = null, y = null, c = null, k = null;
    try (JsonParser p = LINES.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("chunk line is not a JSON object");
      }
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        String text =
            value == JsonToken.VALUE_NULL ? null : value.isScalarValue() ? p.getText() : null;
        if (text == null && value != JsonToken.VALUE_NULL) {
          throw new IllegalArgumentException("chunk line field " + name + " is not a value");
        }
        switch (name) {
          case "m" -> m = text;
          case "a" -> a = text;
          case "t" -> t = text;
          case "d" -> d = text;
          case "at" -> at = text;
          case "v" -> v = text;
          case "s" -> s = text;
          case "b" -> b = text;
          case "y" -> y = text;
          case "c" -> c = text;
          case "k" -> k = text;
          default -> {
            // unknown fields are ignored, as the tree reader ignores them
          }
        }
      }
      if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IllegalArgumentException("chunk line is not one JSON object");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "chunk line is not JSON: "
              + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  ? j.getOriginalMessage()
                  : e.getMessage()),
          e);
    }
    try {
      return new TransactionRow(m, a, t, d, at, v, s, b, y, c, k);
    } catch (NullPointerException e) {
      throw new IllegalArgumentException("chunk line lacks " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
