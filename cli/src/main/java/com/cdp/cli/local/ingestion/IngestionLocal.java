package com.cdp.cli.local.ingestion;

import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.LocalService;
import com.cdp.ingestion.IngestionFiles;
import com.cdp.ingestion.chunker.ChunkLimits;
import com.cdp.ingestion.chunker.ChunkerHandler;
import com.cdp.ingestion.chunker.ChunkerService;
import com.cdp.ingestion.cleanser.CleanserHandler;
import com.cdp.ingestion.loader.LoaderHandler;
import com.cdp.ingestion.loader.LoaderService;
import com.cdp.ingestion.platform.CoreTransactionsClient;
import com.cdp.ingestion.platform.PlatformTransactionsService;
import com.cdp.ingestion.platform.PlatformTxnAddedHandler;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.config.EnvReader;
import com.cdp.model.connector.ConnectorSources;
import com.cdp.model.retry.Backoff;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import com.cdp.warehouse.BatchWriter;
import com.cdp.warehouse.TransactionEvents;
import com.cdp.warehouse.TransactionWritePath;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Transaction ingestion in the local platform: the chunker on files under {@code transactions/},
 * the loader on chunks, platform-announced transactions and the cleanser on their bus rules (from
 * {@link Triggers}), and a simulated core ({@code cdp-core/1/getTransactions}) on the Connector
 * Hub. The production handlers run unchanged; EventBridge goes through the gateway's PutEvents.
 */
public final class IngestionLocal implements LocalService {
  /** The local event bus ignores the bus name; AWS uses the stack's bus. */
  static final String BUS = "local";

  private final UnaryOperator<DynamoDbClient> dynamoDbDecorator;
  private final ChunkLimits limits;

  /** The local environment's Segmint limits (AWS environments set theirs in the stack). */
  static final int SEGMINT_CONCURRENCY = 8;

  static final int SEGMINT_REQUESTS_PER_SECOND = 200;

  private final ConnectorSources connectorSources;
  private final CoreSimulator core = new CoreSimulator(Clock.systemUTC());
  private SegmintSimulator segmint;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public IngestionLocal() {
    this(UnaryOperator.identity(), ChunkLimits.standard());
  }

  /**
   * With the DynamoDB client the functions use wrapped (tests inject throttling and unprocessed
   * items this way) and other chunk limits (tests use small chunks to exercise many chunks).
   */
  public IngestionLocal(UnaryOperator<DynamoDbClient> dynamoDbDecorator, ChunkLimits limits) {
    this(dynamoDbDecorator, limits, null);
  }

  /**
   * With the connector sources each organization accepts announcements from (null: {@code
   * connectorSources} of the repository's {@code config/local.json}, the local environment's
   * counterpart of {@code infra-cdk/environments/ENV.json}).
   */
  public IngestionLocal(
      UnaryOperator<DynamoDbClient> dynamoDbDecorator,
      ChunkLimits limits,
      ConnectorSources connectorSources) {
    this.dynamoDbDecorator = dynamoDbDecorator;
    this.limits = limits;
    this.connectorSources = connectorSources;
  }

