package com.cdp.local.platform.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.cdp.local.platform.LocalGatewayAccess;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A template WebSocket API on the gateway: the route selection expression chooses each message's
 * function, {@code $connect}'s answer accepts or refuses the upgrade, route responses come back,
 * {@code $disconnect} runs, and the {@code @connections} management API posts, describes and closes
 * connections (410 for unknown ones). The functions are in-process stand-ins behind the invoker the
 * platform's pool serves; they read their events with the Lambda runtime's own serializers, so the
 * events are the ones the deployed handlers deserialize.
 */
class TemplateWebSocketApiTest {
  private static final PojoSerializer<APIGatewayV2WebSocketEvent> EVENTS =
      LambdaEventSerializers.serializerFor(
          APIGatewayV2WebSocketEvent.class, TemplateWebSocketApiTest.class.getClassLoader());

  private static final List<APIGatewayV2WebSocketEvent> events = new CopyOnWriteArrayList<>();
  private static LocalGatewayAccess gateway;
  private static AutoCloseable api;

  private static LocalTemplate.Route route(String key, String function, boolean responds) {
    return new LocalTemplate.Route(
        key,
        "arn:aws:lambda:us-east-1:000000000000:function:" + function,
        Optional.empty(),
        responds);
  }

  /** As the realtime API in the template, plus a custom route. */
  private static final LocalTemplate.Api API =
      new LocalTemplate.Api(
          "WebSocketApi",
          "cdp-local-realtime",
          "WEBSOCKET",
          Optional.of("$request.body.action"),
          List.of(
              route("$connect", "ws-connect", false),
              route("$disconnect", "ws-connect", false),
              route("echo", "ws-echo", true),
              route("$default", "ws-subscribe", true)),
          List.of("realtime.localhost"));

