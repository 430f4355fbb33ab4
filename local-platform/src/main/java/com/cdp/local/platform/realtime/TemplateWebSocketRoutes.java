package com.cdp.local.platform.realtime;

import com.cdp.local.api.WebSocketRoutes;
import com.cdp.local.platform.TemplateHttpApis;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The routes of a template WebSocket API for {@link LocalWebSocketApi}: each event ({@link
 * WebSocketRoutes}) goes to its route's function through the invoker, and its answer is read as API
 * Gateway reads it — a {@code $connect} answer's {@code statusCode} accepts (2xx) or refuses the
 * upgrade, a message route that returns a response sends its {@code body} back.
 */
public final class TemplateWebSocketRoutes {
  /** A route's function failed: API Gateway answers 500 ($connect) or an error frame. */
  static final class RouteFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    RouteFailed(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final WebSocketRoutes routes;
  private final TemplateHttpApis.Invoker invoker;

  public TemplateWebSocketRoutes(LocalTemplate.Api api, TemplateHttpApis.Invoker invoker) {
    this.routes = new WebSocketRoutes(api);
    this.invoker = Objects.requireNonNull(invoker, "invoker");
  }

  public LocalTemplate.Api api() {
    return routes.api();
  }

  /**
   * Serves the API on the gateway: WebSocket connections at {@code path}, the management API
   * ({@code /@connections/{id}}) below {@code managementPath}, API Gateway's idle and total limits.
   * Closing the result closes every connection.
   */
  public AutoCloseable serve(
      com.cdp.local.platform.LocalGateway gateway,
      String path,
      String managementPath,
      String stage,
      java.util.function.BiConsumer<String, Runnable> async,
      java.time.Duration idleTimeout,
      java.time.Duration maxDuration) {
    LocalWebSocketApi api = new LocalWebSocketApi(this, stage, async, idleTimeout, maxDuration);
    gateway.servlet(path, api.webSocketServlet());
    gateway.servlet(managementPath + "/*", api.managementServlet());
    return api;
  }

  /** The status the {@code $connect} route answers (200 when the API has none). */
  int connect(
      WebSocketRoutes.Connection c,
      Map<String, List<String>> headers,
      Map<String, List<String>> query) {
    Optional<LocalTemplate.Route> route = routes.route("$connect");
    if (route.isEmpty()) {
      return 200;
    }
    JsonNode answer =
        call(
            route.get(),
            routes
                .connectEvent(c, headers, query, UUID.randomUUID().toString(), Instant.now())
                .toString());
    JsonNode status = answer.path("statusCode");
    return status.canConvertToInt() ? status.asInt() : 200;
  }

  /**
   * The frame a message is answered with, if any: the route's response body, or API Gateway's error
   * when no route takes the message.
   */
  Optional<String> message(
      WebSocketRoutes.Connection c, String body, boolean base64, String requestId) {
    Optional<LocalTemplate.Route> route = base64 ? routes.route("$default") : routes.select(body);
    if (route.isEmpty()) {
      return Optional.of(
          Json.write(
              Map.of(
                  "message",
                  "Forbidden",
                  "connectionId",
                  c.connectionId(),
                  "requestId",
                  requestId)));
    }
    JsonNode answer =
        call(
            route.get(),
            routes
                .messageEvent(
                    c,
                    route.get().routeKey(),
                    body,
                    base64,
                    requestId,
                    UUID.randomUUID().toString(),
                    Instant.now())
                .toString());
    if (!route.get().returnsResponse()) {
      return Optional.empty();
    }
    JsonNode reply = answer.has("statusCode") || answer.has("body") ? answer.path("body") : answer;
    if (reply.isMissingNode() || reply.isNull()) {
      return Optional.empty();
    }
    return Optional.of(reply.isTextual() ? reply.asText() : reply.toString());
  }

  /** Runs {@code $disconnect}, if the API has it; its answer is ignored, as in AWS. */
  void disconnect(WebSocketRoutes.Connection c, int status, String reason) {
    routes
        .route("$disconnect")
        .ifPresent(
            r ->
                call(
                    r,
                    routes
                        .disconnectEvent(
                            c, status, reason, UUID.randomUUID().toString(), Instant.now())
                        .toString()));
  }

  private JsonNode call(LocalTemplate.Route route, String event) {
    InvocationResult result =
        invoker.invoke(route.functionArn(), event.getBytes(StandardCharsets.UTF_8));
    if (result.throttled()) {
      throw new RouteFailed(429, "throttled");
    }
    if (result.failed()) {
      throw new RouteFailed(
          500, "the route's function failed (request " + result.requestId() + ")");
    }
    try {
      JsonNode answer = Json.mapper().readTree(result.payload());
      return answer == null ? Json.object() : answer;
    } catch (IOException e) {
      throw new RouteFailed(500, "the route's function answered no JSON");
    }
  }
}