  /** {@code connectorSources} of {@code config/local.json} (none when the file has none). */
  static ConnectorSources localConnectorSources(java.nio.file.Path repoRoot) {
    java.nio.file.Path file = repoRoot.resolve(LOCAL_ENVIRONMENT);
    if (!java.nio.file.Files.exists(file)) {
      return ConnectorSources.none();
    }
    try {
      com.fasterxml.jackson.databind.JsonNode sources =
          com.cdp.model.json.Json.tree(java.nio.file.Files.readString(file))
              .path("connectorSources");
      return sources.isMissingNode()
          ? ConnectorSources.none()
          : ConnectorSources.parse(sources.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(LOCAL_ENVIRONMENT + ": " + e.getMessage(), e);
    }
  }

  /** The local environment's settings file, relative to the repository root. */
  public static final java.nio.file.Path LOCAL_ENVIRONMENT =
      java.nio.file.Path.of("config", "local.json");

  @Override
  public String name() {
    return "ingestion";
  }

  /** The Segmint simulator (valid after start), so tests can throttle it and count its calls. */
  public SegmintSimulator segmint() {
    return segmint;
  }

  /** The simulated core, so tests can post an account's transactions. */
  public CoreSimulator core() {
    return core;
  }

  @Override
  public void start(LocalPlatform platform) {
    Clock clock = Clock.systemUTC();
    segmint =
        new SegmintSimulator(
            () -> platform.secrets().get(SegmintSimulator.CREDENTIALS_SECRET), clock);
    DynamoDbClient dynamoDb = dynamoDbDecorator.apply(platform.dynamoDb());
    String warehouse = platform.tableName(Tables.WAREHOUSE);
    IngestionFiles files = new IngestionFiles(dynamoDb, platform.tableName(Tables.INGESTION));
    BatchWriter writer = new BatchWriter(dynamoDb, 8, Backoff.standard());
    closeables.add(writer);
    // The gateway (PutEvents, Connector Hub) has its port only once the platform has started.
    Supplier<TransactionWritePath> writePath =
        memoize(
            () -> {
              EventBridgeClient events =
                  AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget());
              closeables.add(events);
              return new TransactionWritePath(
                  writer, new TransactionEvents(events, BUS, Backoff.standard()), warehouse);
            });

    ChunkerHandler chunker =
        new ChunkerHandler(
            new ChunkerService(platform.s3(), files, platform.buckets(), limits, clock),
            platform.logger());
    platform.onObjectCreated(Triggers.TRANSACTION_FILES, e -> chunker.handleRequest(e, null));

    Supplier<LoaderHandler> loader =
        memoize(
            () ->
                new LoaderHandler(
                    new LoaderService(
                        platform.s3(), files, writePath.get(), platform.buckets(), clock),
                    platform.logger()));
    platform.onObjectCreated(Triggers.TRANSACTION_CHUNKS, e -> loader.get().handleRequest(e, null));

    platform
        .connectorHub()
        .register(
            CoreTransactionsClient.DEFAULT_CONNECTOR,
            CoreTransactionsClient.DEFAULT_VERSION,
            CoreTransactionsClient.METHOD,
            core::getTransactions);
    ConnectorSources sources =
        connectorSources != null ? connectorSources : localConnectorSources(platform.repoRoot());
    Supplier<PlatformTxnAddedHandler> announced =
        memoize(
            () ->
                new PlatformTxnAddedHandler(
                    new PlatformTransactionsService(
                        new CoreTransactionsClient(
                            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
                            platform.hubBaseUrl(),
                            CoreTransactionsClient.DEFAULT_CONNECTOR,
                            CoreTransactionsClient.DEFAULT_VERSION,
                            Duration.ofSeconds(10),
                            com.cdp.model.connector.HubApiKey.fixed(
                                platform
                                    .secrets()
                                    .get(com.cdp.model.connector.HubApiKey.LOCAL_SECRET))),
                        writePath.get(),
                        dynamoDb,
                        platform.tableName(Tables.INGESTION),
                        sources,
                        8,
                        clock),
                    platform.logger()));
    platform
        .eventBus()
        .subscribe(Triggers.CONNECTOR_TRANSACTIONS_ANNOUNCED, json -> announced.get().handle(json));

    // The cleanser runs its production wiring with the variables the stack sets for an
    // environment with Segmint, pointed at the simulator and the local credentials secret.
    platform.secrets().get(SegmintSimulator.CREDENTIALS_SECRET, SegmintSimulator::credentialsJson);
    platform.gateway().servlet(SegmintSimulator.PATH + "/*", segmint.servlet());
    Supplier<CleanserHandler> cleanser =
        memoize(
            () ->
                new CleanserHandler(
                    CleanserHandler.wire(
                        new EnvReader(cleanserEnvironment(platform, warehouse)),
                        platform.secretsTarget(),
                        dynamoDb),
                    platform.logger()));
    platform
        .eventBus()
        .subscribe(Triggers.CLEANSE_ADDED_TRANSACTIONS, json -> cleanser.get().handle(json));
  }

  /** The cleanser's environment locally: Segmint settings pointing at the simulator. */
  static Map<String, String> cleanserEnvironment(LocalPlatform platform, String warehouse) {
    Map<String, String> env = new HashMap<>();
    env.put("CDP_ENV", "local");
    env.put("TABLE_WAREHOUSE", warehouse);
    env.put("SEGMINT_BASE_URL", platform.gatewayUrl() + SegmintSimulator.PATH);
    env.put("SEGMINT_PARTNER_ID", SegmintSimulator.PARTNER_ID);
    env.put("SEGMINT_CREDENTIALS_SECRET", SegmintSimulator.CREDENTIALS_SECRET);
    env.put("SEGMINT_CONCURRENCY", Integer.toString(SEGMINT_CONCURRENCY));
    env.put("SEGMINT_REQUESTS_PER_SECOND", Integer.toString(SEGMINT_REQUESTS_PER_SECOND));
    return env;
  }

  @Override
  public List<String> hints(LocalPlatform platform) {
    return List.of(
        "transactions: ./cdp mock-transactions --org ORG --bad-rows 3 > /tmp/t.csv"
            + " && ./cdp upload --org ORG transactions /tmp/t.csv",
        "  report: s3://ORG-data-delivery/transactions/reports/t.report.json",
        "segmint simulator: "
            + platform.gatewayUrl()
            + SegmintSimulator.PATH
            + " (cleanser's Segmint; POST /_simulator/throttle?requests=N&retryAfter=S for 429s)");
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
