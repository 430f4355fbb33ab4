package com.cdp.local.iam;

import com.cdp.local.iam.AwsErrors.Answer;
import com.cdp.local.iam.LocalCredentials.Credentials;
import com.cdp.local.template.LocalTemplate;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.proxy.ProxyServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The one local endpoint every function's AWS SDK calls: it verifies the SigV4 signature, maps the
 * key to the function's execution role, evaluates the role's policies (and the resource's) from the
 * template, and forwards allowed calls to the stand-in that serves the signed-for service
 * (dynalite, S3Proxy, the gateway's own APIs) through Jetty's proxy. Denied calls get AWS's answer.
 */
public final class FrontDoor implements AutoCloseable {
  /** Bodies are read whole (the signature covers them); larger requests are refused. */
  static final int MAX_BODY = 64 * 1024 * 1024;

  /**
   * @param upstreams the base URI (scheme, host, port) serving each signing name ({@code dynamodb},
   *     {@code s3}, {@code events}, {@code sns}, {@code secretsmanager}, {@code ecs}, {@code
   *     execute-api}, ...); the request path is kept
   */
  public record Config(
      String host,
      int port,
      IamMode mode,
      IamPolicies policies,
      LocalTemplate template,
      LocalCredentials credentials,
      Map<String, URI> upstreams,
      Optional<java.nio.file.Path> reportDir) {
    public Config {
      upstreams = Map.copyOf(upstreams);
    }

    /** Without a report directory (tests, benchmarks). */
    public Config(
        String host,
        int port,
        IamMode mode,
        IamPolicies policies,
        LocalTemplate template,
        LocalCredentials credentials,
        Map<String, URI> upstreams) {
      this(host, port, mode, policies, template, credentials, upstreams, Optional.empty());
    }
  }

  private final Server server;
  private final AccessLog log;
  private final Config config;
  private final URI endpoint;

  private final java.util.concurrent.ScheduledExecutorService writer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "iam-access-log");
            t.setDaemon(true);
            return t;
          });

  private FrontDoor(Server server, AccessLog log, Config config, URI endpoint) {
    this.server = server;
    this.log = log;
    this.config = config;
    this.endpoint = endpoint;
    // denials.json/usage.json, for `./cdp iam denials|unused` while the platform runs
    config
        .reportDir()
        .ifPresent(
            dir ->
                writer.scheduleWithFixedDelay(
                    () -> log.writeTo(dir), 1, 1, java.util.concurrent.TimeUnit.SECONDS));
  }

  public static FrontDoor start(Config config) {
    return start(config, Clock.systemUTC());
  }

  static FrontDoor start(Config config, Clock clock) {
    AccessLog log = new AccessLog();
    Authorizer authorizer =
        new Authorizer(
            config.mode(), config.policies(), config.credentials(), actions(config), log, clock);
    Server server = new Server();
    // Keep header values byte for byte as the client signed them: Jetty's header cache otherwise
    // swaps a known value for its cached spelling ("charset=UTF-8" for the SNS SDK's "utf-8").
    org.eclipse.jetty.server.HttpConfiguration http =
        new org.eclipse.jetty.server.HttpConfiguration();
    http.setHeaderCacheCaseSensitive(true);
    ServerConnector connector =
        new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(new Door(authorizer, config.upstreams()));
    holder.setAsyncSupported(true);
    holder.setInitParameter("timeout", "900000");
    holder.setInitParameter("idleTimeout", "900000");
    context.addServlet(holder, "/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // the start failure is the one to report
      }
      throw new IllegalStateException(
          "cannot start the IAM front door on port " + config.port(), e);
    }
    URI endpoint = URI.create("http://" + config.host() + ":" + connector.getLocalPort());
    FrontDoor door = new FrontDoor(server, log, config, endpoint);
    // Every function's key is known from the start, so a function JVM another process starts with
    // the same master key ({@code ./cdp functions invoke}) is recognized too.
    config.template().functions().forEach(f -> door.credentialsFor(f.name()));
    return door;
  }

  private static RequestActions actions(Config config) {
    return actions(config.template(), config.policies());
  }

  /** How requests map to IAM checks on this template (tables' keys, secrets, task roles, APIs). */
  static RequestActions actions(LocalTemplate template, IamPolicies policies) {
    Map<String, String> secrets = new HashMap<>();
    template.secrets().forEach(s -> secrets.put(s.name(), s.arn()));
    RequestActions actions =
        new RequestActions(
            template.region(),
            com.cdp.local.template.Intrinsics.ACCOUNT,
            (table, index) ->
                template.tables().stream()
                    .filter(t -> t.name().equals(table) || table.endsWith(":table/" + t.name()))
                    .findFirst()
                    .flatMap(
                        t ->
                            index.isEmpty()
                                ? Optional.of(t.partitionKey())
                                : t.indexes().stream()
                                    .filter(i -> i.name().equals(index.get()))
                                    .findFirst()
                                    .map(LocalTemplate.Index::partitionKey)),
            secrets,
            policies.taskRoles());
    template.apis().stream()
        .filter(a -> a.protocol().equals("WEBSOCKET"))
        .findFirst()
        .ifPresent(a -> actions.withWebSocketApi(a.name()));
    return actions;
  }

  public URI endpoint() {
    return endpoint;
  }

  public AccessLog accessLog() {
    return log;
  }

  public IamMode mode() {
    return config.mode();
  }

  /**
   * The credentials a function gets as its execution role (as Lambda sets them), or empty for a
   * function the template gives no role.
   */
  public Optional<Credentials> credentialsFor(String functionName) {
    return config
        .policies()
        .roleOfFunction(functionName)
        .map(r -> config.credentials().forFunction(r.name(), r.arn(), functionName));
  }

  /**
   * The environment a function's JVM signs with (for {@code FunctionPool.signAsRoles}): its
   * execution role's key, secret and session token, as Lambda sets them.
   */
  public Optional<Map<String, String>> environmentFor(String functionName) {
    return credentialsFor(functionName).map(Credentials::environment);
  }

  /** The lines {@code ./cdp local} prints at shutdown: each denial with its count. */
  public List<String> denialReport() {
    List<String> lines = new ArrayList<>();
    for (AccessLog.Denial d : log.denials()) {
      lines.add(
          String.format(
              "  %-28s %-36s %s (%dx)", d.function(), d.action(), d.resource(), d.count()));
    }
    return lines;
  }

  @Override
  public void close() {
    writer.shutdownNow();
    config.reportDir().ifPresent(log::writeTo);
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the IAM front door", e);
    }
  }

  /** The servlet: decide, then answer here or let Jetty's proxy forward the buffered request. */
  static final class Door extends ProxyServlet {
    private static final long serialVersionUID = 1L;
    private static final String BODY = Door.class.getName() + ".body";
    private static final String TARGET = Door.class.getName() + ".target";
    private final transient Authorizer authorizer;
    private final transient Map<String, URI> upstreams;

    Door(Authorizer authorizer, Map<String, URI> upstreams) {
      this.authorizer = authorizer;
      this.upstreams = upstreams;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws ServletException, IOException {
      long length = request.getContentLengthLong();
      if (length > MAX_BODY) {
        response.sendError(413);
        return;
      }
      // Jetty frames the body by its Content-Length: read exactly that, in one array
      byte[] body =
          length >= 0
              ? request.getInputStream().readNBytes((int) length)
              : request.getInputStream().readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        response.sendError(413);
        return;
      }
      AwsRequest aws = toAwsRequest(request, body);
      Authorizer.Outcome outcome = authorizer.decide(aws);
      if (!outcome.forward()) {
        write(response, outcome.answer().orElseThrow());
        return;
      }
      URI upstream = upstreams.get(outcome.service());
      if (upstream == null) {
        write(
            response,
            AwsErrors.answer(
                outcome.service(),
                AwsErrors.Kind.MALFORMED,
                "the local platform does not serve '" + outcome.service() + "'"));
        return;
      }
      request.setAttribute(BODY, body);
      request.setAttribute(
          TARGET,
          upstream.toString().replaceAll("/$", "")
              + request.getRequestURI()
              + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
      super.service(request, response);
    }

    @Override
    protected String rewriteTarget(HttpServletRequest request) {
      return (String) request.getAttribute(TARGET);
    }

    @Override
    protected Request.Content proxyRequestContent(
        HttpServletRequest request, HttpServletResponse response, Request proxyRequest) {
      return new BytesRequestContent((byte[]) request.getAttribute(BODY));
    }

    @Override
    protected boolean hasContent(HttpServletRequest request) {
      byte[] body = (byte[]) request.getAttribute(BODY);
      return body != null && body.length > 0;
    }

    private static AwsRequest toAwsRequest(HttpServletRequest request, byte[] body) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String name : Collections.list(request.getHeaderNames())) {
        headers.put(name, Collections.list(request.getHeaders(name)));
      }
      return new AwsRequest(
          request.getMethod(),
          request.getScheme(),
          request.getRequestURI(),
          Optional.ofNullable(request.getQueryString()),
          headers,
          body);
    }

    private static void write(HttpServletResponse response, Answer answer) throws IOException {
      response.setStatus(answer.status());
      response.setContentType(answer.contentType());
      answer.headers().forEach(response::setHeader);
      response.setContentLength(answer.body().length);
      response.getOutputStream().write(answer.body());
    }
  }

  /** For tests: where the front door listens. */
  InetSocketAddress address() {
    return new InetSocketAddress(endpoint.getHost(), endpoint.getPort());
  }
}
