package com.cdp.realtime.subscribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.aws.SnapStartPriming;
import com.cdp.model.config.EnvReader;
import com.cdp.model.event.Topic;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.ServerFrames;
import com.cdp.model.session.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One function behind two APIs: the WebSocket API's {@code $default} route (client frames {@code
 * subscribe}, {@code unsubscribe}, {@code ping}; the reply frame is the route response) and the
 * HTTP API's {@code GET/PUT/DELETE /realtime/subscriptions[/{topic}]} with {@code Authorization:
 * Bearer TOKEN}. Lambda hands it raw JSON; a {@code requestContext.connectionId} tells the two
 * event shapes apart.
 */
public final class SubscribeHandler implements RequestStreamHandler {
  private final SubscriptionService service;
  private final CatchUpService catchUp;
  private final PlatformLogger logger;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public SubscribeHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "ws-subscribe", this::prime);
  }

  /**
   * SnapStart priming: a subscribe frame from a connection that is not registered (frame parsing,
   * one read, the error frame; nothing written).
   */
  void prime() {
    service.onFrame(
        "snapStartPriming=",
        "{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\"]}");
  }

  private SubscribeHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.catchUp(), wiring.logger());
  }

  /** Used by tests and the local platform. */
  public SubscribeHandler(
      SubscriptionService service, CatchUpService catchUp, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    JsonNode event = Json.tree(new String(input.readAllBytes(), StandardCharsets.UTF_8));
    Object response;
    if (event.path("requestContext").hasNonNull("connectionId")) {
      response =
          handleWebSocket(Json.mapper().treeToValue(event, APIGatewayV2WebSocketEvent.class));
    } else {
      response = handleHttp(Json.mapper().treeToValue(event, APIGatewayV2HTTPEvent.class));
    }
    output.write(Json.writeBytes(response));
  }

  // ---- WebSocket $default -----------------------------------------------------------------------

  /** A client frame; the response body is the frame sent back to the client. */
  public APIGatewayV2WebSocketResponse handleWebSocket(APIGatewayV2WebSocketEvent event) {
    String connectionId =
        event.getRequestContext() == null ? null : event.getRequestContext().getConnectionId();
    String correlation = header(event.getHeaders(), "x-transaction-id");
    try {
      String body = event.getBody();
      if (event.isIsBase64Encoded()) {
        body = null; // binary frames are not part of the protocol
      }
      SubscriptionService.Reply reply = service.onFrame(connectionId, body);
      try (RequestLog log =
          logger.open(
              LogType.APP,
              reply.session().map(s -> s.organization().value()).orElse(null),
              correlation)) {
        log.put("route", "$default");
        reply.session().ifPresent(s -> log.put("memberId", s.member().value()));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("connectionId", String.valueOf(connectionId));
        if (reply.succeeded()) {
          log.event(reply.action(), reply.action() + " handled", detail);
        } else {
          // The code only: error messages may quote what the client sent.
          detail.put("code", reply.errorCode());
          log.failure(reply.action(), "frame refused", detail);
        }
      }
      return frame(reply.frame());
    } catch (RuntimeException e) {
      try (RequestLog log = logger.open(LogType.APP, null, correlation)) {
        log.failure(
            "frame",
            "frame failed",
            Map.of("connectionId", String.valueOf(connectionId), "error", e.getClass().getName()));
      }
      return frame(ServerFrames.error("internal_error", "the frame could not be handled; retry"));
    } finally {
      logger.flush();
    }
  }

  private static APIGatewayV2WebSocketResponse frame(String body) {
    APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
    response.setStatusCode(200);
    response.setBody(body);
    return response;
  }

  // ---- REST ---------------------------------------------------------------------------------

  /**
   * {@code GET /realtime/subscriptions}, {@code PUT|DELETE /realtime/subscriptions/{topic}} and
   * {@code GET /realtime/events} (catch-up).
   */
  public APIGatewayV2HTTPResponse handleHttp(APIGatewayV2HTTPEvent event) {
    Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
    String correlation = header(headers, "x-transaction-id");
    String method =
        event.getRequestContext() != null && event.getRequestContext().getHttp() != null
            ? event.getRequestContext().getHttp().getMethod()
            : null;
    if (CATCH_UP_ROUTE.equals(event.getRouteKey())) {
      return handleCatchUp(event, headers, correlation);
    }
    String topic =
        event.getPathParameters() == null ? null : event.getPathParameters().get("topic");
    String route = method + " /realtime/subscriptions" + (topic == null ? "" : "/{topic}");
    try {
      Session session;
      try {
        session = service.authenticate(bearer(header(headers, "authorization")));
      } catch (ApiError e) {
        try (RequestLog log = logger.open(LogType.APP, null, correlation)) {
          log.put("route", route).put("httpStatus", e.status());
          log.failure("authenticate", e.getMessage(), Map.of("code", e.code()));
        }
        return error(e);
      }
      try (RequestLog log = logger.open(LogType.APP, session.organization().value(), correlation)) {
        log.put("route", route).put("memberId", session.member().value());
        try {
          List<Topic> topics = rest(method, topic, session);
          log.put("httpStatus", 200);
          log.event(
              action(method),
              "subscriptions " + action(method),
              Map.of("topics", topics.stream().map(Topic::detailType).toList()));
          return topics(topics);
        } catch (ApiError e) {
          log.put("httpStatus", e.status());
          log.failure(action(method), "request refused", Map.of("code", e.code()));
          return error(e);
        }
      }
    } catch (RuntimeException e) {
      return error(new ApiError(500, "internal_error", "the request could not be completed"));
    } finally {
      logger.flush();
    }
  }

  /** The route key of the catch-up route ({@code Triggers.ROUTES}). */
  static final String CATCH_UP_ROUTE = "GET /realtime/events";

  /** {@code GET /realtime/events?since=&topic=&limit=&cursor=}: kept events after a position. */
  private APIGatewayV2HTTPResponse handleCatchUp(
      APIGatewayV2HTTPEvent event, Map<String, String> headers, String correlation) {
    try {
      Session session;
      try {
        session = service.authenticate(bearer(header(headers, "authorization")));
      } catch (ApiError e) {
        try (RequestLog log = logger.open(LogType.APP, null, correlation)) {
          log.put("route", CATCH_UP_ROUTE).put("httpStatus", e.status());
          log.failure("authenticate", e.getMessage(), Map.of("code", e.code()));
        }
        return error(e);
      }
      try (RequestLog log = logger.open(LogType.APP, session.organization().value(), correlation)) {
        log.put("route", CATCH_UP_ROUTE).put("memberId", session.member().value());
        try {
          CatchUpService.Page page = catchUp.events(session, event.getQueryStringParameters());
          log.put("httpStatus", 200);
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("events", page.events().size());
          detail.put("more", page.nextCursor().isPresent());
          detail.put("oldest", page.oldest());
          detail.put("continuityLost", page.continuityLost());
          log.event("catchUp", "catch-up page served", detail);
          return json(200, Json.write(page.body()));
        } catch (ApiError e) {
          log.put("httpStatus", e.status());
          log.failure("catchUp", "request refused", Map.of("code", e.code()));
          return error(e);
        }
      }
    } catch (RuntimeException e) {
      return error(new ApiError(500, "internal_error", "the request could not be completed"));
    } finally {
      logger.flush();
    }
  }

  private List<Topic> rest(String method, String topic, Session session) {
    String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
    if (topic == null) {
      if (m.equals("GET")) {
        return service.list(session);
      }
    } else if (m.equals("PUT")) {
      return service.subscribe(session, topic);
    } else if (m.equals("DELETE")) {
      return service.unsubscribe(session, topic);
    }
    throw new ApiError(
        405,
        "method_not_allowed",
        "use GET /realtime/subscriptions or PUT/DELETE /realtime/subscriptions/{topic}");
  }

  private static String action(String method) {
    return switch (method == null ? "" : method.toUpperCase(Locale.ROOT)) {
      case "PUT" -> "subscribe";
      case "DELETE" -> "unsubscribe";
      default -> "list";
    };
  }

  private static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return value.substring(7).strip();
    }
    return "";
  }

  private static APIGatewayV2HTTPResponse topics(List<Topic> topics) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("topics");
    topics.forEach(t -> list.add(t.detailType()));
    return json(200, Json.write(body));
  }

  private static APIGatewayV2HTTPResponse json(int status, String body) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store"))
        .withBody(body)
        .build();
  }

  private static APIGatewayV2HTTPResponse error(ApiError e) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    if (e.status() == 401) {
      headers.put("WWW-Authenticate", "Bearer");
    }
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(e.status())
        .withHeaders(headers)
        .withBody(Json.write(Map.of("code", e.code(), "message", e.getMessage())))
        .build();
  }

  private static String header(Map<String, String> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (var e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
