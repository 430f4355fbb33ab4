package com.cdp.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.model.json.Json;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: a status, a body (JSON text, or binary sent base64) and headers. Immutable;
 * {@link #header} and {@link #noStore} return a copy.
 */
public final class HttpResponse {
  private final int status;
  private final String body;
  private final Map<String, String> headers;
  private final boolean base64;

  private HttpResponse(int status, String body, Map<String, String> headers, boolean base64) {
    this.status = status;
    this.body = body;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.base64 = base64;
  }

  /**
   * {@code body} serialized with the platform's one {@code ObjectMapper} (a Jackson tree, a record
   * or a map), {@code Content-Type: application/json}.
   */
  public static HttpResponse json(int status, Object body) {
    return new HttpResponse(
        status, Json.write(body), Map.of("Content-Type", "application/json"), false);
  }

  /** A 200 with a JSON body. */
  public static HttpResponse ok(Object body) {
    return json(200, body);
  }

  /** A redirect without a body. */
  public static HttpResponse redirect(int status, String location) {
    return new HttpResponse(status, null, Map.of("Location", location), false);
  }

  /** Binary content, sent base64 as API Gateway expects. */
  public static HttpResponse binary(int status, byte[] content, String contentType) {
    return new HttpResponse(
        status,
        Base64.getEncoder().encodeToString(content),
        Map.of("Content-Type", contentType),
        true);
  }

  /** The answer to a refusal: {@code {"code","message"}}, never cached. */
  public static HttpResponse error(ApiError error) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", error.code());
    body.put("message", error.getMessage());
    HttpResponse response = json(error.status(), body).noStore();
    for (Map.Entry<String, String> h : error.headers().entrySet()) {
      response = response.header(h.getKey(), h.getValue());
    }
    return response;
  }

  /** A copy with one more header (replacing one of the same name). */
  public HttpResponse header(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new HttpResponse(status, body, more, base64);
  }

  /** A copy with {@code Cache-Control: no-store} (answers that depend on who asks). */
  public HttpResponse noStore() {
    return header("Cache-Control", "no-store");
  }

  public int status() {
    return status;
  }

  public String body() {
    return body;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public boolean base64() {
    return base64;
  }

  APIGatewayV2HTTPResponse toEvent() {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(body)
        .withIsBase64Encoded(base64)
        .build();
  }
}
