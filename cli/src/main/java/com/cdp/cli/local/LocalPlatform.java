package com.cdp.cli.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.cdp.local.standin.Dynalite;
import com.cdp.local.standin.LocalResources;
import com.cdp.local.standin.LocalS3;
import com.cdp.local.standin.ObjectCreated;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import com.cdp.model.aws.S3Clients;
import com.cdp.model.config.Buckets;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.TableDefinition;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.joda.time.DateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole platform on one machine: dynalite and S3Proxy with data under the data directory, every
 * table and bucket, one gateway port (HTTP API, WebSocket, PutEvents, Connector Hub simulator), an
 * event bus routing with event-ruler, and S3 object-created notifications, all driving the same
 * handler classes that run in AWS. Areas plug in as {@link LocalService}s.
 */
public final class LocalPlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
  public static final String ENVIRONMENT = "local";

  /** Lambda retries a failed asynchronous invocation twice. */
  static final int S3_ATTEMPTS = 3;

  private final LocalOptions options;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<LocalService> services = new ArrayList<>();
  private final List<S3Registration> s3Registrations = new CopyOnWriteArrayList<>();
  private final AsyncWork work = new AsyncWork(4);
  private final Buckets buckets = Buckets.of(ENVIRONMENT);
  private Dynalite dynalite;
  private LocalS3 s3;
  private DynamoDbClient dynamoDb;
  private S3Client s3Client;
  private LocalGateway gateway;
  private LocalEventBus eventBus;
  private LocalConnectorHub hub;
  private LocalSecrets secrets;
  private PlatformLogger logger;

  private record S3Registration(Triggers.S3Trigger trigger, Consumer<S3Event> handler) {}

  private LocalPlatform(LocalOptions options) {
    this.options = options;
  }

  /** Starts everything with the areas of {@link LocalServices}. */
  public static LocalPlatform start(LocalOptions options) {
    return start(options, LocalServices.all());
  }

  /** Starts the stand-ins, then the given areas, then the gateway. Fails fast and cleans up. */
  public static LocalPlatform start(LocalOptions options, List<LocalService> areas) {
    LocalPlatform platform = new LocalPlatform(options);
    try {
      platform.startInfrastructure();
      for (LocalService area : areas) {
        area.start(platform);
        platform.services.add(area);
      }
      platform.gateway.start();
      return platform;
    } catch (Exception e) {
      platform.close();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private void startInfrastructure() {
    Path data = options.dataDir();
    secrets = new LocalSecrets(data.resolve("secrets"));
    dynalite =
        Dynalite.start(
            options.repoRoot(), options.dynamoDbPort(), Optional.of(data.resolve("dynamodb")));
    closeables.add(dynalite);
    s3 = LocalS3.start(options.s3Port(), Optional.of(data.resolve("s3")), this::objectCreated);
    closeables.add(s3);
    dynamoDb = AwsClients.dynamoDb(dynamoDbTarget());
    s3Client = S3Clients.s3(s3Target());
    for (TableDefinition table : Tables.ALL) {
      LocalResources.createTable(dynamoDb, table, tableName(table));
    }
    LocalResources.createBucket(s3Client, buckets.logs());
    gateway = new LocalGateway(options.gatewayPort());
    eventBus = new LocalEventBus(work, data);
    gateway.servlet("/_aws/events/*", eventBus.servlet());
    gateway.servlet("/_aws/events", eventBus.servlet());
    hub = new LocalConnectorHub(data);
    // As in AWS, every hub call must carry the environment's hub key (docs/OPERATIONS.md).
    hub.requireApiKey(secrets.get(com.cdp.model.connector.HubApiKey.LOCAL_SECRET));
    gateway.servlet(LocalConnectorHub.PATH + "/*", hub.servlet());
    gateway.servlet("/_aws/secretsmanager", new LocalSecretsApi(secrets));
    gateway.servlet("/_aws/secretsmanager/*", new LocalSecretsApi(secrets));
    logger = LocalLogging.create(this);
  }

  /** The areas running, in start order. */
  public List<LocalService> services() {
    return List.copyOf(services);
  }

  public String environment() {
    return ENVIRONMENT;
  }

  public Path dataDir() {
    return options.dataDir();
  }

  public Path repoRoot() {
    return options.repoRoot();
  }

  public Buckets buckets() {
    return buckets;
  }

  public AwsTarget dynamoDbTarget() {
    return AwsTarget.local(dynalite.endpoint());
  }

  public AwsTarget s3Target() {
    return AwsTarget.local(s3.endpoint());
  }

  /**
   * Target for the AWS APIs the gateway serves (EventBridge PutEvents under {@code /_aws/events}).
   */
  public AwsTarget eventsTarget() {
    return AwsTarget.local(URI.create(gatewayUrl() + "/_aws/events"));
  }

  /** Target for Secrets Manager's GetSecretValue, served by the gateway from {@link #secrets()}. */
  public AwsTarget secretsTarget() {
    return AwsTarget.local(URI.create(gatewayUrl() + "/_aws/secretsmanager"));
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public S3Client s3() {
    return s3Client;
  }

  public LocalS3 s3Server() {
    return s3;
  }

  public String tableName(TableDefinition table) {
    return table.physicalName(ENVIRONMENT);
  }

  public LocalGateway gateway() {
    return gateway;
  }

  /** The gateway's base URL; valid once the gateway has a port (after start). */
  public URI gatewayUrl() {
    return gateway.url();
  }

  public LocalEventBus eventBus() {
    return eventBus;
  }

  public LocalConnectorHub connectorHub() {
    return hub;
  }

  /** The Connector Hub base URL the platform's hub clients use. */
  public URI hubBaseUrl() {
    return URI.create(gatewayUrl() + LocalConnectorHub.PATH);
  }

  public LocalSecrets secrets() {
    return secrets;
  }

  public PlatformLogger logger() {
    return logger;
  }

  public AsyncWork work() {
    return work;
  }

  /** Creates the organization's data-delivery bucket if missing; returns its name. */
  public String ensureOrganization(OrganizationId org) {
    String bucket = buckets.dataDelivery(org);
    LocalResources.createBucket(s3Client, bucket);
    return bucket;
  }

  /**
   * Invokes the handler (asynchronously, with Lambda's two retries) for objects created in any
   * organization's data-delivery bucket under the trigger's prefix.
   */
  public void onObjectCreated(Triggers.S3Trigger trigger, Consumer<S3Event> handler) {
    s3Registrations.add(new S3Registration(trigger, handler));
  }

  /** Waits until every asynchronous invocation (and what it triggered) has finished. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return work.awaitIdle(timeout);
  }

  private void objectCreated(ObjectCreated created) {
    if (buckets.organizationOf(created.bucket()).isEmpty()) {
      return;
    }
    for (S3Registration registration : s3Registrations) {
      if (registration.trigger().matches(created.key())) {
        S3Event event = s3Event(created);
        work.submit(
            registration.trigger().function()
                + " for s3://"
                + created.bucket()
                + "/"
                + created.key(),
            () -> invokeWithRetries(registration, event));
      }
    }
  }

  private void invokeWithRetries(S3Registration registration, S3Event event) {
    for (int attempt = 1; ; attempt++) {
      try {
        registration.handler().accept(event);
        return;
      } catch (RuntimeException e) {
        if (attempt == S3_ATTEMPTS) {
          LOG.error(
              "{} failed {} times; giving up: {}",
              registration.trigger().function(),
              attempt,
              e.toString());
          return;
        }
        LOG.warn(
            "{} failed (attempt {}), retrying: {}",
            registration.trigger().function(),
            attempt,
            e.toString());
      }
    }
  }

  /** The S3 notification event AWS would send; keys are URL-encoded as S3 encodes them. */
  static S3Event s3Event(ObjectCreated created) {
    String encodedKey =
        URLEncoder.encode(created.key(), StandardCharsets.UTF_8).replace("%2F", "/");
    String sequencer = Long.toHexString(System.nanoTime()).toUpperCase();
    var object =
        new S3EventNotification.S3ObjectEntity(
            encodedKey, created.size(), created.eTag(), null, sequencer);
    var bucket =
        new S3EventNotification.S3BucketEntity(
            created.bucket(),
            new S3EventNotification.UserIdentityEntity("local"),
            "arn:aws:s3:::" + created.bucket());
    var entity = new S3EventNotification.S3Entity("local", bucket, object, "1.0");
    var record =
        new S3EventNotification.S3EventNotificationRecord(
            "us-east-1",
            "ObjectCreated:Put",
            "aws:s3",
            new DateTime(Instant.now().toEpochMilli()).toString(),
            "2.1",
            new S3EventNotification.RequestParametersEntity("127.0.0.1"),
            new S3EventNotification.ResponseElementsEntity("local", "local"),
            entity,
            new S3EventNotification.UserIdentityEntity("local"));
    return new S3Event(List.of(record));
  }

  /** Stops areas, gateway, work and stand-ins, in that order; never throws. */
  @Override
  public void close() {
    for (LocalService service : services) {
      quietly(service::close);
    }
    if (gateway != null) {
      quietly(gateway::close);
    }
    work.close();
    if (logger != null) {
      quietly(logger::close);
    }
    if (dynamoDb != null) {
      dynamoDb.close();
    }
    if (s3Client != null) {
      s3Client.close();
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      quietly(closeables.get(i)::close);
    }
  }

  private static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("while stopping: {}", e.toString());
    }
  }
}
