package com.cdp.local.platform.realtime;

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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
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
 * The local stand-in for an API Gateway WebSocket API of the template: it accepts connections,
 * turns the handshake, each message and the close into the events of the {@code $connect}, message
 * and {@code $disconnect} routes, invoking the functions the template's routes name ({@link
 * TemplateWebSocketRoutes}; a non-2xx {@code $connect} answer refuses the handshake with that
 * status, a route response's body is sent back), and serves the API Gateway Management API ({@code
 * POST/GET/DELETE /@connections/{id}}, 410 for unknown connections) that the functions' SDK clients
 * call as the stage's callback URL. Like API Gateway it closes idle connections (10 minutes) and
 * every connection after 2 hours; {@link #drop} ends connections as the gateway or the network
 * would.
 */
final class LocalWebSocketApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalWebSocketApi.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** API Gateway's limit for one message posted to a connection (and received from it). */
  static final int MAX_MESSAGE_BYTES = ServerFrames.MAX_MESSAGE_BYTES;

  private final BiConsumer<String, Runnable> async;

  /** The template's routes: which function each event goes to. */
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
      lastActiveAt = Instant.now();
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
      WebSocketRoutes.Connection c = connection(id, connectedAt, sourceIp, userAgent, host);
      async.accept("$disconnect " + id, () -> template.disconnect(c, statusCode, reason));
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
