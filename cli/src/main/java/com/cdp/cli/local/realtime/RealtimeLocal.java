package com.cdp.cli.local.realtime;

import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.LocalService;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import com.cdp.model.cursor.SignedCursors;
import com.cdp.model.realtime.MemberStreams;
import com.cdp.model.realtime.RealtimeStore;
import com.cdp.model.session.SessionService;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import com.cdp.realtime.connect.ConnectHandler;
import com.cdp.realtime.connect.ConnectionService;
import com.cdp.realtime.relay.AccountOwners;
import com.cdp.realtime.relay.ConnectionsApi;
import com.cdp.realtime.relay.RelayHandler;
import com.cdp.realtime.relay.RelayService;
import com.cdp.realtime.subscribe.CatchUpService;
import com.cdp.realtime.subscribe.SubscribeHandler;
import com.cdp.realtime.subscribe.SubscriptionService;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/**
 * The realtime area on the local platform: a WebSocket API at {@code
 * ws://127.0.0.1:PORT/realtime?token=...} calling the production {@code ws-connect} and {@code
 * ws-subscribe} handlers, the REST routes {@code /realtime/subscriptions} and {@code
 * /realtime/events} (catch-up, cursors signed with the local secret {@link #CURSOR_SECRET}) of
 * {@link Triggers#ROUTES}, the API Gateway Management API at {@code /_aws/realtime}, and the
 * production relay subscribed on the local bus with {@link Triggers#RELAY_ACCOUNT_EVENTS}, posting
 * through the real SDK client to that Management API.
 */
public final class RealtimeLocal implements LocalService {
  /** Where clients connect. */
  public static final String WEBSOCKET_PATH = "/realtime";

  /** The local secret {@code GET /realtime/events} cursors are signed with. */
  public static final String CURSOR_SECRET = "realtime-cursor-key";

  /** Where the Management API ({@code /@connections/{id}}) is served. */
  public static final String MANAGEMENT_PATH = "/_aws/realtime";

  /**
   * How the local WebSocket API behaves: API Gateway's idle timeout and connection lifetime
   * (shortened by tests), the relay's concurrency, and optionally a logger of its own (tests use an
   * in-memory one to read what was logged).
   */
  public record Options(
      Duration idleTimeout,
      Duration maxConnectionDuration,
      int relayConcurrency,
      Optional<PlatformLogger> logger,
      Duration replayWindow,
      int maxConnectionsPerSession) {
    public Options {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(maxConnectionDuration, "maxConnectionDuration");
      Objects.requireNonNull(logger, "logger");
      Objects.requireNonNull(replayWindow, "replayWindow");
    }

    /**
     * API Gateway's limits: 10 minutes idle, 2 hours in all; 16 posts in flight; events kept 24
     * hours; 5 connections per session.
     */
    public static Options defaults() {
      return new Options(
          Duration.ofMinutes(10),
          Duration.ofHours(2),
          16,
          Optional.empty(),
          MemberStreams.DEFAULT_WINDOW,
          5);
    }

    public Options withLimits(Duration idle, Duration maxDuration) {
      return new Options(
          idle, maxDuration, relayConcurrency, logger, replayWindow, maxConnectionsPerSession);
    }

    public Options withRelayConcurrency(int concurrency) {
      return new Options(
          idleTimeout,
          maxConnectionDuration,
          concurrency,
          logger,
          replayWindow,
          maxConnectionsPerSession);
    }

    public Options withLogger(PlatformLogger platformLogger) {
      return new Options(
          idleTimeout,
          maxConnectionDuration,
          relayConcurrency,
          Optional.of(platformLogger),
          replayWindow,
          maxConnectionsPerSession);
    }

    public Options withMaxConnectionsPerSession(int max) {
      return new Options(
          idleTimeout, maxConnectionDuration, relayConcurrency, logger, replayWindow, max);
    }
  }

