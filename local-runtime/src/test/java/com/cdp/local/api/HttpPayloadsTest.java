package com.cdp.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The payload format 2.0 event of a request, and the HTTP response of a function's answer. */
class HttpPayloadsTest {
  private static final LocalTemplate.Route ROUTE =
      new LocalTemplate.Route("GET /accounts/{accountId}/transactions", "fn", Optional.of("2.0"));
  private static final Instant NOW = Instant.parse("2026-12-03T13:05:09.123Z");

  private static HttpPayloads.Request request(
      String method, String query, Map<String, List<String>> headers, byte[] body) {
    return new HttpPayloads.Request(
        method,
        "/accounts/A1/transactions",
        query,
        headers,
        body,
        "HTTP/1.1",
        "127.0.0.1",
        "tcu.localhost");
  }

  private static JsonNode event(HttpPayloads.Request request) {
    return HttpPayloads.event(
        request, new HttpApiRouter.Match(ROUTE, Map.of("accountId", "A1")), "api-id", "req-1", NOW);
  }

  @Test
  void event_hasTheFormat20FieldsApiGatewaySends() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Authorization", List.of("Bearer T"));
    headers.put("X-Multi", List.of("a", "b"));
    headers.put("User-Agent", List.of("curl/8"));
    headers.put("Cookie", List.of("a=1; b=2", "c=3"));
    JsonNode event =
        event(request("GET", "limit=5&type=DEBIT&type=FEE&q=caf%C3%A9+x", headers, new byte[0]));

    assertThat(event.path("version").asText()).isEqualTo("2.0");
    assertThat(event.path("routeKey").asText()).isEqualTo(ROUTE.routeKey());
    assertThat(event.path("rawPath").asText()).isEqualTo("/accounts/A1/transactions");
    assertThat(event.path("rawQueryString").asText())
        .isEqualTo("limit=5&type=DEBIT&type=FEE&q=caf%C3%A9+x");
    assertThat(event.path("headers").path("authorization").asText()).isEqualTo("Bearer T");
    assertThat(event.path("headers").path("x-multi").asText()).isEqualTo("a,b");
    assertThat(event.path("headers").has("cookie")).as("cookies have their own field").isFalse();
    assertThat(event.path("cookies"))
        .extracting(JsonNode::asText)
        .containsExactly("a=1", "b=2", "c=3");
    assertThat(event.path("queryStringParameters").path("type").asText()).isEqualTo("DEBIT,FEE");
    assertThat(event.path("queryStringParameters").path("q").asText()).isEqualTo("café x");
    assertThat(event.path("pathParameters").path("accountId").asText()).isEqualTo("A1");
    assertThat(event.has("body")).isFalse();
    assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();

    JsonNode context = event.path("requestContext");
    assertThat(context.path("accountId").asText()).isEqualTo("000000000000");
    assertThat(context.path("apiId").asText()).isEqualTo("api-id");
    assertThat(context.path("domainName").asText()).isEqualTo("tcu.localhost");
    assertThat(context.path("domainPrefix").asText()).isEqualTo("tcu");
    assertThat(context.path("requestId").asText()).isEqualTo("req-1");
    assertThat(context.path("routeKey").asText()).isEqualTo(ROUTE.routeKey());
    assertThat(context.path("stage").asText()).isEqualTo("$default");
    assertThat(context.path("time").asText()).isEqualTo("03/Dec/2026:13:05:09 +0000");
    assertThat(context.path("timeEpoch").asLong()).isEqualTo(NOW.toEpochMilli());
    JsonNode http = context.path("http");
    assertThat(http.path("method").asText()).isEqualTo("GET");
    assertThat(http.path("path").asText()).isEqualTo("/accounts/A1/transactions");
    assertThat(http.path("protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(http.path("sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(http.path("userAgent").asText()).isEqualTo("curl/8");
  }

  @Test
  void event_withoutQueryOrParameters_leavesThoseFieldsOut() {
    JsonNode event =
        HttpPayloads.event(
            request("GET", "", Map.of(), new byte[0]),
            new HttpApiRouter.Match(ROUTE, Map.of()),
            "api-id",
            "req-1",
            NOW);

    assertThat(event.has("queryStringParameters")).isFalse();
    assertThat(event.has("pathParameters")).isFalse();
    assertThat(event.has("cookies")).isFalse();
    assertThat(event.path("rawQueryString").asText()).isEmpty();
  }

  @Test
  void event_textBodyAsIs_binaryBodyBase64() {
    byte[] json = "{\"url\":\"https://example.com\"}".getBytes(StandardCharsets.UTF_8);
    JsonNode text =
        event(request("POST", "", Map.of("Content-Type", List.of("application/json")), json));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0};
    JsonNode binary = event(request("POST", "", Map.of("Content-Type", List.of("image/png")), png));

    assertThat(text.path("body").asText()).isEqualTo("{\"url\":\"https://example.com\"}");
    assertThat(text.path("isBase64Encoded").asBoolean()).isFalse();
    assertThat(Base64.getDecoder().decode(binary.path("body").asText())).isEqualTo(png);
    assertThat(binary.path("isBase64Encoded").asBoolean()).isTrue();
  }

