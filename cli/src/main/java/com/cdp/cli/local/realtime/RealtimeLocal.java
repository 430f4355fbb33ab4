package com.cdp.cli.local.realtime;

import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.LocalService;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
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
 * ws-subscribe} handlers, the REST routes {@code /realtime/subscriptions} of {@link
 * Triggers#ROUTES}, the API Gateway Management API at {@code /_aws/realtime}, and the production
 * relay subscribed on the local bus with {@link Triggers#RELAY_ACCOUNT_EVENTS}, posting through the
 * real SDK client to that Management API.
 */
public final class RealtimeLocal implements LocalService {
  /** Where clients connect. */
  public static final String WEBSOCKET_PATH = "/realtime";

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
      Optional<PlatformLogger> logger) {
    public Options {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(maxConnectionDuration, "maxConnectionDuration");
      Objects.requireNonNull(logger, "logger");
    }

    /** API Gateway's limits: 10 minutes idle, 2 hours in all; 16 posts in flight. */
    public static Options defaults() {
      return new Options(Duration.ofMinutes(10), Duration.ofHours(2), 16, Optional.empty());
    }

    public Options withLimits(Duration idle, Duration maxDuration) {
      return new Options(idle, maxDuration, relayConcurrency, logger);
    }

    public Options withRelayConcurrency(int concurrency) {
      return new Options(idleTimeout, maxConnectionDuration, concurrency, logger);
    }

    public Options withLogger(PlatformLogger platformLogger) {
      return new Options(
          idleTimeout, maxConnectionDuration, relayConcurrency, Optional.of(platformLogger));
    }
  }

  private final Options options;
  private LocalPlatform platform;
  private PlatformLogger logger;
  private RealtimeStore store;
  private LocalWebSocketApi webSocketApi;
  private ExecutorService postingPool;
  private volatile RelayHandler relay;
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
    ConnectHandler connect =
        new ConnectHandler(new ConnectionService(sessions, store, clock), logger);
    SubscribeHandler subscribe =
        new SubscribeHandler(new SubscriptionService(sessions, store, clock), logger);

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
    platform.eventBus().subscribe(Triggers.RELAY_ACCOUNT_EVENTS, json -> relay().handle(json));
  }

  /** Built on first use: the Management API's URL is known once the gateway has its port. */
  private RelayHandler relay() {
    RelayHandler r = relay;
    if (r == null) {
      synchronized (this) {
        if (relay == null) {
          managementClient =
              AwsClients.build(
                  ApiGatewayManagementApiClient.builder(), AwsTarget.local(managementEndpoint()));
          postingPool = RelayHandler.postingPool(options.relayConcurrency());
          RelayService.Settings defaults = RelayService.Settings.defaults();
          relay =
              new RelayHandler(
                  new RelayService(
                      store,
                      AccountOwners.warehouse(
                          platform.dynamoDb(), platform.tableName(Tables.WAREHOUSE)),
                      new ConnectionsApi(managementClient),
                      postingPool,
                      defaults,
                      Clock.systemUTC()),
                  logger);
        }
        r = relay;
      }
    }
    return r;
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
            + "/realtime/subscriptions)");
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
