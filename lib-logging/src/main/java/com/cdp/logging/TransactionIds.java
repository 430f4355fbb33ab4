package com.cdp.logging;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where a request's transactionId comes from: the {@code x-transaction-id} header of an HTTP
 * request, the {@code transactionId} field of an event (top level or in {@code detail}), S3 object
 * metadata {@code transaction-id}, or a new one.
 *
 * <p>The platform's format is a UUID ({@code 8-4-4-4-12} hex digits) or the seed's double-UUID form
 * (two UUIDs, joined by {@code -} or written back to back): at most 128 characters of {@code
 * [A-Za-z0-9-]}. Anything else that arrives from outside is not trusted: {@link
 * PlatformLogger#open} replaces it by a fresh id and keeps the given value only as a sanitised,
 * truncated field ({@link #sanitise}), so a caller cannot forge log lines, inject markup or split a
 * trace.
 */
public final class TransactionIds {
  /** The header that carries the transactionId between services. */
  public static final String HEADER = "x-transaction-id";

  /** The event field that carries it. */
  public static final String FIELD = "transactionId";

  /** The S3 object metadata key (sent as {@code x-amz-meta-transaction-id}). */
  public static final String METADATA = "transaction-id";

  /** How many characters of a refused value are kept in the log. */
  public static final int MAX_GIVEN = 64;

  private static final String UUID_FORM =
      "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}";
  private static final Pattern VALID = Pattern.compile(UUID_FORM + "(?:-?" + UUID_FORM + ")?");
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._:-]");

  private TransactionIds() {}

  /** A fresh transactionId. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /**
   * A transactionId derived from stable facts, the same for every call with the same parts (a
   * name-based UUID): e.g. the chunker's id for an upload that carries none, from its bucket, key
   * and version or ETag, so every retry of that file logs under one id.
   */
  public static String derive(String... parts) {
    return UUID.nameUUIDFromBytes(
            ("cdp-transaction\n" + String.join("\n", parts)).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** Whether a value is in the platform's format (a UUID or the double-UUID form). */
  public static boolean isValid(String value) {
    return value != null && value.length() <= 128 && VALID.matcher(value).matches();
  }

  /**
   * A refused value as it may be logged: characters outside {@code [A-Za-z0-9._:-]} become {@code
   * _}, at most {@value #MAX_GIVEN} characters are kept, and what could be a secret or an account
   * number is masked.
   */
  public static String sanitise(String given) {
    if (given == null) {
      return null;
    }
    String cut = given.length() > MAX_GIVEN ? given.substring(0, MAX_GIVEN) : given;
    return SensitiveData.maskText(UNSAFE.matcher(cut).replaceAll("_"));
  }

  /**
   * The {@code x-transaction-id} header (any case) as given (stripped), or {@code null}. Not
   * validated here: {@link PlatformLogger#open} checks it, replaces a value that is not in the
   * platform's format and logs the given one sanitised; forward {@link RequestLog#transactionId()},
   * never this value.
   */
  public static String fromHeaders(Map<String, String> headers) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey() != null && HEADER.equalsIgnoreCase(header.getKey())) {
        String value = header.getValue() == null ? null : header.getValue().strip();
        return value == null || value.isEmpty() ? null : value;
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

  /** As {@link #fromEvent(JsonNode)} for an event's JSON text; {@code null} when it is not JSON. */
  public static String fromEventJson(String eventJson) {
    if (eventJson == null) {
      return null;
    }
    try {
      return fromEvent(com.cdp.model.json.Json.tree(eventJson));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The flow id in S3 object metadata ({@value #METADATA}), when valid; else {@code null}. */
  public static String fromMetadata(Map<String, String> metadata) {
    if (metadata == null) {
      return null;
    }
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      if (METADATA.equalsIgnoreCase(entry.getKey()) && isValid(entry.getValue())) {
        return entry.getValue();
      }
    }
    return null;
  }
}
