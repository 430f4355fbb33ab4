package com.cdp.local.api;

import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket API of the template as API Gateway runs it: the route of each message chosen by the
 * API's route selection expression ({@code $request.body.action}, {@code ${request.body.a}/${...}})
 * evaluated on the message's JSON — a message that is not JSON, or whose value names no route, goes
 * to {@code $default} — and the events its routes' functions receive ({@code $connect} with the
 * handshake's headers and query parameters, messages with their body, {@code $disconnect}).
 */
public final class WebSocketRoutes {
  private static final Pattern WRAPPED = Pattern.compile("\\$\\{request\\.body\\.([^}]+)}");
  private static final Pattern UNWRAPPED = Pattern.compile("\\$request\\.body\\.(\\S+)");
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  /** Routes only API Gateway's own events select; a message never does. */
  private static final java.util.Set<String> PREDEFINED =
      java.util.Set.of("$connect", "$disconnect", "$default");

  private final LocalTemplate.Api api;
  private final Map<String, LocalTemplate.Route> byKey = new LinkedHashMap<>();
  private final String expression;

  public WebSocketRoutes(LocalTemplate.Api api) {
    this.api = Objects.requireNonNull(api, "api");
    if (!"WEBSOCKET".equals(api.protocol())) {
      throw new IllegalArgumentException(api.name() + " is a " + api.protocol() + " API");
    }
    this.expression =
        api.routeSelectionExpression()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(api.name() + " has no RouteSelectionExpression"));
    if (!WRAPPED.matcher(expression).find() && !UNWRAPPED.matcher(expression).matches()) {
      throw new IllegalArgumentException(
          "route selection expression '"
              + expression
              + "' of "
              + api.name()
              + " is not $request.body.PATH or ${request.body.PATH}");
    }
    api.routes().forEach(r -> byKey.put(r.routeKey(), r));
  }

  public LocalTemplate.Api api() {
    return api;
  }

  /** The route of a predefined key ({@code $connect}, {@code $disconnect}, {@code $default}). */
  public Optional<LocalTemplate.Route> route(String routeKey) {
    return Optional.ofNullable(byKey.get(routeKey));
  }

  /**
   * The route a text message takes: the route whose key equals the expression's value, else {@code
   * $default}; empty when neither exists (API Gateway answers the client with an error).
   */
  public Optional<LocalTemplate.Route> select(String message) {
    return selectionValue(message)
        .filter(v -> !PREDEFINED.contains(v))
        .map(byKey::get)
        .or(() -> Optional.ofNullable(byKey.get("$default")));
  }

  /** The expression evaluated on the message; empty if the message is not a JSON object. */
  Optional<String> selectionValue(String message) {
    JsonNode body;
    try {
      body = Json.mapper().readTree(message);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (body == null || !body.isContainerNode()) {
      return Optional.empty();
    }
    Matcher unwrapped = UNWRAPPED.matcher(expression);
    if (unwrapped.matches()) {
      return value(body, unwrapped.group(1));
    }
    Matcher wrapped = WRAPPED.matcher(expression);
    StringBuilder out = new StringBuilder();
    while (wrapped.find()) {
      Optional<String> v = value(body, wrapped.group(1));
      if (v.isEmpty()) {
        return Optional.empty();
      }
      wrapped.appendReplacement(out, Matcher.quoteReplacement(v.get()));
    }
    wrapped.appendTail(out);
    return Optional.of(out.toString());
  }

  /** A JSONPath of dotted names and {@code [n]} indexes; non-text values are stringified. */
  private static Optional<String> value(JsonNode body, String path) {
    JsonNode node = body;
    for (String part : path.split("\\.")) {
      Matcher indexed = Pattern.compile("([^\\[]*)((\\[\\d+])*)").matcher(part);
      if (!indexed.matches()) {
        return Optional.empty();
      }
      if (!indexed.group(1).isEmpty()) {
        node = node.path(indexed.group(1));
      }
      Matcher index = Pattern.compile("\\[(\\d+)]").matcher(indexed.group(2));
      while (index.find()) {
        node = node.path(Integer.parseInt(index.group(1)));
      }
    }
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    return Optional.of(node.isValueNode() ? node.asText() : node.toString());
  }

  /** What identifies a connection in its events. */
  public record Connection(
      String connectionId,
      Instant connectedAt,
      String sourceIp,
      String userAgent,
      String domainName,
      String stage) {}

  /**
   * The {@code $connect} event: the handshake's headers (as sent, repeated ones joined with commas
   * and in {@code multiValueHeaders}) and query parameters (the last value, all in {@code
   * multiValueQueryStringParameters}).
   */
  public ObjectNode connectEvent(
      Connection c,
      Map<String, List<String>> headers,
      Map<String, List<String>> query,
      String requestId,
      Instant now) {
    ObjectNode event = Json.object();
    ObjectNode h = event.putObject("headers");
    ObjectNode mh = event.putObject("multiValueHeaders");
    headers.forEach(
        (name, values) -> {
          h.put(name, String.join(",", values));
          values.forEach(mh.withArray(name)::add);
        });
    if (!query.isEmpty()) {
      ObjectNode q = event.putObject("queryStringParameters");
      ObjectNode mq = event.putObject("multiValueQueryStringParameters");
      query.forEach(
          (name, values) -> {
            if (!values.isEmpty()) {
              q.put(name, values.get(values.size() - 1));
              values.forEach(mq.withArray(name)::add);
            }
          });
    }
    event.set("requestContext", context("$connect", "CONNECT", c, requestId, now));
    event.put("isBase64Encoded", false);
    return event;
  }

  /** A message's event for the route it selected. */
  public ObjectNode messageEvent(
      Connection c,
      String routeKey,
      String body,
      boolean base64,
      String requestId,
      String messageId,
      Instant now) {
    ObjectNode event = Json.object();
    ObjectNode context = context(routeKey, "MESSAGE", c, requestId, now);
    context.put("messageId", messageId);
    event.set("requestContext", context);
    event.put("body", body);
    event.put("isBase64Encoded", base64);
    return event;
  }

  /** The {@code $disconnect} event, with the close's status code and reason. */
  public ObjectNode disconnectEvent(
      Connection c, int statusCode, String reason, String requestId, Instant now) {
    ObjectNode event = Json.object();
    ObjectNode context = context("$disconnect", "DISCONNECT", c, requestId, now);
    context.put("disconnectStatusCode", statusCode);
    context.put("disconnectReason", reason == null ? "" : reason);
    event.set("requestContext", context);
    event.put("isBase64Encoded", false);
    return event;
  }

  private ObjectNode context(
      String routeKey, String eventType, Connection c, String requestId, Instant now) {
    ObjectNode context = Json.object();
    context.put("routeKey", routeKey);
    context.put("eventType", eventType);
    context.put("extendedRequestId", requestId);
    context.put("requestTime", REQUEST_TIME.format(now));
    context.put("messageDirection", "IN");
    context.put("stage", c.stage());
    context.put("connectedAt", c.connectedAt().toEpochMilli());
    context.put("requestTimeEpoch", now.toEpochMilli());
    ObjectNode identity = context.putObject("identity");
    identity.put("sourceIp", c.sourceIp());
    if (c.userAgent() != null) {
      identity.put("userAgent", c.userAgent());
    }
    context.put("requestId", requestId);
    context.put("domainName", c.domainName());
    context.put("connectionId", c.connectionId());
    context.put("apiId", api.name());
    return context;
  }
}