  private static InvocationResult answer(String json) {
    return new InvocationResult("r", json.getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  private static InvocationResult invoke(String arn, byte[] payload) {
    APIGatewayV2WebSocketEvent event = EVENTS.fromJson(new ByteArrayInputStream(payload));
    events.add(event);
    String function = LocalTemplate.functionName(arn);
    var context = event.getRequestContext();
    switch (context.getRouteKey()) {
      case "$connect" -> {
        String token =
            event.getQueryStringParameters() == null
                ? null
                : event.getQueryStringParameters().get("token");
        if ("fail".equals(token)) {
          return new InvocationResult(
              "r",
              "{\"errorMessage\":\"x\"}".getBytes(StandardCharsets.UTF_8),
              Optional.of("Unhandled"));
        }
        return answer("{\"statusCode\":" + ("good".equals(token) ? 200 : 401) + "}");
      }
      case "$disconnect" -> {
        return answer("{\"statusCode\":200}");
      }
      default -> {
        return answer(
            Json.write(
                java.util.Map.of(
                    "statusCode",
                    200,
                    "body",
                    function + " " + context.getRouteKey() + " " + context.getConnectionId())));
      }
    }
  }

  @BeforeAll
  static void start() {
    gateway = LocalGatewayAccess.create();
    api =
        new TemplateWebSocketRoutes(API, TemplateWebSocketApiTest::invoke)
            .serve(
                gateway.gateway(),
                "/realtime",
                "/_aws/realtime",
                "live",
                (name, task) -> new Thread(task, name).start(),
                Duration.ofMinutes(10),
                Duration.ofHours(2));
    gateway.start();
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    gateway.close();
  }

  /** Collects text frames. */
  private static final class Frames implements WebSocket.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      texts.add(data.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closes.add(status);
      return null;
    }
  }

  private static WebSocket connect(String token, Frames frames) throws Exception {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .buildAsync(
            URI.create(
                gateway.gateway().url().toString().replaceFirst("^http", "ws")
                    + "/realtime?token="
                    + token),
            frames)
        .get(10, TimeUnit.SECONDS);
  }

  private static APIGatewayV2WebSocketEvent last(String routeKey) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).getRequestContext().getRouteKey().equals(routeKey)) {
        return events.get(i);
      }
    }
    throw new AssertionError("no " + routeKey + " event");
  }

  @Test
  void connect_acceptedBy2xx_messagesTakeTheirRoutes_andRouteResponsesComeBack() throws Exception {
    Frames frames = new Frames();
    WebSocket ws = connect("good", frames);
    APIGatewayV2WebSocketEvent connect = last("$connect");
    String id = connect.getRequestContext().getConnectionId();

    ws.sendText("{\"action\":\"echo\"}", true).get(5, TimeUnit.SECONDS);
    String echoed = frames.texts.poll(10, TimeUnit.SECONDS);
    ws.sendText("{\"action\":\"subscribe\",\"topics\":[\"x\"]}", true).get(5, TimeUnit.SECONDS);
    String subscribed = frames.texts.poll(10, TimeUnit.SECONDS);
    ws.sendText("not json", true).get(5, TimeUnit.SECONDS);
    String notJson = frames.texts.poll(10, TimeUnit.SECONDS);

    assertThat(connect.getRequestContext().getEventType()).isEqualTo("CONNECT");
    assertThat(connect.getQueryStringParameters()).containsEntry("token", "good");
    assertThat(connect.getRequestContext().getStage()).isEqualTo("live");
    assertThat(connect.getRequestContext().getDomainName()).isEqualTo("127.0.0.1");
    assertThat(connect.getRequestContext().getApiId()).isEqualTo("cdp-local-realtime");
    assertThat(echoed).isEqualTo("ws-echo echo " + id);
    assertThat(subscribed).isEqualTo("ws-subscribe $default " + id);
    assertThat(notJson).isEqualTo("ws-subscribe $default " + id);
    APIGatewayV2WebSocketEvent message = last("$default");
    assertThat(message.getRequestContext().getEventType()).isEqualTo("MESSAGE");
    assertThat(message.getRequestContext().getMessageId()).isNotBlank();
    assertThat(message.getBody()).isEqualTo("not json");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }

  @Test
  void connect_refusedByNon2xx_orAFailedFunction() {
    Frames frames = new Frames();

    assertThatThrownBy(() -> connect("bad", frames))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    assertThatThrownBy(() -> connect("fail", frames))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(500));
  }

  @Test
  void managementApi_postsDescribesAndCloses_thenAnswersGone() throws Exception {
    Frames frames = new Frames();
    connect("good", frames);
    String id = last("$connect").getRequestContext().getConnectionId();
    HttpClient http = HttpClient.newHttpClient();
    URI connection = URI.create(gateway.gateway().url() + "/_aws/realtime/@connections/" + id);

    HttpResponse<String> posted =
        http.send(
            HttpRequest.newBuilder(connection)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"pong\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String received = frames.texts.poll(10, TimeUnit.SECONDS);
    HttpResponse<String> described =
        http.send(HttpRequest.newBuilder(connection).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> deleted =
        http.send(
            HttpRequest.newBuilder(connection).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    Integer closed = frames.closes.poll(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.stream()
            .noneMatch(
                e ->
                    e.getRequestContext().getRouteKey().equals("$disconnect")
                        && e.getRequestContext().getConnectionId().equals(id))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    HttpResponse<String> gone =
        http.send(
            HttpRequest.newBuilder(connection)
                .POST(HttpRequest.BodyPublishers.ofString("late"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(received).isEqualTo("{\"type\":\"pong\"}");
    assertThat(described.statusCode()).isEqualTo(200);
    assertThat(Json.tree(described.body()).path("connectedAt").asText()).isNotBlank();
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(closed).isNotNull();
    APIGatewayV2WebSocketEvent disconnect = last("$disconnect");
    assertThat(disconnect.getRequestContext().getConnectionId()).isEqualTo(id);
    assertThat(disconnect.getRequestContext().getEventType()).isEqualTo("DISCONNECT");
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(gone.headers().firstValue("x-amzn-ErrorType")).contains("GoneException");
  }
}
