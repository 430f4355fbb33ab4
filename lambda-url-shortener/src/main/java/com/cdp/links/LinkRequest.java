package com.cdp.links;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP API request, as the shortener's routes see it: the route key, the host it was sent to,
 * lower-cased headers, path and query parameters and the decoded body. Also maps replies back.
 */
record LinkRequest(
    String route,
    String host,
    Map<String, String> headers,
    Map<String, String> path,
    Map<String, String> query,
    String body) {

  /** The routes this function serves (their keys as API Gateway names them). */
  static final List<String> ROUTES =
      List.of(
          "POST /links",
          "GET /links",
          "GET /links/{code}",
          "PATCH /links/{code}",
          "DELETE /links/{code}",
          "GET /links/{code}/stats",
          "GET /links/{code}/qr",
          "GET /{code}");

  private static final Pattern LINK_PATH = Pattern.compile("/links/([^/]+)(/stats|/qr)?");

  /** A response: JSON (or any text), or binary when {@code base64}. */
  record Reply(int status, String body, Map<String, String> headers, boolean base64) {
    static Reply json(int status, ObjectNode body, Map<String, String> headers) {
      Map<String, String> all = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
      all.putAll(headers);
      return new Reply(status, Json.write(body), all, false);
    }

    static Reply error(int status, String code, String message) {
      ObjectNode body = Json.object();
      body.put("code", code);
      body.put("message", message);
      return json(status, body, Map.of());
    }

    APIGatewayV2HTTPResponse toResponse() {
      return APIGatewayV2HTTPResponse.builder()
          .withStatusCode(status)
          .withHeaders(headers)
          .withBody(body)
          .withIsBase64Encoded(base64)
          .build();
    }
  }

  static LinkRequest of(APIGatewayV2HTTPEvent event) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (event.getHeaders() != null) {
      event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    }
    Map<String, String> path = new LinkedHashMap<>();
    if (event.getPathParameters() != null) {
      path.putAll(event.getPathParameters());
    }
    String route = routeOf(event, path);
    String host =
        event.getRequestContext() != null && event.getRequestContext().getDomainName() != null
            ? event.getRequestContext().getDomainName()
            : headers.get("host");
    Map<String, String> query =
        event.getQueryStringParameters() == null
            ? Map.of()
            : Map.copyOf(event.getQueryStringParameters());
    return new LinkRequest(route, host, headers, path, query, body(event));
  }

  /** The route key; for {@code $default} routes or a proxy, decided from the method and path. */
  private static String routeOf(APIGatewayV2HTTPEvent event, Map<String, String> path) {
    if (event.getRouteKey() != null && ROUTES.contains(event.getRouteKey())) {
      return event.getRouteKey();
    }
    String method =
        event.getRequestContext() != null && event.getRequestContext().getHttp() != null
            ? event.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT)
            : "";
    String raw = event.getRawPath() == null ? "" : event.getRawPath();
    Matcher m = LINK_PATH.matcher(raw);
    String template;
    if (raw.equals("/links")) {
      template = "/links";
    } else if (m.matches()) {
      path.putIfAbsent("code", m.group(1));
      template = "/links/{code}" + (m.group(2) == null ? "" : m.group(2));
    } else if (raw.matches("/[^/]+")) {
      path.putIfAbsent("code", raw.substring(1));
      template = "/{code}";
    } else {
      return null;
    }
    String key = method + " " + template;
    return ROUTES.contains(key) ? key : null;
  }

  private static String body(APIGatewayV2HTTPEvent event) {
    if (event.getBody() == null || !event.getIsBase64Encoded()) {
      return event.getBody();
    }
    try {
      return new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  String code() {
    return path.get("code");
  }

  Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
  }
}