  private static InvocationResult answer(String json) {
    return new InvocationResult("r", json.getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  @Test
  void response_withStatusCode_usesItsHeadersCookiesAndBody() {
    HttpPayloads.Response r =
        HttpPayloads.response(
            answer(
                "{\"statusCode\":302,\"headers\":{\"Location\":\"https://example.com/\"},"
                    + "\"multiValueHeaders\":{\"x-a\":[\"1\",\"2\"]},"
                    + "\"cookies\":[\"s=1; HttpOnly\",\"t=2\"],\"body\":\"moved\"}"));

    assertThat(r.status()).isEqualTo(302);
    assertThat(r.header("location")).isEqualTo("https://example.com/");
    assertThat(r.headers())
        .contains(
            Map.entry("x-a", "1"),
            Map.entry("x-a", "2"),
            Map.entry("set-cookie", "s=1; HttpOnly"),
            Map.entry("set-cookie", "t=2"));
    assertThat(r.bodyText()).isEqualTo("moved");
  }

  @Test
  void response_base64Body_isDecoded() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    HttpPayloads.Response r =
        HttpPayloads.response(
            answer(
                "{\"statusCode\":200,\"headers\":{\"content-type\":\"image/png\"},\"body\":\""
                    + Base64.getEncoder().encodeToString(png)
                    + "\",\"isBase64Encoded\":true}"));

    assertThat(r.body()).isEqualTo(png);
    assertThat(r.header("Content-Type")).isEqualTo("image/png");
  }

  @Test
  void response_withoutStatusCode_isTheSimpleShape() {
    HttpPayloads.Response object = HttpPayloads.response(answer("{\"message\":\"hi\"}"));
    HttpPayloads.Response string = HttpPayloads.response(answer("\"Hello from Lambda!\""));
    HttpPayloads.Response number = HttpPayloads.response(answer("42"));

    assertThat(object.status()).isEqualTo(200);
    assertThat(object.header("content-type")).isEqualTo("application/json");
    assertThat(object.bodyText()).isEqualTo("{\"message\":\"hi\"}");
    assertThat(string.bodyText()).isEqualTo("Hello from Lambda!");
    assertThat(number.bodyText()).isEqualTo("42");
  }

  @Test
  void response_ofAFailedThrottledOrMalformedAnswer_isApiGatewaysOwn() {
    InvocationResult failed =
        new InvocationResult(
            "r",
            "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\"}"
                .getBytes(StandardCharsets.UTF_8),
            Optional.of("Unhandled"));
    InvocationResult throttled =
        new InvocationResult(
            "r", "{}".getBytes(StandardCharsets.UTF_8), Optional.of("TooManyRequestsException"));

    assertThat(HttpPayloads.response(failed).status()).isEqualTo(500);
    assertThat(HttpPayloads.response(failed).bodyText())
        .isEqualTo("{\"message\":\"Internal Server Error\"}")
        .doesNotContain("boom");
    assertThat(HttpPayloads.response(throttled).status()).isEqualTo(429);
    assertThat(HttpPayloads.response(throttled).bodyText())
        .isEqualTo("{\"message\":\"Too Many Requests\"}");
    assertThat(HttpPayloads.response(answer("{\"statusCode\":\"abc\"}")).status()).isEqualTo(500);
    assertThat(HttpPayloads.response(answer("{\"statusCode\":200,\"body\":{\"a\":1}}")).status())
        .isEqualTo(500);
    assertThat(HttpPayloads.response(answer("not json")).status()).isEqualTo(500);
  }
}
