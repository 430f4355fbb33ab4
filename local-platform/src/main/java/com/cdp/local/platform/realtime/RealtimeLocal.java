package com.cdp.local.platform.realtime;

import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.platform.TemplateHttpApis;
import com.cdp.local.template.LocalTemplate;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.wiring.Triggers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The realtime area on the local platform, from the template: the template's WebSocket API at
 * {@code ws://127.0.0.1:PORT/realtime?token=...} ({@code $connect}/{@code $disconnect} and the
 * routes its route selection expression picks, each invoking the function the template names), the
 * routes of the template's HTTP APIs that invoke ws-subscribe ({@code /realtime/subscriptions}, the
 * catch-up {@code GET /realtime/events}), and the API Gateway Management API ({@code
 * /@connections/{id}}) of the API's stage below {@code /STAGE} on the gateway. This area claims
 * ws-connect, ws-subscribe and relay-message, so the platform runs the template's EventBridge rule
 * of the relay (pattern, retry policy, dead-letter queue) and its invoke configuration; each
 * function runs from its {@code -lambda.jar} in the platform's function pool with the template's
 * environment, whose {@code REALTIME_MANAGEMENT_ENDPOINT} (the stage's callback URL) the platform
 * points at this gateway's {@code @connections} through the IAM front door.
 *
 * <p>What API Gateway itself decides stays here, on the gateway side: its idle timeout and
 * connection lifetime ({@link Options}), and the ways a connection ends without the client closing
 * it ({@link #drop}).
 */
public final class RealtimeLocal implements LocalService {
  /** Where clients connect. */
  public static final String WEBSOCKET_PATH = "/realtime";

  /** The template's secret {@code GET /realtime/events} cursors are signed with. */
  public static final String CURSOR_SECRET = "cdp/local/realtime-cursor-key";

  /** The template functions this area's flow runs (short names). */
  static final List<String> FUNCTIONS =
      List.of(
          Triggers.Functions.WS_CONNECT,
          Triggers.Functions.WS_SUBSCRIBE,
          Triggers.Functions.RELAY_MESSAGE);

  /**
   * How the local WebSocket API behaves where API Gateway decides: its idle timeout and connection
   * lifetime (shortened by tests). The functions' own settings (relay concurrency, claim lease,
   * replay window, connections per session) are the template's environment; {@link
   * #withRelayConcurrency} and {@link #withMaxConnectionsPerSession} replace a value of it, as a
   * template with another value would (benchmarks).
   */
  public record Options(
      Duration idleTimeout,
      Duration maxConnectionDuration,
      Optional<Integer> relayConcurrency,
      Optional<Integer> maxConnectionsPerSession) {
    public Options {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(maxConnectionDuration, "maxConnectionDuration");
      Objects.requireNonNull(relayConcurrency, "relayConcurrency");
      Objects.requireNonNull(maxConnectionsPerSession, "maxConnectionsPerSession");
    }

    /** API Gateway's limits: 10 minutes idle, 2 hours in all; the template's environment. */
    public static Options defaults() {
      return new Options(
          Duration.ofMinutes(10), Duration.ofHours(2), Optional.empty(), Optional.empty());
    }

    public Options withLimits(Duration idle, Duration maxDuration) {
      return new Options(idle, maxDuration, relayConcurrency, maxConnectionsPerSession);
    }

    /** The relay's {@code RELAY_CONCURRENCY} instead of the template's. */
    public Options withRelayConcurrency(int concurrency) {
      return new Options(
          idleTimeout, maxConnectionDuration, Optional.of(concurrency), maxConnectionsPerSession);
    }

    /** ws-connect's {@code MAX_CONNECTIONS_PER_SESSION} instead of the template's. */
    public Options withMaxConnectionsPerSession(int max) {
      return new Options(idleTimeout, maxConnectionDuration, relayConcurrency, Optional.of(max));
    }

    /**
     * No effect: the functions run in their own JVMs and log through the template's log topic into
     * the platform's log store ({@code ./cdp logs}). Kept for callers written for the in-process
     * wiring.
     *
     * @deprecated read the platform's log store instead
     */
    @Deprecated
    public Options withLogger(PlatformLogger ignored) {
      return this;
    }
  }

  private final Options options;
  private LocalPlatform platform;
  private LocalWebSocketApi webSocketApi;
  private String stage;

  public RealtimeLocal() {
    this(Options.defaults());
  }

  public RealtimeLocal(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return "realtime";
  }

  @Override
  public List<String> templateFunctions() {
    return FUNCTIONS;
  }

  @Override
  public void start(LocalPlatform platform) {
    this.platform = platform;
    LocalTemplate template = platform.template();
    LocalTemplate.Function connect = templateFunction(template, Triggers.Functions.WS_CONNECT);
    LocalTemplate.Api api = webSocketApi(template, connect);
    stage = stage(connect);
    options
        .relayConcurrency()
        .ifPresent(
            n ->
                platform.overrideEnvironment(
                    Triggers.Functions.RELAY_MESSAGE, "RELAY_CONCURRENCY", Integer.toString(n)));
    options
        .maxConnectionsPerSession()
        .ifPresent(
            n ->
                platform.overrideEnvironment(
                    Triggers.Functions.WS_CONNECT,
                    "MAX_CONNECTIONS_PER_SESSION",
                    Integer.toString(n)));
    TemplateHttpApis.Invoker invoker = TemplateHttpApis.Invoker.of(platform);
    webSocketApi =
        new LocalWebSocketApi(
            new TemplateWebSocketRoutes(api, invoker),
            stage,
            (name, task) -> platform.work().submit(name, task),
            options.idleTimeout(),
            options.maxConnectionDuration());
    platform.gateway().servlet(WEBSOCKET_PATH, webSocketApi.webSocketServlet());
    // The stage's callback URL path: the front door forwards @connections calls here unchanged.
    platform.gateway().servlet("/" + stage + "/*", webSocketApi.managementServlet());
    platform
        .gateway()
        .httpApis(TemplateHttpApis.ofFunction(platform, Triggers.Functions.WS_SUBSCRIBE));
  }

  private static LocalTemplate.Function templateFunction(LocalTemplate template, String name) {
    return template.functions().stream()
        .filter(f -> f.module().orElse("").equals("lambda-" + name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the local template has no " + name));
  }

  /** The template's WebSocket API whose {@code $connect} route invokes ws-connect. */
  private static LocalTemplate.Api webSocketApi(
      LocalTemplate template, LocalTemplate.Function connect) {
    return template.apis().stream()
        .filter(a -> a.protocol().equals("WEBSOCKET"))
        .filter(
            a ->
                a.routes().stream()
                    .anyMatch(
                        r ->
                            r.routeKey().equals("$connect")
                                && LocalTemplate.functionName(r.functionArn())
                                    .equals(connect.name())))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the local template has no WebSocket API whose $connect invokes "
                        + connect.name()));
  }

  /**
   * The stage the functions manage connections on: the path of the callback URL the template gives
   * them ({@code https://API.execute-api.REGION.amazonaws.com/STAGE}).
   */
  static String stage(LocalTemplate.Function connect) {
    String endpoint = connect.environment().get("REALTIME_MANAGEMENT_ENDPOINT");
    if (endpoint == null) {
      throw new IllegalStateException(
          connect.name() + " has no REALTIME_MANAGEMENT_ENDPOINT in the local template");
    }
    String path = URI.create(endpoint).getPath().replaceAll("^/+|/+$", "");
    if (path.isEmpty() || path.contains("/")) {
      throw new IllegalStateException(
          "REALTIME_MANAGEMENT_ENDPOINT of " + connect.name() + " names no stage: " + endpoint);
    }
    return path;
  }

  /**
   * The Management API endpoint on the gateway, as a stage's callback URL is in AWS (the functions
   * reach it through the IAM front door; this URL is the gateway's own, unsigned).
   */
  public URI managementEndpoint() {
    return URI.create(platform.gatewayUrl() + "/" + stage);
  }

  /** The WebSocket URL clients connect to (add {@code ?token=...}). */
  public URI webSocketUrl() {
    return webSocketUrl(platform.gatewayUrl());
  }

  /** The WebSocket URL on a gateway. */
  public static URI webSocketUrl(URI gatewayUrl) {
    return URI.create(gatewayUrl.toString().replaceFirst("^http", "ws") + WEBSOCKET_PATH);
  }

  /** How a connection can end besides the client closing it (for chaos tests). */
  public enum Drop {
    /** The server closes it ({@code DELETE /@connections/{id}}); $disconnect runs. */
    SERVER_CLOSE,
    /** Closed as the idle timeout closes it; $disconnect runs. */
    IDLE,
    /**
     * It vanishes without $disconnect (the network dropped it, the gateway lost it): the socket is
     * aborted and posts to it answer 410 GoneException.
     */
    GONE
  }

  /** The ids of the open WebSocket connections. */
  public List<String> openConnectionIds() {
    return webSocketApi.openConnectionIds();
  }

  /** Ends an open connection as the gateway or the network would (chaos tests). */
  public boolean drop(String connectionId, Drop how) {
    return webSocketApi.drop(connectionId, how);
  }

  /** How many WebSocket connections are open. */
  public int openConnections() {
    return webSocketApi.openConnections();
  }

  @Override
  public List<String> hints(LocalPlatform platform) {
    return List.of(
        "realtime: " + webSocketUrl() + "?token=SESSION_TOKEN",
        "  ./cdp listen --token T --topic account_transactionadded   (REST: "
            + platform.gatewayUrl()
            + "/realtime/subscriptions, "
            + platform.gatewayUrl()
            + "/realtime/events?since=SEQ)");
  }

  @Override
  public void close() {
    if (webSocketApi != null) {
      webSocketApi.close();
    }
  }
}
