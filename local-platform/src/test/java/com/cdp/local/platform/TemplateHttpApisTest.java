package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.cdp.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The template's HTTP APIs on the gateway: requests reach the route's function as the payload
 * format 2.0 event the Lambda runtime deserializes into {@link APIGatewayV2HTTPEvent} (with the
 * Runtime Interface Client's own serializers), answers become responses, and the Host decides which
 * API serves (the short-link API's custom domains). The "functions" here are in-process stand-ins
 * behind the same invoker the platform's function pool serves.
 */
class TemplateHttpApisTest {
  private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS =
      LambdaEventSerializers.serializerFor(
          APIGatewayV2HTTPEvent.class, TemplateHttpApisTest.class.getClassLoader());
  private static final PojoSerializer<APIGatewayV2HTTPResponse> RESPONSES =
      LambdaEventSerializers.serializerFor(
          APIGatewayV2HTTPResponse.class, TemplateHttpApisTest.class.getClassLoader());

  private static LocalGateway gateway;
  private static final Map<String, APIGatewayV2HTTPEvent> lastEvent = new ConcurrentHashMap<>();

  private static LocalTemplate.Route route(String key, String function) {
    return new LocalTemplate.Route(
        key, "arn:aws:lambda:us-east-1:000000000000:function:" + function, Optional.of("2.0"));
  }

  /** The template's two kinds of HTTP API: one without custom domains, one with. */
  private static final LocalTemplate.Api TRANSACTIONS =
      new LocalTemplate.Api(
          "TransactionsApi",
          "cdp-local-transactions",
          "HTTP",
          Optional.empty(),
          List.of(route("GET /accounts/{accountId}/transactions", "get-transactions")),
          List.of());

  private static final LocalTemplate.Api LINKS =
      new LocalTemplate.Api(
          "LinksApi",
          "cdp-local-links",
          "HTTP",
          Optional.empty(),
          List.of(route("POST /links", "url-shortener"), route("GET /{code}", "url-shortener")),
          List.of("localhost", "*.localhost"));

  private static InvocationResult invoke(String arn, byte[] payload) {
    String function = LocalTemplate.functionName(arn);
    APIGatewayV2HTTPEvent event = EVENTS.fromJson(new ByteArrayInputStream(payload));
    lastEvent.put(function, event);
    String account =
        event.getPathParameters() == null ? "" : event.getPathParameters().get("accountId");
    if ("boom".equals(account)) {
      return new InvocationResult(
          "r1",
          "{\"errorMessage\":\"secret detail\",\"errorType\":\"java.lang.IllegalStateException\"}"
              .getBytes(StandardCharsets.UTF_8),
          Optional.of("Unhandled"));
    }
    if ("busy".equals(account)) {
      return new InvocationResult(
          "r2", "{}".getBytes(StandardCharsets.UTF_8), Optional.of("TooManyRequestsException"));
    }
    if ("simple".equals(account)) {
      return new InvocationResult(
          "r3", "{\"plain\":true}".getBytes(StandardCharsets.UTF_8), Optional.empty());
    }
    APIGatewayV2HTTPResponse response =
        APIGatewayV2HTTPResponse.builder()
            .withStatusCode(function.equals("url-shortener") ? 302 : 200)
            .withHeaders(Map.of("content-type", "application/json", "x-function", function))
            .withCookies(List.of("seen=1"))
            .withBody("{\"function\":\"" + function + "\"}")
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RESPONSES.toJson(response, out);
    return new InvocationResult("r0", out.toByteArray(), Optional.empty());
  }

  @BeforeAll
  static void start() {
    gateway = new LocalGateway(0);
    gateway.httpApis(
        new TemplateHttpApis(List.of(TRANSACTIONS, LINKS), TemplateHttpApisTest::invoke));
    gateway.start();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + pathAndQuery));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRoute_reachesItsFunctionAsTheEventTheRuntimeDeserializes() throws Exception {
    HttpResponse<String> response =
        get(
            "/accounts/A1/transactions?limit=5&type=DEBIT&type=FEE",
            "Authorization",
            "Bearer T",
            "Cookie",
            "a=1; b=2");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-function")).contains("get-transactions");
    assertThat(response.headers().allValues("set-cookie")).containsExactly("seen=1");
    assertThat(Json.tree(response.body()).path("function").asText()).isEqualTo("get-transactions");
    APIGatewayV2HTTPEvent event = lastEvent.get("get-transactions");
    assertThat(event.getVersion()).isEqualTo("2.0");
    assertThat(event.getRouteKey()).isEqualTo("GET /accounts/{accountId}/transactions");
    assertThat(event.getRawPath()).isEqualTo("/accounts/A1/transactions");
    assertThat(event.getRawQueryString()).isEqualTo("limit=5&type=DEBIT&type=FEE");
    assertThat(event.getQueryStringParameters()).containsEntry("type", "DEBIT,FEE");
    assertThat(event.getPathParameters()).isEqualTo(Map.of("accountId", "A1"));
    assertThat(event.getHeaders()).containsEntry("authorization", "Bearer T");
    assertThat(event.getCookies()).containsExactly("a=1", "b=2");
    assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("GET");
    assertThat(event.getRequestContext().getHttp().getSourceIp()).isEqualTo("127.0.0.1");
    assertThat(event.getRequestContext().getStage()).isEqualTo("$default");
    assertThat(event.getRequestContext().getApiId()).isEqualTo("cdp-local-transactions");
    assertThat(event.getRequestContext().getAccountId()).isEqualTo("000000000000");
  }

  @Test
  void failedThrottledAndSimpleAnswers_areMappedAsApiGatewayMapsThem() throws Exception {
    HttpResponse<String> failed = get("/accounts/boom/transactions");
    HttpResponse<String> throttled = get("/accounts/busy/transactions");
    HttpResponse<String> simple = get("/accounts/simple/transactions");

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
    assertThat(simple.statusCode()).isEqualTo(200);
    assertThat(simple.headers().firstValue("content-type")).contains("application/json");
    assertThat(simple.body()).isEqualTo("{\"plain\":true}");
  }

  @Test
  void shortLinkHosts_reachTheLinksApi_andItsRootCodeRouteAnswersOnlyThere() throws Exception {
    int port = gateway.port();
    RawHttp.Response onOrgHost = RawHttp.get(port, "tcu.localhost:" + port, "/Ab3dE6gH");
    RawHttp.Response onBareHost = RawHttp.get(port, "localhost:" + port, "/Ab3dE6gH");
    RawHttp.Response onGateway = RawHttp.get(port, "127.0.0.1:" + port, "/Ab3dE6gH");
    // On a short-link host only the links API answers: not the transactions route.
    RawHttp.Response otherApiOnShortHost =
        RawHttp.get(port, "tcu.localhost:" + port, "/accounts/A1/transactions");

    assertThat(onOrgHost.status()).isEqualTo(302);
    assertThat(onBareHost.status()).isEqualTo(302);
    assertThat(lastEvent.get("url-shortener").getRequestContext().getDomainName())
        .isEqualTo("localhost");
    assertThat(onGateway.status()).isEqualTo(404);
    assertThat(onGateway.body()).contains("Not Found");
    assertThat(otherApiOnShortHost.status()).isEqualTo(404);
  }

  @Test
  void theLinksApisLiteralRoutes_answerOnTheGatewaysAddressToo() throws Exception {
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.url() + "/links"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://example.com\"}"))
                    .header("content-type", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(created.headers().firstValue("x-function")).contains("url-shortener");
    assertThat(lastEvent.get("url-shortener").getBody())
        .isEqualTo("{\"url\":\"https://example.com\"}");
    assertThat(lastEvent.get("url-shortener").getIsBase64Encoded()).isFalse();
  }

  @Test
  void noMatchingRoute_isNotFound() throws Exception {
    HttpResponse<String> response = get("/nothing/here");
    HttpResponse<String> wrongMethod =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.url() + "/links"))
                    .method("PATCH", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(Json.tree(response.body()).path("message").asText()).isEqualTo("Not Found");
    assertThat(wrongMethod.statusCode()).as("HTTP APIs answer 404, not 405").isEqualTo(404);
  }
}
