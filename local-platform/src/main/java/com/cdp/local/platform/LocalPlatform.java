package com.cdp.local.platform;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.local.runtime.FunctionPool;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.standin.Dynalite;
import com.cdp.local.standin.LocalResources;
import com.cdp.local.standin.LocalS3;
import com.cdp.local.standin.ObjectCreated;
import com.cdp.local.template.LocalTemplate;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.Buckets;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.TableDefinition;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole platform on one machine, as the synthesized local CDK template describes it ({@link
 * #template()}): dynalite and S3Proxy with data under the data directory, the template's tables,
 * buckets and secrets, one gateway port (HTTP API, WebSocket, PutEvents, Secrets Manager, Connector
 * Hub simulator), an event bus routing with event-ruler, S3 object-created notifications, and the
 * template's functions, each run from its {@code -lambda.jar} in its own JVM on the local Lambda
 * Runtime API ({@link #functions()}). Areas not yet switched to the template plug in as {@link
 * LocalService}s; a template trigger (rule target, S3 notification) of a function an area still
 * runs in-process is left to that area (see {@link #inProcess()}).
 */
public final class LocalPlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
  public static final String ENVIRONMENT = "local";

  private final LocalOptions options;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<LocalService> services = new ArrayList<>();
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
  private LocalTemplate template;
  private FunctionPool pool;
  private com.cdp.local.iam.FrontDoor frontDoor;
  private final Map<String, LocalTemplate.Function> runnable = new ConcurrentHashMap<>();
  private final Set<String> claimedFunctions = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, String>> environmentOverrides = new ConcurrentHashMap<>();
  private TemplateTriggers triggers;
  private com.cdp.local.platform.logging.DeliveryStreamPublisher logPublisher;
  private URI snsUrl;

  /**
   * Waits between asynchronous attempts, in milliseconds, comma-separated. The default is Lambda's
   * (about 1 and 2 minutes), so a retry outlasts a stand-in's restart as it outlasts an outage in
   * AWS (with 1 s and 2 s, events relayed while dynalite restarted were dead-lettered: issue 21);
   * the cli test suite sets 1 s and 2 s (cli/pom.xml) for tests that wait for a dead letter.
   */
  public static final String RETRY_DELAYS_PROPERTY = "cdp.local.retryDelaysMs";

  /** Lambda's waits before its two asynchronous retries: about 1 and 2 minutes. */
  static final String DEFAULT_RETRY_DELAYS_MS = "60000,120000";

  /**
   * The IAM front door's mode for function JVMs: enforce, soft or off (issue 15); {@code ./cdp
   * local} sets enforce by default, an embedded platform without the property runs soft.
   */
  public static final String IAM_MODE_PROPERTY = "cdp.local.iam";

  /**
   * Tests only: {@code FUNCTION|ACTION|RESOURCE_ARN}, a grant the front door acts as if missing.
   */
  static final String IAM_REVOKE_FOR_TESTS_PROPERTY = "cdp.local.iam.revokeForTests";

  /**
   * With {@code true} (the cli module's tests set it), {@link #close()} fails when the IAM front
   * door denied a call during the platform's life: a suite run must need no grant the template
   * lacks. A denial of the grant {@link #IAM_REVOKE_FOR_TESTS_PROPERTY} took away is expected.
   */
  public static final String IAM_FAIL_ON_DENIALS_PROPERTY = "cdp.local.iam.failOnDenials";

  private List<String> revokedForTests = List.of();

  /**
   * The chaos harness (benchmarks): a URL every DynamoDB client of the platform uses instead of
   * dynalite's own (a fault proxy forwarding to {@link LocalOptions#dynamoDbPort()}).
   */
  public static final String DYNAMODB_VIA_PROPERTY = "cdp.local.dynamoDbVia";

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
      platform.startFunctions();
      for (LocalService area : platform.services) {
        for (String f : area.templateFunctions()) {
          platform.function(f); // an unknown name stops the start
          platform.claimedFunctions.add(f);
        }
      }
      platform.triggers = new TemplateTriggers(platform);
      platform.triggers.start();
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
    template = PlatformTemplate.load(options.repoRoot(), line -> LOG.info("{}", line));
    secrets = new LocalSecrets(data.resolve("secrets"));
    for (LocalTemplate.Secret secret : template.secrets()) {
      secrets.declare(secret);
      // The hub key: the areas still running in-process read it by its old local name.
      if (secret
          .name()
          .equals("cdp/" + ENVIRONMENT + "/" + com.cdp.model.connector.HubApiKey.LOCAL_SECRET)) {
        secrets.alias(com.cdp.model.connector.HubApiKey.LOCAL_SECRET, secret.name());
      }
    }
    dynalite =
        Dynalite.start(
            options.repoRoot(), options.dynamoDbPort(), Optional.of(data.resolve("dynamodb")));
    closeables.add(dynalite);
    s3 = LocalS3.start(options.s3Port(), Optional.of(data.resolve("s3")), this::objectCreated);
    closeables.add(s3);
    dynamoDb = AwsClients.dynamoDb(dynamoDbTarget());
    s3Client = S3Clients.s3(s3Target());
    for (LocalTemplate.Table table : template.tables()) {
      LocalResources.createTable(dynamoDb, definition(table), table.name());
    }
    for (LocalTemplate.Bucket bucket : template.buckets()) {
      LocalResources.createBucket(s3Client, bucket.name());
    }
    gateway = new LocalGateway(options.gatewayPort());
    eventBus = new LocalEventBus(work, data);
    gateway.servlet("/_aws/events/*", eventBus.servlet());
    gateway.servlet("/_aws/events", eventBus.servlet());
    hub = new LocalConnectorHub(data);
    // As in AWS, every hub call must carry the environment's hub key (docs/OPERATIONS.md).
    hub.requireApiKey(secrets.get(com.cdp.model.connector.HubApiKey.LOCAL_SECRET));
    gateway.servlet(LocalConnectorHub.PATH + "/*", hub.servlet());
    LocalEcs ecs = new LocalEcs(this, PlatformTemplate.imageDirectories(options.repoRoot()));
    gateway.servlet("/_aws/ecs", ecs);
    gateway.servlet("/_aws/ecs/*", ecs);
    gateway.servlet("/_aws/secretsmanager", new LocalSecretsApi(secrets));
    gateway.servlet("/_aws/secretsmanager/*", new LocalSecretsApi(secrets));
    logPublisher = LocalLogging.publisher(this);
    logger = LocalLogging.create(this, logPublisher);
    // The log topic (SNS) and its Firehose subscription: what functions publish lands where the
    // in-process areas' messages do.
    Map<String, Consumer<String>> topics = new java.util.HashMap<>();
    for (LocalTemplate.LogDelivery delivery : template.logDeliveries()) {
      topics.put(delivery.topicArn(), logPublisher::publish);
    }
    org.eclipse.jetty.server.Server sns = LocalSnsApi.start(topics);
    snsUrl = LocalSnsApi.url(sns);
    closeables.add(sns::stop);
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
    return AwsTarget.local(dynamoDbEndpoint());
  }

  /** dynalite's endpoint, or the proxy in front of it ({@link #DYNAMODB_VIA_PROPERTY}). */
  private URI dynamoDbEndpoint() {
    String via = System.getProperty(DYNAMODB_VIA_PROPERTY, "");
    return via.isBlank() ? dynalite.endpoint() : URI.create(via);
  }

  /**
   * Stops dynalite and starts it again on the same port and data (the chaos harness's stand-in
   * outage); requests meanwhile fail as against an unreachable DynamoDB.
   */
  public synchronized void restartDynamoDb(Duration down) throws InterruptedException {
    Dynalite old = dynalite;
    old.close();
    closeables.remove(old);
    Thread.sleep(down.toMillis());
    for (int attempt = 1; ; attempt++) {
      try {
        dynalite =
            Dynalite.start(
                options.repoRoot(), old.port(), Optional.of(options.dataDir().resolve("dynamodb")));
        break;
      } catch (com.cdp.local.standin.StandInException e) {
        // node may take longer than dynalite's start timeout on a busy machine: try again
        if (attempt == 5) {
          throw e;
        }
        LOG.warn("dynalite did not come back (attempt {}): {}", attempt, e.getMessage());
      }
    }
    closeables.add(dynalite);
  }

  /**
   * Stops S3Proxy and starts it again on the same port and directory (the chaos harness's stand-in
   * outage).
   */
  public synchronized void restartS3(Duration down) throws InterruptedException {
    LocalS3 old = s3;
    int port = old.port();
    old.close();
    closeables.remove(old);
    Thread.sleep(down.toMillis());
    s3 = LocalS3.start(port, Optional.of(options.dataDir().resolve("s3")), this::objectCreated);
    closeables.add(s3);
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

  /** The synthesized local template the platform runs. */
  public LocalTemplate template() {
    return template;
  }

  /** The template's functions' execution environments (valid after start). */
  public FunctionPool functions() {
    return pool;
  }

  /**
   * A template function as this platform runs it (its environment pointing at this platform's
   * gateway), by function name, ARN (alias and version ARNs too), module ({@code
   * lambda-txn-loader}) or short name ({@code txn-loader}).
   */
  public LocalTemplate.Function function(String nameOrArn) {
    LocalTemplate.Function f = runnable.get(LocalTemplate.functionName(nameOrArn));
    if (f != null) {
      return f;
    }
    for (LocalTemplate.Function candidate : runnable.values()) {
      if (candidate
          .module()
          .map(m -> m.equals(nameOrArn) || m.equals("lambda-" + nameOrArn))
          .orElse(false)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "no function '" + nameOrArn + "' in the local template (see ./cdp functions list)");
  }

  /**
   * Invokes a template function synchronously, as Lambda's Invoke API does (RequestResponse).
   *
   * @throws FunctionPool.TooManyRequestsException when throttled (Lambda's HTTP 429)
   */
  public InvocationResult invoke(String functionNameOrArn, byte[] payload) {
    return pool.invokeSync(function(functionNameOrArn), payload);
  }

  /**
   * Invokes a template function asynchronously (Event): retried as its invoke configuration says,
   * then recorded in its on-failure destination. {@link #awaitIdle} waits for it.
   */
  public CompletableFuture<InvocationResult> invokeAsync(String functionNameOrArn, byte[] payload) {
    LocalTemplate.Function f = function(functionNameOrArn);
    CompletableFuture<InvocationResult> result = pool.invokeAsync(f, payload);
    work.track(f.name() + " (async)", result);
    return result;
  }

  /**
   * The functions (short names, {@code relay-message}) an area still runs in-process, subscribed to
   * the event bus itself: their template triggers are left to the area.
   */
  public Set<String> inProcess() {
    return new java.util.TreeSet<>(eventBus.inProcessFunctions());
  }

  /**
   * Sets one variable of a template function's environment (short name, {@code relay-message}) for
   * an area whose options change a setting, as {@link LocalOptions#withFunctionEnvironment} does
   * for the whole platform; both are applied, logged and checked in one place when the functions
   * start. Only before they start (an area's {@link LocalService#start}).
   */
  public void overrideEnvironment(String function, String variable, String value) {
    if (pool != null) {
      throw new IllegalStateException("the functions have started: override before");
    }
    environmentOverrides
        .computeIfAbsent(function, k -> new ConcurrentHashMap<>())
        .put(variable, value);
  }

  /** The function's short name ({@code txn-loader}), the name areas and Triggers use. */
  static String shortName(LocalTemplate.Function f) {
    return f.module().map(m -> m.replaceFirst("^lambda-", "")).orElse(f.name());
  }

  boolean isInProcess(LocalTemplate.Function f) {
    String name = shortName(f);
    if (inProcess().contains(name)) {
      if (claimedFunctions.contains(name)) {
        throw new IllegalStateException(
            name + " is run both in-process by an area and from the template by another");
      }
      return true;
    }
    return false;
  }

  /** Whether a started area runs this function's flow from the template. */
  boolean isClaimed(LocalTemplate.Function f) {
    return claimedFunctions.contains(shortName(f));
  }

  /** Target for SNS Publish/PublishBatch to the template's log topic. */
  public AwsTarget snsTarget() {
    return AwsTarget.local(snsUrl);
  }

  /**
   * Delivers the log messages the local delivery stream still buffers (the template's buffering
   * holds them up to its interval, 60 s for a dynamically partitioned stream) to the log store now,
   * as {@link #close()} does: for tests that read the store while the platform runs.
   */
  public void flushLogs() {
    logStream().flushAll();
  }

  /** The local Firehose delivery stream the log topic feeds. */
  com.cdp.local.platform.logging.LocalDeliveryStream logStream() {
    return logPublisher.stream();
  }

  TemplateTriggers triggers() {
    return triggers;
  }

  /** The template's schedules this platform fires (those whose target an area claims). */
  public List<LocalTemplate.Schedule> schedules() {
    return triggers.schedules();
  }

  /**
   * Fires one of {@link #schedules()} now, as EventBridge Scheduler does at a fire time (its
   * target's input, invoked asynchronously): the stand-in for waiting for the clock.
   *
   * @throws IllegalArgumentException when the platform fires no schedule of that name
   */
  public void fireSchedule(String name) {
    triggers.fire(
        triggers.schedules().stream()
            .filter(s -> s.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no schedule '" + name + "' fired by this platform")));
  }

  /** What the template's triggers do on this platform, one line each (printed at start). */
  public List<String> triggerReport() {
    return triggers == null ? List.of() : triggers.report();
  }

  /** A template table as the stand-in creates it. */
  static TableDefinition definition(LocalTemplate.Table t) {
    return new TableDefinition(
        t.name(),
        t.partitionKey(),
        t.sortKey(),
        t.indexes().stream()
            .map(i -> new TableDefinition.Index(i.name(), i.partitionKey(), i.sortKey()))
            .toList(),
        t.ttlAttribute());
  }

  /**
   * The function pool and the template's triggers, once the gateway has its port: every function
   * gets the local services' endpoints, and its template environment with the gateway origin the
   * template names (local.json's default port) replaced by the actual one.
   */
  private void startFunctions() {
    String gatewayOrigin = gatewayUrl().toString();
    String templateOrigin = "http://127.0.0.1:" + LocalOptions.DEFAULT_GATEWAY_PORT;
    for (LocalTemplate.Function f : template.functions()) {
      Map<String, String> env = new java.util.TreeMap<>();
      f.environment()
          .forEach(
              (k, v) ->
                  env.put(
                      k,
                      v.startsWith(templateOrigin)
                          ? gatewayOrigin + v.substring(templateOrigin.length())
                          : v));
      runnable.put(f.name(), f.withEnvironment(env));
    }
    applyEnvironmentOverrides();
    frontDoor = startFrontDoor();
    // A WebSocket stage's callback URL (https://API.execute-api.REGION.amazonaws.com/STAGE, the
    // @connections endpoint) becomes the front door's origin: the call is signed and checked as
    // execute-api, then served by the gateway at /STAGE/@connections/{id}.
    for (LocalTemplate.Api api : template.apis()) {
      if (api.protocol().equals("WEBSOCKET")) {
        String callback = "https://" + api.name() + ".execute-api." + template.region() + ".";
        String door = frontDoor.endpoint().toString();
        runnable.replaceAll(
            (name, f) -> {
              Map<String, String> env = new java.util.TreeMap<>(f.environment());
              env.replaceAll(
                  (k, v) ->
                      v.startsWith(callback) && v.indexOf('/', callback.length()) > 0
                          ? door + v.substring(v.indexOf('/', callback.length()))
                          : v);
              return f.withEnvironment(env);
            });
      }
    }
    pool =
        new FunctionPool(
            new FunctionPool.Settings(
                ricClasspath(options.repoRoot()),
                functionEndpoints(),
                options.dataDir().resolve("functions"),
                options.dataDir().resolve("destinations"),
                2,
                Duration.ofMinutes(5),
                Duration.ofSeconds(60),
                retryDelays()),
            template.region());
    // each function JVM signs as its execution role (the front door's key for it)
    com.cdp.local.iam.FrontDoor door = frontDoor;
    pool.signAsRoles(f -> door.environmentFor(f.name()));
    writeFunctionEndpoints();
  }

  /** Where {@link #writeFunctionEndpoints()} puts the function JVMs' AWS endpoints. */
  public static Path functionEndpointsFile(Path dataDir) {
    return dataDir.resolve("functions").resolve("aws-endpoints.json");
  }

  /**
   * The {@code AWS_ENDPOINT_URL_*} a function JVM gets (the IAM front door's), for {@code ./cdp
   * functions invoke}, which starts a function against this running platform.
   */
  private void writeFunctionEndpoints() {
    Path file = functionEndpointsFile(options.dataDir());
    try {
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, com.cdp.model.json.Json.write(functionEndpoints()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * {@link LocalOptions#functionEnvironment()}: the variables set on top of the named functions'
   * template environments. A name no template function has stops the start.
   */
  private void applyEnvironmentOverrides() {
    Map<String, Map<String, String>> all = new java.util.TreeMap<>();
    options
        .functionEnvironment()
        .forEach((name, vars) -> all.put(name, new java.util.TreeMap<>(vars)));
    environmentOverrides.forEach(
        (name, vars) -> all.computeIfAbsent(name, k -> new java.util.TreeMap<>()).putAll(vars));
    all.forEach(
        (name, variables) -> {
          LocalTemplate.Function f =
              runnable.values().stream()
                  .filter(candidate -> shortName(candidate).equals(name))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "environment override for '"
                                  + name
                                  + "': the local template has no such function"));
          Map<String, String> env = new java.util.TreeMap<>(f.environment());
          env.putAll(variables);
          runnable.put(f.name(), f.withEnvironment(env));
          LOG.info("{}: template environment overridden for {}", f.name(), variables.keySet());
        });
  }

  /**
   * The IAM front door in front of every local AWS endpoint the function JVMs call: it verifies
   * their SigV4 signatures and evaluates their roles' policies from the template (issue 15).
   */
  private com.cdp.local.iam.FrontDoor startFrontDoor() {
    // enforce unless told otherwise: ./cdp local and the end-to-end tests alike
    com.cdp.local.iam.IamMode mode =
        com.cdp.local.iam.IamMode.parse(System.getProperty(IAM_MODE_PROPERTY, "enforce"));
    URI gateway = gatewayUrl();
    Map<String, URI> upstreams = new java.util.HashMap<>();
    upstreams.put("dynamodb", dynamoDbEndpoint());
    upstreams.put("s3", s3.endpoint());
    for (String service : List.of("events", "secretsmanager", "ecs", "execute-api")) {
      upstreams.put(service, gateway);
    }
    upstreams.put("sns", URI.create(snsUrl.getScheme() + "://" + snsUrl.getAuthority()));
    com.cdp.local.iam.IamPolicies policies =
        com.cdp.local.iam.IamReader.read(PlatformTemplate.assemblyDir(options.repoRoot()));
    // Test-only hook: FUNCTION|ACTION|RESOURCE_ARN taken out of the function's role, as if the
    // template lacked that grant (the end-to-end test of a missing permission).
    String revoke = System.getProperty(IAM_REVOKE_FOR_TESTS_PROPERTY, "");
    if (!revoke.isBlank()) {
      String[] parts = revoke.split("\\|", 3);
      policies = policies.withoutGrant(function(parts[0]).name(), parts[1], parts[2]);
      revokedForTests = List.of(function(parts[0]).name(), parts[1], parts[2]);
    }
    com.cdp.local.iam.FrontDoor door =
        com.cdp.local.iam.FrontDoor.start(
            new com.cdp.local.iam.FrontDoor.Config(
                "127.0.0.1",
                0,
                mode,
                policies,
                template,
                com.cdp.local.iam.LocalCredentials.load(options.dataDir().resolve("iam")),
                upstreams,
                Optional.of(options.dataDir().resolve("iam"))));
    closeables.add(door::close);
    LOG.info(
        "IAM front door ({}) on {}",
        mode.name().toLowerCase(java.util.Locale.ROOT),
        door.endpoint());
    return door;
  }

  /** {@link #endpoints()} with every origin replaced by the IAM front door's (paths kept). */
  private Map<String, String> functionEndpoints() {
    String door = frontDoor.endpoint().toString();
    Map<String, String> out = new java.util.TreeMap<>();
    endpoints()
        .forEach(
            (k, v) -> {
              URI u = URI.create(v);
              out.put(k, door + (u.getRawPath() == null ? "" : u.getRawPath()));
            });
    return out;
  }

  /** The IAM front door (its denials and recorded uses), once started. */
  public Optional<com.cdp.local.iam.FrontDoor> frontDoor() {
    return Optional.ofNullable(frontDoor);
  }

  /** {@code AWS_ENDPOINT_URL_*} for every local service a function may call. */
  public Map<String, String> endpoints() {
    String gateway = gatewayUrl().toString();
    return Map.of(
        "AWS_ENDPOINT_URL_DYNAMODB",
        dynamoDbEndpoint().toString(),
        "AWS_ENDPOINT_URL_S3",
        s3.endpoint().toString(),
        "AWS_ENDPOINT_URL_EVENTBRIDGE",
        gateway + "/_aws/events",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER",
        gateway + "/_aws/secretsmanager",
        "AWS_ENDPOINT_URL_SNS",
        snsUrl.toString(),
        "AWS_ENDPOINT_URL_ECS",
        gateway + "/_aws/ecs");
  }

  static List<Duration> retryDelays() {
    String configured = System.getProperty(RETRY_DELAYS_PROPERTY, DEFAULT_RETRY_DELAYS_MS);
    List<Duration> delays = new ArrayList<>();
    for (String ms : configured.split(",")) {
      if (!ms.isBlank()) {
        delays.add(Duration.ofMillis(Long.parseLong(ms.trim())));
      }
    }
    return delays;
  }

  /** The Runtime Interface Client's classpath, written by local-runtime's build. */
  static String ricClasspath(Path repoRoot) {
    Path file = repoRoot.resolve("local-runtime/target/ric-classpath.txt");
    try {
      return java.nio.file.Files.readString(file).trim();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "local-runtime is not built ("
              + file
              + " missing): run 'mvn -B install -DskipTests' at the repository root");
    }
  }

  /** Creates the organization's data-delivery bucket if missing; returns its name. */
  public String ensureOrganization(OrganizationId org) {
    String bucket = buckets.dataDelivery(org);
    if (template != null && template.buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
      // As in AWS, an organization exists for the functions only once the environment's
      // configuration names it: without it the roles have no grant on its bucket.
      LOG.warn(
          "organization {} is not in infra-cdk/environments/local.json: the template has no"
              + " bucket, notification or grant for it, so functions are denied its files",
          org.value());
    }
    LocalResources.createBucket(s3Client, bucket);
    return bucket;
  }

  /** Waits until every asynchronous invocation (and what it triggered) has finished. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return work.awaitIdle(timeout);
  }

  private void objectCreated(ObjectCreated created) {
    if (triggers != null) {
      triggers.objectCreated(created);
    }
  }

  /** Stops areas, gateway, work and stand-ins, in that order; never throws. */
  @Override
  public void close() {
    for (LocalService service : services) {
      quietly(service::close);
    }
    if (triggers != null) {
      quietly(triggers::close);
    }
    if (gateway != null) {
      quietly(gateway::close);
    }
    if (pool != null) {
      quietly(pool::close);
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
    if (Boolean.getBoolean(IAM_FAIL_ON_DENIALS_PROPERTY) && frontDoor != null) {
      List<String> unexpected =
          frontDoor.accessLog().denials().stream()
              .filter(d -> !List.of(d.function(), d.action(), d.resource()).equals(revokedForTests))
              .map(d -> d.function() + " " + d.action() + " " + d.resource())
              .distinct()
              .toList();
      if (!unexpected.isEmpty()) {
        throw new IllegalStateException(
            "the IAM front door denied calls the template's grants do not allow: " + unexpected);
      }
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
