package com.cdp.http;

import com.cdp.logging.TransactionIds;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP API request as a route sees it: the matched route key, the host it was sent to,
 * lower-cased headers, path and query parameters and the body (base64 already decoded, within the
 * edge's size limit).
 */
public final class HttpRequest {
  private final String route;
  private final String method;
  private final String host;
  private final Map<String, String> headers;
  private final Map<String, String> path;
  private final Map<String, String> query;
  private final String body;

  HttpRequest(
      String route,
      String method,
      String host,
      Map<String, String> headers,
      Map<String, String> path,
      Map<String, String> query,
      String body) {
    this.route = route;
    this.method = method;
    this.host = host;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.path = Collections.unmodifiableMap(new LinkedHashMap<>(path));
    this.query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    this.body = body;
  }

  /** The route key this request matched, e.g. {@code GET /links/{code}}. */
  public String route() {
    return route;
  }

  /** The HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** The host the request was sent to (the custom domain on a custom domain). */
  public String host() {
    return host;
  }

  /** A header, by name in any case, or {@code null}. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** All headers, names lower-cased. */
  public Map<String, String> headers() {
    return headers;
  }

  /** A path parameter of the route, or {@code null}. */
  public String path(String name) {
    return path.get(name);
  }

  /** A query parameter; empty when absent or empty. */
  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
  }

  /** All query parameters as API Gateway decoded them. */
  public Map<String, String> queryParameters() {
    return query;
  }

  /** The body as text, or {@code null} (none, or base64 that does not decode). */
  public String body() {
    return body;
  }

  /**
   * The body as a JSON object, or a 400 {@code invalid_body} saying what is wrong with it (missing,
   * not JSON, not an object).
   */
  public JsonNode jsonObject() {
    if (body == null || body.isBlank()) {
      throw ApiError.badRequest("invalid_body", "a JSON body is required");
    }
    JsonNode node;
    try {
      node = Json.tree(body);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_body", "the body is not valid JSON");
    }
    if (!node.isObject()) {
      throw ApiError.badRequest("invalid_body", "the body must be a JSON object");
    }
    return node;
  }

  /**
   * The token of an {@code Authorization: Bearer TOKEN} header, or {@code null} without the header.
   * A header with another scheme is passed on whole, so it is refused as malformed rather than as
   * missing.
   */
  public String bearerToken() {
    String authorization = header("authorization");
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return value.substring(7).strip();
    }
    if (value.equalsIgnoreCase("Bearer")) {
      return "";
    }
    return value;
  }

  /** The caller's {@code x-transaction-id} as given (the request log validates it). */
  public String transactionId() {
    return TransactionIds.fromHeaders(headers);
  }
}
