package com.cdp.cli.local.realtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.cdp.local.api.WebSocketRoutes;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.ServerFrames;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WebSocketListener;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.eclipse.jetty.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for an API Gateway WebSocket API: it accepts connections, turns the handshake,
 * each text frame and the close into {@link APIGatewayV2WebSocketEvent}s for the {@code $connect},
 * {@code $default} and {@code $disconnect} routes (a non-2xx {@code $connect} answer refuses the
 * handshake with that status; the {@code $default} answer's body is sent back, as a route response
 * does), and serves the API Gateway Management API ({@code POST/GET/DELETE /@connections/{id}}, 410
 * for unknown connections) so the production relay's SDK client posts to it unchanged. Like API
 * Gateway it closes idle connections (10 minutes) and every connection after 2 hours.
 */
final class LocalWebSocketApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalWebSocketApi.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  /** API Gateway's limit for one message posted to a connection (and received from it). */
  static final int MAX_MESSAGE_BYTES = ServerFrames.MAX_MESSAGE_BYTES;

  static final String STAGE = "local";

  private final Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> connectRoute;
  private final Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> defaultRoute;
  private final BiConsumer<String, Runnable> async;

  /** The template's routes (issue 14); null when the routes are in-process functions. */
  private final TemplateWebSocketRoutes template;

  private final String stage;
  private final Duration idleTimeout;
  private final Duration maxDuration;
  private final Map<String, Connection> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "realtime-connection-limit");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param connectRoute the {@code $connect}/{@code $disconnect} function
   * @param defaultRoute the {@code $default} function
   * @param async runs {@code $disconnect} invocations in the background (named task, runnable)
   */
  LocalWebSocketApi(
      Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> connectRoute,
      Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> defaultRoute,
      BiConsumer<String, Runnable> async,
      Duration idleTimeout,
      Duration maxDuration) {
    this.connectRoute = Objects.requireNonNull(connectRoute, "connectRoute");
    this.defaultRoute = Objects.requireNonNull(defaultRoute, "defaultRoute");
    this.async = Objects.requireNonNull(async, "async");
    this.template = null;
    this.stage = STAGE;
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration");
  }

  /**
   * The template's WebSocket API: {@code $connect}, {@code $disconnect}, the custom routes and
   * {@code $default} are the functions its routes name, chosen by its route selection expression.
   *
   * @param stage the stage the events name (the template's stage, e.g. {@code live})
   */
  LocalWebSocketApi(
      TemplateWebSocketRoutes template,
      String stage,
      BiConsumer<String, Runnable> async,
      Duration idleTimeout,
      Duration maxDuration) {
    this.template = Objects.requireNonNull(template, "template");
    this.stage = Objects.requireNonNull(stage, "stage");
    this.connectRoute =
        e -> {
          throw new IllegalStateException("template routes");
        };
    this.defaultRoute = connectRoute;
    this.async = Objects.requireNonNull(async, "async");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration");
  }

  /** How many connections are open right now. */
  int openConnections() {
    return open.size();
  }

  /** The ids of the open connections. */
  List<String> openConnectionIds() {
    return List.copyOf(open.keySet());
  }

  /** Ends an open connection the given way; false if it is not open. */
  boolean drop(String connectionId, RealtimeLocal.Drop how) {
    Connection c = open.get(connectionId);
    if (c == null) {
      return false;
    }
    switch (how) {
      case SERVER_CLOSE -> c.close(StatusCode.NORMAL, "Closed by the server");
      case IDLE -> c.close(StatusCode.SHUTDOWN, "Idle timeout");
      case GONE -> c.vanish();
    }
    return true;
  }

  // ---- the WebSocket endpoint -----------------------------------------------------------------

  HttpServlet webSocketServlet() {
    return new JettyWebSocketServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(idleTimeout);
        factory.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
        factory.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
        factory.setCreator(LocalWebSocketApi.this::handshake);
      }
    };
  }

  private Object handshake(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
    String connectionId = newConnectionId();
    Instant now = Instant.now();
    String sourceIp = ip(request.getRemoteSocketAddress());
    String userAgent = request.getHeader("User-Agent");
    if (template != null) {
      return templateHandshake(request, response, connectionId, now, sourceIp, userAgent);
    }
    APIGatewayV2WebSocketEvent event =
        event("$connect", "CONNECT", connectionId, now, now, sourceIp, userAgent);
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
    request
        .getHeaders()
        .forEach(
            (name, values) -> {
              headers.put(name, String.join(",", values));
              multiHeaders.put(name, List.copyOf(values));
            });
    event.setHeaders(headers);
    event.setMultiValueHeaders(multiHeaders);
    Map<String, String> query = new LinkedHashMap<>();
    Map<String, List<String>> multiQuery = new LinkedHashMap<>();
    request
        .getParameterMap()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                query.put(name, values.get(values.size() - 1));
                multiQuery.put(name, List.copyOf(values));
              }
            });
    event.setQueryStringParameters(query.isEmpty() ? null : query);
    event.setMultiValueQueryStringParameters(multiQuery.isEmpty() ? null : multiQuery);
    APIGatewayV2WebSocketResponse result;
    try {
      result = connectRoute.apply(event);
    } catch (RuntimeException e) {
      // The event carries the token: log the failure's type only.
      LOG.error("$connect failed: {}", e.getClass().getName());
      refuse(response, 500, "Internal server error");
      return null;
    }
    int status = result == null || result.getStatusCode() == 0 ? 200 : result.getStatusCode();
    if (status / 100 != 2) {
      refuse(
          response,
          status,
          status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "Refused");
      return null;
    }
    return new Connection(connectionId, now, sourceIp, userAgent);
  }

  private Object templateHandshake(
      JettyServerUpgradeRequest request,
      JettyServerUpgradeResponse response,
      String connectionId,
      Instant now,
      String sourceIp,
      String userAgent) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    request.getParameterMap().forEach((name, values) -> query.put(name, List.copyOf(values)));
    int status;
    try {
      status =
          template.connect(
              connection(connectionId, now, sourceIp, userAgent, request.getHeader("Host")),
              request.getHeaders(),
              query);
    } catch (TemplateWebSocketRoutes.RouteFailed e) {
      LOG.error("$connect failed: {}", e.getMessage());
      refuse(response, e.status, e.status == 429 ? "Too Many Requests" : "Internal server error");
      return null;
    }
    if (status / 100 != 2) {
      refuse(
          response,
          status,
          status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "Refused");
      return null;
    }
    return new Connection(connectionId, now, sourceIp, userAgent);
  }

  private WebSocketRoutes.Connection connection(
      String id, Instant connectedAt, String sourceIp, String userAgent, String host) {
    String domain = host == null ? "127.0.0.1" : host.replaceFirst(":\\d+$", "");
    return new WebSocketRoutes.Connection(id, connectedAt, sourceIp, userAgent, domain, stage);
  }

  private static void refuse(JettyServerUpgradeResponse response, int status, String message) {
    try {
      response.sendError(status, message);
    } catch (IOException e) {
      LOG.debug("could not send the refusal: {}", e.toString());
    }
  }

  static String newConnectionId() {
    byte[] bytes = new byte[11];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().encodeToString(bytes);
  }

  private static String ip(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress()
        : "127.0.0.1";
  }

  private static APIGatewayV2WebSocketEvent event(
      String routeKey,
      String eventType,
      String connectionId,
      Instant connectedAt,
      Instant now,
      String sourceIp,
      String userAgent) {
    APIGatewayV2WebSocketEvent.RequestIdentity identity =
        new APIGatewayV2WebSocketEvent.RequestIdentity();
    identity.setSourceIp(sourceIp);
    identity.setUserAgent(userAgent);
    APIGatewayV2WebSocketEvent.RequestContext context =
        new APIGatewayV2WebSocketEvent.RequestContext();
    context.setRouteKey(routeKey);
    context.setEventType(eventType);
    context.setConnectionId(connectionId);
    context.setConnectedAt(connectedAt.toEpochMilli());
    context.setRequestTimeEpoch(now.toEpochMilli());
    context.setRequestTime(REQUEST_TIME.format(now));
    context.setRequestId(UUID.randomUUID().toString());
    context.setExtendedRequestId(context.getRequestId());
    context.setMessageDirection("IN");
    context.setStage(STAGE);
    context.setApiId("local");
    context.setDomainName("127.0.0.1");
    context.setIdentity(identity);
    APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
    event.setRequestContext(context);
    event.setIsBase64Encoded(false);
    return event;
  }

  /** One accepted connection: the Jetty endpoint that feeds frames to the routes. */
  final class Connection implements WebSocketListener {
    private final String id;
    private final Instant connectedAt;
    private final String sourceIp;
    private final String userAgent;
    private volatile Instant lastActiveAt;
    private volatile Session session;
    private volatile ScheduledFuture<?> limit;

    Connection(String id, Instant connectedAt, String sourceIp, String userAgent) {
      this.id = id;
      this.connectedAt = connectedAt;
      this.sourceIp = sourceIp;
      this.userAgent = userAgent;
      this.lastActiveAt = connectedAt;
    }

    private volatile String host;

    @Override
    public void onWebSocketConnect(Session session) {
      this.session = session;
      this.host = session.getUpgradeRequest().getHeader("Host");
      open.put(id, this);
      limit =
          timers.schedule(
              () -> close(StatusCode.SHUTDOWN, "Going away"),
              maxDuration.toMillis(),
              TimeUnit.MILLISECONDS);
    }

    @Override
    public void onWebSocketText(String message) {
      route(message, false);
    }

    @Override
    public void onWebSocketBinary(byte[] payload, int offset, int length) {
      route(
          Base64.getEncoder()
              .encodeToString(java.util.Arrays.copyOfRange(payload, offset, offset + length)),
          true);
    }

    private void route(String body, boolean base64) {
      Instant now = Instant.now();
      lastActiveAt = now;
      if (template != null) {
        String requestId = UUID.randomUUID().toString();
        try {
          template
              .message(
                  connection(id, connectedAt, sourceIp, userAgent, host), body, base64, requestId)
              .ifPresent(this::send);
        } catch (TemplateWebSocketRoutes.RouteFailed e) {
          LOG.error("a message route failed for connection {}: {}", id, e.getMessage());
          ObjectNode error = Json.object();
          error.put("message", e.status == 429 ? "Too Many Requests" : "Internal server error");
          error.put("connectionId", id);
          error.put("requestId", requestId);
          send(Json.write(error));
        }
        return;
      }
      APIGatewayV2WebSocketEvent event =
          event("$default", "MESSAGE", id, connectedAt, now, sourceIp, userAgent);
      event.getRequestContext().setMessageId(UUID.randomUUID().toString());
      event.setBody(body);
      event.setIsBase64Encoded(base64);
      APIGatewayV2WebSocketResponse result;
      try {
        result = defaultRoute.apply(event);
      } catch (RuntimeException e) {
        LOG.error("$default failed for connection {}: {}", id, e.getClass().getName());
        ObjectNode error = Json.object();
        error.put("message", "Internal server error");
        error.put("connectionId", id);
        error.put("requestId", event.getRequestContext().getRequestId());
        send(Json.write(error));
        return;
      }
      if (result != null && result.getBody() != null) {
        send(result.getBody());
      }
    }

    private volatile boolean vanished;

    /** Gone without $disconnect: forgotten first (posts get 410), then the socket aborted. */
    void vanish() {
      vanished = true;
      open.remove(id, this);
      Session s = session;
      if (s != null) {
        s.disconnect();
      }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
      open.remove(id, this);
      ScheduledFuture<?> l = limit;
      if (l != null) {
        l.cancel(false);
      }
      if (vanished) {
        return;
      }
      if (template != null) {
        WebSocketRoutes.Connection c = connection(id, connectedAt, sourceIp, userAgent, host);
        async.accept("$disconnect " + id, () -> template.disconnect(c, statusCode, reason));
        return;
      }
      Instant now = Instant.now();
      APIGatewayV2WebSocketEvent event =
          event("$disconnect", "DISCONNECT", id, connectedAt, now, sourceIp, userAgent);
      async.accept("$disconnect " + id, () -> connectRoute.apply(event));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      LOG.debug("connection {}: {}", id, cause.toString());
    }

    void send(String text) {
      Session s = session;
      if (s == null || !s.isOpen()) {
        return;
      }
      s.getRemote()
          .sendString(
              text,
              new WriteCallback() {
                @Override
                public void writeFailed(Throwable x) {
                  LOG.debug("connection {}: write failed: {}", id, x.toString());
                }
              });
    }

    void close(int status, String reason) {
      Session s = session;
      if (s != null) {
        s.close(status, reason);
      }
    }
  }

  // ---- the Management API -------------------------------------------------------------------

  /** {@code POST|GET|DELETE /@connections/{id}} below the servlet's path. */
  HttpServlet managementServlet() {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String prefix = "/@connections/";
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
          error(response, 404, "NotFoundException", "unknown path");
          return;
        }
        String id = path.substring(prefix.length());
        Connection connection = open.get(id);
        if (connection == null) {
          error(response, 410, "GoneException", null);
          return;
        }
        switch (request.getMethod()) {
          case "POST" -> post(connection, request, response);
          case "GET" -> describe(connection, response);
          case "DELETE" -> {
            connection.close(StatusCode.NORMAL, "Closed by the server");
            response.setStatus(204);
          }
          default -> error(response, 405, "MethodNotAllowedException", "use POST, GET or DELETE");
        }
      }
    };
  }

  private static void post(
      Connection connection, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    byte[] data = request.getInputStream().readNBytes(MAX_MESSAGE_BYTES + 1);
    if (data.length > MAX_MESSAGE_BYTES) {
      error(response, 413, "PayloadTooLargeException", "the message exceeds 128 KB");
      return;
    }
    connection.send(new String(data, StandardCharsets.UTF_8));
    response.setStatus(200);
  }

  private static void describe(Connection connection, HttpServletResponse response)
      throws IOException {
    ObjectNode body = Json.object();
    body.put("connectedAt", connection.connectedAt.toString());
    body.put("lastActiveAt", connection.lastActiveAt.toString());
    ObjectNode identity = body.putObject("identity");
    identity.put("sourceIp", connection.sourceIp);
    if (connection.userAgent != null) {
      identity.put("userAgent", connection.userAgent);
    }
    response.setStatus(200);
    response.setContentType("application/json");
    response.getOutputStream().write(Json.writeBytes(body));
  }

  private static void error(HttpServletResponse response, int status, String type, String message)
      throws IOException {
    response.setStatus(status);
    response.setHeader("x-amzn-ErrorType", type);
    response.setContentType("application/json");
    ObjectNode body = Json.object();
    if (message != null) {
      body.put("message", message);
    }
    response.getOutputStream().write(Json.writeBytes(body));
  }

  /** Closes every open connection (as a stage going away would) and stops the timers. */
  @Override
  public void close() {
    for (Connection c : open.values()) {
      c.close(StatusCode.SHUTDOWN, "Going away");
    }
    timers.shutdownNow();
  }
}
