package com.cdp.model.connector;

import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Connector Hub call made when an event matches a pattern on the platform bus (declared in {@code
 * config/schedules.json} under {@code eventCalls}). An EventBridge rule targets the call-connector
 * function with an input transformer that produces the contract payload: {@code organizationId}
 * from {@code $.detail.organizationId}, {@code transactionId} from {@code $.detail.transactionId}
 * (the flow's id every platform publisher sets; missing, the function gives the call a fresh one),
 * the static {@code params}, and {@code detailParams} copied from top-level detail fields. The
 * local platform applies the same transformation with {@link #payloadFor(JsonNode)}.
 */
public record ConnectorEventCall(
    String name,
    String pattern,
    String connector,
    String version,
    String method,
    ObjectNode params,
    Map<String, String> detailParams,
    List<String> environments) {

  /** Short enough for the rule name {@code cdp-ENV-connector-NAME} to stay within 64. */
  static final Pattern NAME = Pattern.compile("[0-9A-Za-z_.-]{1,40}");

  static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  public ConnectorEventCall {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ValidationException(
          "invalid_event_call_name",
          "event call name must be 1-40 letters, digits, '.', '_' or '-' (got '" + name + "')");
    }
    Objects.requireNonNull(pattern, "pattern");
    if (!Json.tree(pattern).isObject()) {
      throw new ValidationException(
          "invalid_event_pattern", "event call " + name + ": pattern must be a JSON object");
    }
    params = params == null ? Json.object() : params.deepCopy();
    detailParams = Map.copyOf(detailParams == null ? Map.of() : detailParams);
    for (Map.Entry<String, String> e : detailParams.entrySet()) {
      if (!FIELD.matcher(e.getKey()).matches() || !FIELD.matcher(e.getValue()).matches()) {
        throw new ValidationException(
            "invalid_detail_params",
            "event call "
                + name
                + ": detailParams maps param names to top-level detail fields (letters, digits,"
                + " '_')");
      }
      if (params.has(e.getKey())) {
        throw new ValidationException(
            "invalid_detail_params",
            "event call "
                + name
                + ": param '"
                + e.getKey()
                + "' is both static and from the event");
      }
    }
    environments = List.copyOf(environments == null ? List.of() : environments);
    // Validates connector, version and method with the payload's own rules.
    new ConnectorCallRequest(
        OrganizationId.of("validation"), connector, version, method, params, null);
  }

  public boolean appliesTo(String environment) {
    return environments.isEmpty() || environments.contains(environment);
  }

  /** EventBridge {@code InputPathsMap}: placeholder name to JSON path in the event. */
  public Map<String, String> inputPaths() {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("organizationId", "$.detail.organizationId");
    paths.put("transactionId", "$.detail.transactionId");
    int i = 0;
    for (String param : sortedParams()) {
      paths.put("p" + i++, "$.detail." + detailParams.get(param));
    }
    return paths;
  }

  /**
   * EventBridge {@code InputTemplate}: the contract payload with unquoted placeholders, which
   * EventBridge replaces with the JSON value found at each path.
   */
  public String inputTemplate() {
    StringBuilder params = new StringBuilder();
    String fixed = Json.write(this.params);
    params.append(fixed, 0, fixed.length() - 1);
    int i = 0;
    for (String param : sortedParams()) {
      if (params.length() > 1) {
        params.append(',');
      }
      params.append(Json.write(param)).append(":<p").append(i++).append('>');
    }
    params.append('}');
    return "{\"organizationId\":<organizationId>,"
        + "\"connector\":"
        + Json.write(connector)
        + ",\"version\":"
        + Json.write(version)
        + ",\"method\":"
        + Json.write(method)
        + ",\"params\":"
        + params
        + ",\"transactionId\":<transactionId>}";
  }

  /**
   * The payload EventBridge's input transformer produces for a full event (as the bus delivers it):
   * values missing from the event become {@code null}, which the function then refuses.
   */
  public ObjectNode payloadFor(JsonNode event) {
    JsonNode detail = event.path("detail");
    ObjectNode payload = Json.object();
    payload.set("organizationId", valueOrNull(detail, "organizationId"));
    payload.put("connector", connector);
    payload.put("version", version);
    payload.put("method", method);
    ObjectNode p = params.deepCopy();
    for (String param : sortedParams()) {
      p.set(param, valueOrNull(detail, detailParams.get(param)));
    }
    payload.set("params", p);
    payload.set("transactionId", valueOrNull(detail, "transactionId"));
    return payload;
  }

  private List<String> sortedParams() {
    return detailParams.keySet().stream().sorted().toList();
  }

  private static JsonNode valueOrNull(JsonNode detail, String field) {
    JsonNode value = detail.get(field);
    return value == null ? NullNode.getInstance() : value.deepCopy();
  }
}
