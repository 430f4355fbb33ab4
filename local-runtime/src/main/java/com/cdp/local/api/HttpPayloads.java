package com.cdp.local.api;

import com.cdp.local.runtime.InvocationResult;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * API Gateway's Lambda proxy integration for HTTP APIs, payload format 2.0, both ways: the event a
 * request becomes (header names lower-cased and repeated headers joined with commas, cookies in
 * their own field, query parameters decoded with repeated ones joined, path parameters from the
 * route, the request context), and the HTTP response a function's answer becomes (a {@code
 * statusCode} answer as given, cookies as {@code set-cookie} headers; any other JSON as the body of
 * a 200 {@code application/json} response; a failed invocation or an answer API Gateway cannot read
 * as 500, a throttled one as 429).
 */
public final class HttpPayloads {
  /** The account id of the local platform (the template's pseudo parameter). */
  public static final String ACCOUNT_ID = "000000000000";

  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private HttpPayloads() {}

  /**
   * A request as the gateway received it.
   *
   * @param headers header names as sent, each with its values in order
   * @param rawQueryString the query string as sent (without {@code ?}), empty if none
   * @param host the Host header without its port (the event's domain name)
   */
  public record Request(
      String method,
      String rawPath,
      String rawQueryString,
      Map<String, List<String>> headers,
      byte[] body,
      String protocol,
      String sourceIp,
      String host) {
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(rawPath, "rawPath");
      rawQueryString = rawQueryString == null ? "" : rawQueryString;
      Objects.requireNonNull(headers, "headers");
      body = body == null ? new byte[0] : body;
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(sourceIp, "sourceIp");
      host = host == null ? "" : host;
    }
  }

  /** The HTTP response: status, headers (a name may repeat) and body. */
  public record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    public Response {
      headers = List.copyOf(headers);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header (case-insensitive), or null. */
    public String header(String name) {
      return headers.stream()
          .filter(h -> h.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }
  }

  /** API Gateway's own answers: {@code {"message": "..."}} with the status. */
  public static Response message(int status, String message) {
    return new Response(
        status,
        List.of(Map.entry("content-type", "application/json")),
        Json.writeBytes(Map.of("message", message)));
  }

  public static final Response NOT_FOUND = message(404, "Not Found");
  public static final Response INTERNAL_ERROR = message(500, "Internal Server Error");
  public static final Response TOO_MANY_REQUESTS = message(429, "Too Many Requests");
  public static final Response TOO_LARGE = message(413, "Request Entity Too Large");

  /** The payload format 2.0 event of a request that {@code match} of {@code apiId} serves. */
  public static ObjectNode event(
      Request request, HttpApiRouter.Match match, String apiId, String requestId, Instant now) {
    ObjectNode event = Json.object();
    event.put("version", "2.0");
    String routeKey = match.route().routeKey();
    event.put("routeKey", routeKey);
    event.put("rawPath", request.rawPath());
    event.put("rawQueryString", request.rawQueryString());
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    request
        .headers()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (lower.equals("cookie")) {
                for (String value : values) {
                  for (String cookie : value.split(";")) {
                    if (!cookie.isBlank()) {
                      cookies.add(cookie.strip());
                    }
                  }
                }
                return;
              }
              headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            });
    if (!cookies.isEmpty()) {
      ArrayNode c = event.putArray("cookies");
      cookies.forEach(c::add);
    }
    ObjectNode h = event.putObject("headers");
    headers.forEach(h::put);
    Map<String, String> query = query(request.rawQueryString());
    if (!query.isEmpty()) {
      ObjectNode q = event.putObject("queryStringParameters");
      query.forEach(q::put);
    }
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", ACCOUNT_ID);
    context.put("apiId", apiId);
    context.put("domainName", request.host());
    int dot = request.host().indexOf('.');
    context.put("domainPrefix", dot > 0 ? request.host().substring(0, dot) : request.host());
    ObjectNode http = context.putObject("http");
    http.put("method", request.method().toUpperCase(Locale.ROOT));
    http.put("path", request.rawPath());
    http.put("protocol", request.protocol());
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    context.put("requestId", requestId);
    context.put("routeKey", routeKey);
    context.put("stage", "$default");
    context.put("time", REQUEST_TIME.format(now));
    context.put("timeEpoch", now.toEpochMilli());
    if (request.body().length > 0) {
      boolean text = isText(headers.get("content-type"));
      event.put(
          "body",
          text
              ? new String(request.body(), StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(request.body()));
      event.put("isBase64Encoded", !text);
    } else {
      event.put("isBase64Encoded", false);
    }
    if (!match.pathParameters().isEmpty()) {
      ObjectNode p = event.putObject("pathParameters");
      match.pathParameters().forEach(p::put);
    }
    return event;
  }

  /** Query parameters decoded, repeated names joined with commas (format 2.0). */
  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.merge(name, value, (a, b) -> a + "," + b);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return s;
    }
  }

  /** Bodies of these types reach the function as text; others base64-encoded. */
  static boolean isText(String contentType) {
    if (contentType == null) {
      return true;
    }
    String ct = contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith("text/")
        || ct.contains("json")
        || ct.contains("xml")
        || ct.contains("javascript")
        || ct.contains("x-www-form-urlencoded");
  }

  /**
   * The HTTP response of an invocation's result, as API Gateway maps a format 2.0 answer. A
   * throttled invocation is 429, a failed one 500, and so is an answer whose {@code statusCode},
   * {@code headers}, {@code cookies} or {@code body} is of the wrong type.
   */
  public static Response response(InvocationResult result) {
    if (result.throttled()) {
      return TOO_MANY_REQUESTS;
    }
    if (result.failed()) {
      return INTERNAL_ERROR;
    }
    JsonNode answer;
    try {
      answer = Json.mapper().readTree(result.payload());
    } catch (IOException e) {
      return INTERNAL_ERROR;
    }
    if (answer == null || answer.isMissingNode()) {
      return simple(""); // an empty answer: an empty 200
    }
    if (!answer.isObject() || !answer.has("statusCode")) {
      return simple(answer.isTextual() ? answer.asText() : answer.toString());
    }
    JsonNode status = answer.get("statusCode");
    if (!status.canConvertToInt() || !status.isIntegralNumber()) {
      return INTERNAL_ERROR;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    JsonNode single = answer.path("headers");
    JsonNode multi = answer.path("multiValueHeaders");
    JsonNode cookies = answer.path("cookies");
    JsonNode body = answer.path("body");
    if (!(single.isMissingNode() || single.isNull() || single.isObject())
        || !(multi.isMissingNode() || multi.isNull() || multi.isObject())
        || !(cookies.isMissingNode() || cookies.isNull() || cookies.isArray())
        || !(body.isMissingNode() || body.isNull() || body.isTextual())) {
      return INTERNAL_ERROR;
    }
    single
        .fields()
        .forEachRemaining(e -> headers.add(Map.entry(e.getKey(), e.getValue().asText())));
    multi
        .fields()
        .forEachRemaining(
            e -> e.getValue().forEach(v -> headers.add(Map.entry(e.getKey(), v.asText()))));
    cookies.forEach(c -> headers.add(Map.entry("set-cookie", c.asText())));
    byte[] bytes = new byte[0];
    if (body.isTextual()) {
      if (answer.path("isBase64Encoded").asBoolean(false)) {
        try {
          bytes = Base64.getDecoder().decode(body.asText());
        } catch (IllegalArgumentException e) {
          return INTERNAL_ERROR;
        }
      } else {
        bytes = body.asText().getBytes(StandardCharsets.UTF_8);
      }
    }
    return new Response(status.asInt(), headers, bytes);
  }

  private static Response simple(String body) {
    return new Response(
        200,
        List.of(Map.entry("content-type", "application/json")),
        body.getBytes(StandardCharsets.UTF_8));
  }
}
