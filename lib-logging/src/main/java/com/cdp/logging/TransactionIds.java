package com.cdp.logging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where a request's transactionId comes from: the {@code x-transaction-id} header of an HTTP
 * request, the {@code transactionId} field of an event (top level or in {@code detail}), or a new
 * one. Incoming values are accepted only when they are short printable identifiers.
 */
public final class TransactionIds {
  /** The header that carries the transactionId between services. */
  public static final String HEADER = "x-transaction-id";

  /** The event field that carries it. */
  public static final String FIELD = "transactionId";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:/#@+=-]{1,128}");

  private TransactionIds() {}

  /** A fresh transactionId. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Whether an incoming value can be used as a transactionId (1-128 safe characters). */
  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  /**
   * The {@code x-transaction-id} header (any case) when present and valid, else {@code null} (then
   * {@link PlatformLogger#open} creates one).
   */
  public static String fromHeaders(Map<String, String> headers) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey() != null && HEADER.equalsIgnoreCase(header.getKey())) {
        String value = header.getValue() == null ? null : header.getValue().strip();
        return isValid(value) ? value : null;
      }
    }
    return null;
  }

  /**
   * The {@code transactionId} field of an event: at the top level or inside {@code detail}
   * (EventBridge), when present and valid; else {@code null}.
   */
  public static String fromEvent(JsonNode event) {
    if (event == null) {
      return null;
    }
    for (JsonNode candidate : new JsonNode[] {event.get(FIELD), event.path("detail").get(FIELD)}) {
      if (candidate != null && candidate.isTextual() && isValid(candidate.asText())) {
        return candidate.asText();
      }
    }
    return null;
  }
}
