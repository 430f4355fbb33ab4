package com.cdp.realtime.connect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.cdp.aws.SnapStartPriming;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.ValidationException;
import com.cdp.model.config.EnvReader;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.SessionToken;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The WebSocket API's {@code $connect} and {@code $disconnect} routes. {@code $connect} admits the
 * connection only with a valid session token in the query string ({@code ?token=...}); any other
 * answer than 200 makes API Gateway refuse the handshake with that status. The token is never
 * logged or echoed.
 */
public final class ConnectHandler
    implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
  public static final String CONNECT = "$connect";
  public static final String DISCONNECT = "$disconnect";

  private final ConnectionService service;
  private final PlatformLogger logger;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public ConnectHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "ws-connect", this::prime);
  }

  /** SnapStart priming: the refusal path of an unknown session (one read, nothing written). */
  void prime() {
    service.connect("snapStartPriming=", SessionToken.generate());
  }

  private ConnectHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.logger());
  }

  /** Used by tests and the local platform. */
  public ConnectHandler(ConnectionService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public APIGatewayV2WebSocketResponse handleRequest(
      APIGatewayV2WebSocketEvent event, Context context) {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    return handle(event);
  }

  /** Handles one {@code $connect} or {@code $disconnect} event. */
  public APIGatewayV2WebSocketResponse handle(APIGatewayV2WebSocketEvent event) {
    try {
      var context = event.getRequestContext();
      String routeKey = context == null ? null : context.getRouteKey();
      String connectionId = context == null ? null : context.getConnectionId();
      String correlation = header(event, "x-transaction-id");
      if (CONNECT.equals(routeKey)) {
        return connect(connectionId, query(event, "token"), query(event, "since"), correlation);
      }
      if (DISCONNECT.equals(routeKey)) {
        return disconnect(connectionId, correlation);
      }
      try (RequestLog log = logger.open(LogType.APP, null, correlation)) {
        log.failure("route", "unexpected route for ws-connect", Map.of("routeKey", "" + routeKey));
      }
      return response(400, "bad_route", "this function serves $connect and $disconnect only");
    } finally {
      logger.flush();
    }
  }

  private APIGatewayV2WebSocketResponse connect(
      String connectionId, String token, String since, String correlation) {
    ConnectionService.Outcome outcome;
    try {
      outcome = service.connect(connectionId, token, since);
    } catch (ValidationException e) {
      try (RequestLog log = logger.open(LogType.APP, null, correlation)) {
        log.put("route", CONNECT).put("httpStatus", 400);
        log.failure("connect", e.getMessage(), Map.of("code", e.code()));
      }
      return response(400, e.code(), e.getMessage());
    }
    if (outcome instanceof ConnectionService.Refused refused) {
      try (RequestLog log = logger.open(LogType.APP, null, correlation)) {
        log.put("route", CONNECT).put("httpStatus", 401);
        log.failure(
            "connect",
            "connection refused: " + refused.reason().message(),
            Map.of("code", refused.reason().code(), "connectionId", connectionId));
      }
      return response(401, refused.reason().code(), refused.reason().message());
    }
    ConnectionService.Accepted accepted = (ConnectionService.Accepted) outcome;
    WsConnection connection = accepted.connection();
    try (RequestLog log =
        logger.open(LogType.APP, connection.session().organization().value(), correlation)) {
      log.put("route", CONNECT)
          .put("httpStatus", 200)
          .put("memberId", connection.session().member().value());
      Map<String, Object> detail = new java.util.LinkedHashMap<>();
      detail.put("connectionId", connectionId);
      detail.put("expiresAt", connection.expiresAt().toString());
      if (since != null) {
        detail.put("since", since);
      }
      if (!accepted.closed().isEmpty()) {
        detail.put("closedOverLimit", accepted.closed());
      }
      log.event("connect", "connection accepted", detail);
    }
    return ok();
  }

  private APIGatewayV2WebSocketResponse disconnect(String connectionId, String correlation) {
    Optional<WsConnection> removed;
    try {
      removed = service.disconnect(connectionId);
    } catch (ValidationException e) {
      return response(400, e.code(), e.getMessage());
    }
    String org = removed.map(c -> c.session().organization().value()).orElse(null);
    try (RequestLog log = logger.open(LogType.APP, org, correlation)) {
      log.put("route", DISCONNECT);
      removed.ifPresentOrElse(
          c ->
              log.put("memberId", c.session().member().value())
                  .event("disconnect", "connection removed", Map.of("connectionId", connectionId)),
          () ->
              log.event(
                  "disconnect",
                  "connection was not recorded (already removed or expired)",
                  Map.of("connectionId", connectionId)));
    }
    return ok();
  }

  private static APIGatewayV2WebSocketResponse ok() {
    APIGatewayV2WebSocketResponse ok = new APIGatewayV2WebSocketResponse();
    ok.setStatusCode(200);
    return ok;
  }

  private static APIGatewayV2WebSocketResponse response(int status, String code, String message) {
    APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
    response.setStatusCode(status);
    response.setHeaders(Map.of("Content-Type", "application/json"));
    response.setBody(Json.write(Map.of("code", code, "message", message)));
    return response;
  }

  private static String query(APIGatewayV2WebSocketEvent event, String name) {
    Map<String, String> query = event.getQueryStringParameters();
    return query == null ? null : query.get(name);
  }

  private static String header(APIGatewayV2WebSocketEvent event, String name) {
    Map<String, String> headers = event.getHeaders();
    if (headers == null) {
      return null;
    }
    for (var e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
