package com.cdp.local.platform;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.local.standin.Ports;
import com.cdp.local.standin.StandInException;
import com.cdp.model.json.Json;
import com.cdp.model.wiring.Triggers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local API Gateway: one Jetty port serving the HTTP API routes (as {@link
 * APIGatewayV2HTTPEvent}s to the production handlers), the small AWS APIs the platform calls
 * (EventBridge PutEvents, the WebSocket management API) and WebSocket endpoints. Areas register
 * routes and servlets before {@link #start()}.
 */
public final class LocalGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);

  /** Largest request body accepted (API Gateway's payload limit is 10 MB). */
  static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

  private final Server server;
  private final ServletContextHandler context;
  private final List<RegisteredRoute> routes = new CopyOnWriteArrayList<>();
  private final List<TemplateHttpApis> templateApis = new CopyOnWriteArrayList<>();
  private final int requestedPort;

  private record RegisteredRoute(
      Triggers.Route route,
      UriTemplatePathSpec spec,
      Predicate<String> host,
      HttpHandler handler) {}

  LocalGateway(int port) {
    this.requestedPort = port;
    this.server = new Server(new InetSocketAddress("127.0.0.1", port));
    this.context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath("/");
    JettyWebSocketServletContainerInitializer.configure(context, null);
    // DNS-rebinding guard: only local Host names (see LocalHostOnly)
    context.addFilter(
        new org.eclipse.jetty.servlet.FilterHolder(new LocalHostOnly()),
        "/*",
        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new RouteServlet()), "/*");
    server.setHandler(context);
  }

  /** Serves an HTTP API route on any host. */
  public void route(Triggers.Route route, HttpHandler handler) {
    route(route, host -> true, handler);
  }

  /** Serves an HTTP API route for requests whose Host (without port) passes the predicate. */
  public void route(Triggers.Route route, Predicate<String> host, HttpHandler handler) {
    routes.add(new RegisteredRoute(route, new UriTemplatePathSpec(route.path()), host, handler));
    // Most specific first, as API Gateway chooses: fewer variables, then longer templates.
    List<RegisteredRoute> sorted = new ArrayList<>(routes);
    sorted.sort(
        Comparator.comparingInt((RegisteredRoute r) -> r.spec().getVariableCount())
            .thenComparing(r -> -r.route().path().length()));
    routes.clear();
    routes.addAll(sorted);
  }

  /**
   * Serves the template's HTTP APIs (issue 14): their routes are tried before the routes registered
   * by hand with {@link #route}.
   */
  public void httpApis(TemplateHttpApis apis) {
    templateApis.add(apis);
  }

  /** Adds a servlet (e.g. a WebSocket endpoint or an AWS API stand-in) at a path spec. */
  public void servlet(String pathSpec, HttpServlet servlet) {
    context.addServlet(new ServletHolder(servlet), pathSpec);
  }

  public ServletContextHandler context() {
    return context;
  }

  void start() {
    Ports.requireFree(requestedPort, "gateway");
    try {
      server.start();
    } catch (Exception e) {
      throw new StandInException(
          "cannot start the local gateway on port " + requestedPort + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private final class RouteServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      for (TemplateHttpApis apis : templateApis) {
        if (apis.serve(request, response)) {
          return;
        }
      }
      String path = request.getRequestURI();
      String host = hostWithoutPort(request.getHeader("Host"));
      boolean pathMatched = false;
      for (RegisteredRoute r : routes) {
        if (!r.spec().matches(path) || !r.host().test(host)) {
          continue;
        }
        pathMatched = true;
        if (!r.route().method().equalsIgnoreCase(request.getMethod())) {
          continue;
        }
        invoke(r, request, response);
        return;
      }
      int status = pathMatched ? 405 : 404;
      writeJson(
          response, status, Map.of("message", pathMatched ? "Method Not Allowed" : "Not Found"));
    }

    private void invoke(RegisteredRoute r, HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        writeJson(response, 413, Map.of("message", "Request Entity Too Large"));
        return;
      }
      APIGatewayV2HTTPEvent event = toEvent(r, request, body);
      APIGatewayV2HTTPResponse result;
      try {
        result = r.handler().handle(event);
      } catch (RuntimeException e) {
        // As API Gateway does when a function fails: a bare 500, nothing of the error to the
        // caller.
        LOG.error("{} {} failed: {}", r.route().method(), r.route().path(), e.toString());
        writeJson(response, 500, Map.of("message", "Internal Server Error"));
        return;
      }
      write(response, result);
    }
  }

  static String hostWithoutPort(String host) {
    if (host == null) {
      return "";
    }
    int colon = host.lastIndexOf(':');
    return (colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host)
        .toLowerCase(Locale.ROOT);
  }

  private static APIGatewayV2HTTPEvent toEvent(
      RegisteredRoute r, HttpServletRequest request, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(
          name.toLowerCase(Locale.ROOT),
          String.join(",", Collections.list(request.getHeaders(name))));
    }
    Map<String, String> query = new LinkedHashMap<>();
    request.getParameterMap().forEach((k, v) -> query.put(k, String.join(",", v)));
    String path = request.getRequestURI();
    Map<String, String> pathParameters = r.spec().getPathParams(path);
    boolean text = isText(headers.get("content-type"));
    String requestId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(r.route().method() + " " + r.route().path())
        .withRawPath(path)
        .withRawQueryString(request.getQueryString() == null ? "" : request.getQueryString())
        .withHeaders(headers)
        .withQueryStringParameters(query.isEmpty() ? null : query)
        .withPathParameters(
            pathParameters == null || pathParameters.isEmpty() ? null : pathParameters)
        .withBody(
            body.length == 0
                ? null
                : text
                    ? new String(body, StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(body))
        .withIsBase64Encoded(body.length > 0 && !text)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId(requestId)
                .withRouteKey(r.route().method() + " " + r.route().path())
                .withStage("$default")
                .withDomainName(hostWithoutPort(request.getHeader("Host")))
                .withTimeEpoch(now.toEpochMilli())
                .withTime(
                    DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
                        .withZone(ZoneOffset.UTC)
                        .format(now))
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(request.getMethod())
                        .withPath(path)
                        .withProtocol(request.getProtocol())
                        .withSourceIp(request.getRemoteAddr())
                        .withUserAgent(headers.get("user-agent"))
                        .build())
                .build())
        .build();
  }

  private static boolean isText(String contentType) {
    if (contentType == null) {
      return true;
    }
    String ct = contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith("text/")
        || ct.contains("json")
        || ct.contains("xml")
        || ct.contains("x-www-form-urlencoded");
  }

  private static void write(HttpServletResponse response, APIGatewayV2HTTPResponse result)
      throws IOException {
    response.setStatus(result.getStatusCode() == 0 ? 200 : result.getStatusCode());
    if (result.getHeaders() != null) {
      result.getHeaders().forEach(response::setHeader);
    }
    if (result.getMultiValueHeaders() != null) {
      result
          .getMultiValueHeaders()
          .forEach((k, values) -> values.forEach(v -> response.addHeader(k, v)));
    }
    if (result.getBody() != null) {
      byte[] bytes =
          result.getIsBase64Encoded()
              ? Base64.getDecoder().decode(result.getBody())
              : result.getBody().getBytes(StandardCharsets.UTF_8);
      if (response.getContentType() == null) {
        response.setContentType("application/json");
      }
      response.getOutputStream().write(bytes);
    }
  }

  static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getOutputStream().write(Json.writeBytes(body));
  }
}
