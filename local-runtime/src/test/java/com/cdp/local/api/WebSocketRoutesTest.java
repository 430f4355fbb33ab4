package com.cdp.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.local.template.CloudAssembly;
import com.cdp.local.template.LocalTemplate;
import com.cdp.local.template.SynthesizedAssembly;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Route selection and the events of a WebSocket API, on the real template and hand-made APIs. */
class WebSocketRoutesTest {
  private static final Instant CONNECTED = Instant.parse("2026-12-03T13:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-03T13:00:05Z");
  private static final WebSocketRoutes.Connection CONNECTION =
      new WebSocketRoutes.Connection(
          "Ab12Cd34Ef5=", CONNECTED, "127.0.0.1", "ws-test", "realtime.localhost", "live");

  private static WebSocketRoutes api(String expression, String... routeKeys) {
    return new WebSocketRoutes(
        new LocalTemplate.Api(
            "Ws",
            "hand-made-ws",
            "WEBSOCKET",
            Optional.of(expression),
            java.util.Arrays.stream(routeKeys)
                .map(k -> new LocalTemplate.Route(k, "fn-" + k, Optional.empty()))
                .toList(),
            List.of()));
  }

  private static String selected(WebSocketRoutes routes, String message) {
    return routes.select(message).map(LocalTemplate.Route::routeKey).orElse("(none)");
  }

  @Test
  void realtimeApi_fromTheTemplate_routesEveryActionToDefault_andConnectToWsConnect() {
    LocalTemplate template = CloudAssembly.read(SynthesizedAssembly.path());
    LocalTemplate.Api api =
        template.apis().stream()
            .filter(a -> a.protocol().equals("WEBSOCKET"))
            .findFirst()
            .orElseThrow();
    WebSocketRoutes routes = new WebSocketRoutes(api);

    // The realtime API has no custom routes: subscribe, ping... all reach ws-subscribe.
    LocalTemplate.Route subscribe = routes.select("{\"action\":\"subscribe\"}").orElseThrow();
    assertThat(subscribe.routeKey()).isEqualTo("$default");
    assertThat(template.function(subscribe.functionArn()).flatMap(f -> f.module()))
        .contains("lambda-ws-subscribe");
    assertThat(selected(routes, "ping")).isEqualTo("$default");
    assertThat(
            routes
                .route("$connect")
                .flatMap(r -> template.function(r.functionArn()))
                .flatMap(f -> f.module()))
        .contains("lambda-ws-connect");
    assertThat(
            routes
                .route("$disconnect")
                .flatMap(r -> template.function(r.functionArn()))
                .flatMap(f -> f.module()))
        .contains("lambda-ws-connect");
    assertThat(api.domains()).containsExactly("realtime.localhost");
    assertThat(subscribe.returnsResponse()).as("$default replies to the client").isTrue();
    assertThat(routes.route("$connect").orElseThrow().returnsResponse()).isFalse();
  }

  @Test
  void selection_usesTheExpressionsValue_elseDefault() {
    WebSocketRoutes routes = api("$request.body.action", "subscribe", "$default", "$connect");

    assertThat(selected(routes, "{\"action\":\"subscribe\",\"topics\":[]}")).isEqualTo("subscribe");
    assertThat(selected(routes, "{\"action\":\"unknown\"}")).isEqualTo("$default");
    assertThat(selected(routes, "{\"topics\":[]}")).isEqualTo("$default");
    assertThat(selected(routes, "not json")).isEqualTo("$default");
    assertThat(selected(routes, "{\"action\":\"$connect\"}"))
        .as("only API Gateway's own events select $connect")
        .isEqualTo("$default");
  }

  @Test
  void selection_withoutDefault_andNoMatch_isEmpty() {
    WebSocketRoutes routes = api("$request.body.action", "subscribe");

    assertThat(selected(routes, "{\"action\":\"other\"}")).isEqualTo("(none)");
    assertThat(selected(routes, "[1,2]")).isEqualTo("(none)");
  }

