package com.cdp.model.connector;

import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The payload that invokes the call-connector function (CONTRACTS section 6): {@code
 * {"organizationId":"tcu","connector":"cdp-transfer","version":"1","method":"syncTransfers",
 * "params":{...}}}, plus an optional {@code transactionId} for tracing. Schedules, event-rule input
 * transformers and the local platform all build it from here; the function parses it with {@link
 * #parse(String)}.
 *
 * <p>{@code connector}, {@code version} and {@code method} become path segments of the Connector
 * Hub URL, so their character sets are narrow on purpose.
 */
public record ConnectorCallRequest(
    OrganizationId organizationId,
    String connector,
    String version,
    String method,
    ObjectNode params,
    String transactionId) {

  static final Pattern CONNECTOR = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,15}");
  static final Pattern METHOD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
  static final Pattern TRANSACTION_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

  /** Lambda's asynchronous payload limit is 256 KB; params must leave room for the rest. */
  public static final int MAX_PARAMS_BYTES = 200 * 1024;

  /** A schedule target input's field EventBridge Scheduler fills with the schedule's ARN. */
  public static final String SCHEDULE_ARN_FIELD = "scheduleArn";

  /** A schedule target input's field EventBridge Scheduler fills with the fire's scheduled time. */
  public static final String SCHEDULED_TIME_FIELD = "scheduledTime";

  public ConnectorCallRequest {
    Objects.requireNonNull(organizationId, "organizationId");
    check("connector", connector, CONNECTOR, "1-64 lowercase letters, digits or '-'");
    check("version", version, VERSION, "1-16 letters, digits, '.', '_' or '-'");
    check("method", method, METHOD, "a letter then up to 63 letters, digits or '_'");
    params = params == null ? Json.object() : params.deepCopy();
    if (Json.writeBytes(params).length > MAX_PARAMS_BYTES) {
      throw new ValidationException(
          "params_too_large", "params must be at most " + MAX_PARAMS_BYTES + " bytes of JSON");
    }
    if (transactionId != null) {
      check("transactionId", transactionId, TRANSACTION_ID, "1-128 printable characters");
    }
  }

  /** The same call with a transaction id (for tracing across services). */
  public ConnectorCallRequest withTransactionId(String id) {
    return new ConnectorCallRequest(organizationId, connector, version, method, params, id);
  }

  /** {@code connector/version/method}, as in the hub's URL. */
  public String path() {
    return connector + "/" + version + "/" + method;
  }

  /** The contract's JSON. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("organizationId", organizationId.value());
    node.put("connector", connector);
    node.put("version", version);
    node.put("method", method);
    node.set("params", params.deepCopy());
    if (transactionId != null) {
      node.put("transactionId", transactionId);
    }
    return node;
  }

  /**
   * Parses and validates a payload. Anything that is not the contract's shape raises a {@link
   * ValidationException} (or {@link Json.MalformedJsonException} for text that is not JSON) whose
   * message names the field.
   */
  public static ConnectorCallRequest parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ValidationException("missing_payload", "the payload is empty");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > 256 * 1024) {
      throw new ValidationException("payload_too_large", "the payload is larger than 256 KB");
    }
    return fromJson(Json.tree(text));
  }

  /** Validates an already parsed payload (see {@link #parse(String)}). */
  public static ConnectorCallRequest fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new ValidationException("invalid_payload", "the payload must be a JSON object");
    }
    JsonNode params = node.get("params");
    if (params != null && !params.isNull() && !params.isObject()) {
      throw new ValidationException("invalid_params", "params must be a JSON object");
    }
    // Tracing only: a transactionId that is not a short printable string (an event detail's odd
    // value, copied by an input transformer) is dropped, and the function uses a fresh id, rather
    // than losing the call.
    JsonNode given = node.get("transactionId");
    JsonNode transaction =
        given != null && given.isTextual() && TRANSACTION_ID.matcher(given.asText()).matches()
            ? given
            : null;
    return new ConnectorCallRequest(
        OrganizationId.of(text(node, "organizationId")),
        text(node, "connector"),
        text(node, "version"),
        text(node, "method"),
        params == null || params.isNull() ? null : (ObjectNode) params,
        transaction == null || transaction.isNull() ? null : transaction.asText());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new ValidationException("invalid_" + field, field + " must be a string");
    }
    return value.asText();
  }

  private static void check(String field, String value, Pattern pattern, String rule) {
    if (value == null || value.isEmpty()) {
      throw new ValidationException("missing_" + field, field + " is required");
    }
    if (!pattern.matcher(value).matches()) {
      String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
      throw new ValidationException(
          "invalid_" + field,
          field + " must be " + rule + " (got '" + shown.replaceAll("[^\\x20-\\x7E]", "?") + "')");
    }
  }
}