  private final Options options;
  private LocalPlatform platform;
  private PlatformLogger logger;
  private RealtimeStore store;
  private LocalWebSocketApi webSocketApi;
  private ExecutorService postingPool;
  private volatile RelayService relayService;
  private volatile RelayHandler relayHandler;
  private ApiGatewayManagementApiClient managementClient;

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
  public void start(LocalPlatform platform) {
    this.platform = platform;
    Clock clock = Clock.systemUTC();
    logger = options.logger().orElse(platform.logger());
    SessionService sessions =
        new SessionService(platform.dynamoDb(), platform.tableName(Tables.SESSIONS), clock);
    store = new RealtimeStore(platform.dynamoDb(), platform.tableName(Tables.REALTIME), clock);
    MemberStreams streams = store.streams(options.replayWindow());
    // The relay (and its pump and Management API client) is built on first use, once the gateway
    // has its port; $connect closes over-limit connections and $default runs the pump through it.
    ConnectionService.Closer closer =
        (id, frame) -> {
          ConnectionsApi api = new ConnectionsApi(managementClient());
          api.post(id, frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          return api.close(id);
        };
    ConnectHandler connect =
        new ConnectHandler(
            new ConnectionService(
                sessions, store, streams, closer, options.maxConnectionsPerSession(), clock),
            logger);
    SubscribeHandler subscribe =
        new SubscribeHandler(
            new SubscriptionService(
                sessions, store, streams, (o, m) -> relay().pump().pump(o, m), clock),
            new CatchUpService(
                store,
                streams,
                new SignedCursors(
                    platform.secrets().get(CURSOR_SECRET), clock, CatchUpService.CURSOR_TTL)),
            logger);

    webSocketApi =
        new LocalWebSocketApi(
            connect::handle,
            subscribe::handleWebSocket,
            (name, task) -> platform.work().submit(name, task),
            options.idleTimeout(),
            options.maxConnectionDuration());
    platform.gateway().servlet(WEBSOCKET_PATH, webSocketApi.webSocketServlet());
    platform.gateway().servlet(MANAGEMENT_PATH + "/*", webSocketApi.managementServlet());

    for (Triggers.Route route : Triggers.ROUTES) {
      if (route.function().equals(Triggers.Functions.WS_SUBSCRIBE)) {
        platform.gateway().route(route, subscribe::handleHttp);
      }
    }
    platform
        .eventBus()
        .subscribe(Triggers.RELAY_ACCOUNT_EVENTS, json -> relayHandler().handle(json));
  }

  /** Built on first use: the Management API's URL is known once the gateway has its port. */
  private synchronized ApiGatewayManagementApiClient managementClient() {
    if (managementClient == null) {
      managementClient =
          AwsClients.build(
              ApiGatewayManagementApiClient.builder(), AwsTarget.local(managementEndpoint()));
    }
    return managementClient;
  }

  /** The relay, built on first use (see {@link #managementClient()}). */
  private RelayService relay() {
    RelayService r = relayService;
    if (r == null) {
      synchronized (this) {
        if (relayService == null) {
          postingPool = RelayHandler.postingPool(options.relayConcurrency());
          relayService =
              new RelayService(
                  store,
                  AccountOwners.warehouse(
                      platform.dynamoDb(), platform.tableName(Tables.WAREHOUSE)),
                  new ConnectionsApi(managementClient()),
                  postingPool,
                  RelayService.Settings.defaults().withReplayWindow(options.replayWindow()),
                  Clock.systemUTC());
          relayHandler = new RelayHandler(relayService, logger);
        }
        r = relayService;
      }
    }
    return r;
  }

  private RelayHandler relayHandler() {
    relay();
    return relayHandler;
  }

  /** The Management API endpoint, as a stage's callback URL would be in AWS. */
  public URI managementEndpoint() {
    return URI.create(platform.gatewayUrl() + MANAGEMENT_PATH);
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
    if (postingPool != null) {
      postingPool.shutdownNow();
    }
    if (managementClient != null) {
      managementClient.close();
    }
  }
}