  @Test
  void selection_wrappedVariablesWithStaticText_andNestedPaths() {
    WebSocketRoutes routes =
        api("${request.body.service}/${request.body.action}", "chat/join", "$default");
    WebSocketRoutes nested = api("$request.body.meta.kinds[1]", "b", "$default");
    WebSocketRoutes numeric = api("$request.body.version", "2", "$default");

    assertThat(selected(routes, "{\"service\":\"chat\",\"action\":\"join\"}"))
        .isEqualTo("chat/join");
    assertThat(selected(routes, "{\"service\":\"chat\"}")).isEqualTo("$default");
    assertThat(selected(nested, "{\"meta\":{\"kinds\":[\"a\",\"b\"]}}")).isEqualTo("b");
    assertThat(selected(numeric, "{\"version\":2}")).isEqualTo("2");
  }

  @Test
  void anExpressionThatIsNotOnTheBody_isRefused() {
    assertThatThrownBy(() -> api("$request.header.x", "$default"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$request.header.x");
  }

  @Test
  void connectEvent_hasHeadersQueryAndTheConnectionsContext() {
    WebSocketRoutes routes = api("$request.body.action", "$connect", "$default");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("realtime.localhost"));
    headers.put("Sec-WebSocket-Protocol", List.of("a", "b"));
    JsonNode event =
        routes.connectEvent(
            CONNECTION, headers, Map.of("token", List.of("old", "T")), "req-1", NOW);

    assertThat(event.path("headers").path("Host").asText()).isEqualTo("realtime.localhost");
    assertThat(event.path("headers").path("Sec-WebSocket-Protocol").asText()).isEqualTo("a,b");
    assertThat(event.path("multiValueHeaders").path("Sec-WebSocket-Protocol")).hasSize(2);
    assertThat(event.path("queryStringParameters").path("token").asText()).isEqualTo("T");
    assertThat(event.path("multiValueQueryStringParameters").path("token")).hasSize(2);
    JsonNode context = event.path("requestContext");
    assertThat(context.path("routeKey").asText()).isEqualTo("$connect");
    assertThat(context.path("eventType").asText()).isEqualTo("CONNECT");
    assertThat(context.path("connectionId").asText()).isEqualTo("Ab12Cd34Ef5=");
    assertThat(context.path("connectedAt").asLong()).isEqualTo(CONNECTED.toEpochMilli());
    assertThat(context.path("requestTimeEpoch").asLong()).isEqualTo(NOW.toEpochMilli());
    assertThat(context.path("requestTime").asText()).isEqualTo("03/Dec/2026:13:00:05 +0000");
    assertThat(context.path("domainName").asText()).isEqualTo("realtime.localhost");
    assertThat(context.path("stage").asText()).isEqualTo("live");
    assertThat(context.path("apiId").asText()).isEqualTo("hand-made-ws");
    assertThat(context.path("requestId").asText()).isEqualTo("req-1");
    assertThat(context.path("messageDirection").asText()).isEqualTo("IN");
    assertThat(context.path("identity").path("sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(context.has("messageId")).isFalse();
  }

  @Test
  void messageAndDisconnectEvents() {
    WebSocketRoutes routes = api("$request.body.action", "$default");
    JsonNode message =
        routes.messageEvent(
            CONNECTION, "$default", "{\"action\":\"ping\"}", false, "r2", "m2", NOW);
    JsonNode disconnect = routes.disconnectEvent(CONNECTION, 1001, "Going away", "r3", NOW);

    assertThat(message.path("body").asText()).isEqualTo("{\"action\":\"ping\"}");
    assertThat(message.path("isBase64Encoded").asBoolean()).isFalse();
    assertThat(message.path("requestContext").path("eventType").asText()).isEqualTo("MESSAGE");
    assertThat(message.path("requestContext").path("messageId").asText()).isEqualTo("m2");
    assertThat(message.has("headers")).isFalse();
    assertThat(disconnect.path("requestContext").path("eventType").asText())
        .isEqualTo("DISCONNECT");
    assertThat(disconnect.path("requestContext").path("routeKey").asText())
        .isEqualTo("$disconnect");
    assertThat(disconnect.path("requestContext").path("disconnectStatusCode").asInt())
        .isEqualTo(1001);
  }
}
