package com.cdp.infra;

import com.cdp.model.config.Buckets;
import com.cdp.model.config.ResourceNames;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.TableDefinition;
import com.cdp.model.table.Tables;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * Everything of one environment: the shared tables (from lib-model's definitions), the platform
 * event bus, one data-delivery bucket per organization, and each area's construct.
 */
public final class PlatformStack extends Stack {
  private final EnvironmentConfig config;
  private final FunctionCode code;
  private final Buckets buckets;
  private final Map<TableDefinition, Table> tables = new LinkedHashMap<>();
  private final Map<OrganizationId, Bucket> dataBuckets = new LinkedHashMap<>();
  private final Bucket accessLogs;
  private final EventBus eventBus;
  private final Monitoring monitoring;
  private final com.cdp.infra.logging.LoggingPipeline logging;

  public PlatformStack(
      Construct scope, String id, StackProps props, EnvironmentConfig config, FunctionCode code) {
    super(scope, id, props);
    this.config = config;
    this.code = code;
    this.buckets = Buckets.of(config.name());
    this.monitoring = new Monitoring(this, "Monitoring", config);
    for (TableDefinition definition : Tables.ALL) {
      tables.put(definition, createTable(definition));
    }
    this.eventBus =
        EventBus.Builder.create(this, "PlatformBus")
            .eventBusName(ResourceNames.eventBus(config.name()))
            .build();
    this.accessLogs = createAccessLogBucket();
    for (String org : config.organizations()) {
      OrganizationId organization = OrganizationId.of(org);
      dataBuckets.put(organization, createDataDeliveryBucket(organization));
    }
    // Before the areas: every function gets LOG_TOPIC_ARN and may publish to it.
    this.logging = new com.cdp.infra.logging.LoggingPipeline(this, "Logging", this);
    // Areas: one line each.
    new com.cdp.infra.ingestion.Ingestion(this, "Ingestion", this);
    var realtime = new com.cdp.infra.realtime.Realtime(this, "Realtime", this);
    var transactionsApi =
        new com.cdp.infra.transactions.TransactionsApi(this, "TransactionsApi", this);
    new com.cdp.infra.groups.GroupAssignment(this, "GroupAssignment", this);
    new com.cdp.infra.links.UrlShortener(this, "UrlShortener", this);
    var connectorCalls =
        new com.cdp.infra.connectors.ScheduledConnectorCalls(this, "ConnectorCalls", this);
    // What `./cdp --env ENV` reads: the endpoints that no configured domain names.
    output(ResourceNames.OUTPUT_TRANSACTIONS_API, transactionsApi.api().getApiEndpoint());
    output(ResourceNames.OUTPUT_REALTIME_API, realtime.restApi().getApiEndpoint());
    output(ResourceNames.OUTPUT_CALL_CONNECTOR, connectorCalls.function().alias().getFunctionArn());
    // Every queue of the platform is a dead-letter or on-failure destination: alarm on the first
    // message.
    for (software.constructs.IConstruct c : getNode().findAll()) {
      if (c instanceof software.amazon.awscdk.services.sqs.Queue queue) {
        monitoring.deadLetterQueue(queue.getNode().getPath().replace("/", "-"), queue);
      }
    }
  }

  private void output(String key, String value) {
    software.amazon.awscdk.CfnOutput.Builder.create(this, key).value(value).build();
  }

  private Table createTable(TableDefinition definition) {
    Table.Builder builder =
        Table.Builder.create(this, "Table-" + definition.logicalName())
            .tableName(definition.physicalName(config.name()))
            .partitionKey(
                Attribute.builder()
                    .name(definition.partitionKey())
                    .type(AttributeType.STRING)
                    .build())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .encryption(TableEncryption.AWS_MANAGED)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
            .deletionProtection(config.isProduction());
    definition
        .sortKey()
        .ifPresent(
            sk -> builder.sortKey(Attribute.builder().name(sk).type(AttributeType.STRING).build()));
    definition.ttlAttribute().ifPresent(builder::timeToLiveAttribute);
    Table table = builder.build();
    for (TableDefinition.Index index : definition.indexes()) {
      GlobalSecondaryIndexProps.Builder gsi =
          GlobalSecondaryIndexProps.builder()
              .indexName(index.name())
              .partitionKey(
                  Attribute.builder()
                      .name(index.partitionKey())
                      .type(AttributeType.STRING)
                      .build());
      index
          .sortKey()
          .ifPresent(
              sk -> gsi.sortKey(Attribute.builder().name(sk).type(AttributeType.STRING).build()));
      table.addGlobalSecondaryIndex(gsi.build());
    }
    return table;
  }

  private Bucket createDataDeliveryBucket(OrganizationId org) {
    return Bucket.Builder.create(this, "DataDelivery-" + org.value())
        .bucketName(buckets.dataDelivery(org))
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .versioned(true)
        .serverAccessLogsBucket(accessLogs)
        .serverAccessLogsPrefix("data-delivery/" + org.value() + "/")
        .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
        .build();
  }

  /** The environment's alarms; functions built with PlatformFunction are monitored already. */
  public Monitoring monitoring() {
    return monitoring;
  }

  /** The platform log pipeline (SNS topic, Firehose, bucket, Glue tables, Athena workgroup). */
  public com.cdp.infra.logging.LoggingPipeline logging() {
    return logging;
  }

  /** Receives the S3 server access logs of the platform's buckets; kept 400 days. */
  private Bucket createAccessLogBucket() {
    Bucket bucket =
        Bucket.Builder.create(this, "AccessLogs")
            .encryption(BucketEncryption.S3_MANAGED)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .objectOwnership(
                software.amazon.awscdk.services.s3.ObjectOwnership.BUCKET_OWNER_PREFERRED)
            .lifecycleRules(
                java.util.List.of(
                    software.amazon.awscdk.services.s3.LifecycleRule.builder()
                        .expiration(software.amazon.awscdk.Duration.days(400))
                        .build()))
            .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
            .build();
    io.github.cdklabs.cdknag.NagSuppressions.addResourceSuppressions(
        bucket,
        java.util.List.of(
            io.github.cdklabs.cdknag.NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason(
                    "This is the access-log bucket: logging its own access would log every log delivery.")
                .build()));
    return bucket;
  }

  private software.amazon.awscdk.services.secretsmanager.Secret connectorHubApiKey;

  /**
   * Lets the function call the Connector Hub: the hub key's secret ({@code
   * cdp/ENV/connector-hub-api-key}, created with the first caller) in {@link
   * com.cdp.model.connector.HubApiKey#SECRET_ARN_ENV} and read access to it.
   */
  public void allowConnectorHubCalls(PlatformFunction.Deployed caller) {
    if (connectorHubApiKey == null) {
      connectorHubApiKey =
          GeneratedSecret.create(
              this,
              "ConnectorHubApiKey",
              this,
              com.cdp.model.connector.HubApiKey.LOCAL_SECRET,
              48,
              "Key every Connector Hub call carries (x-api-key); the hub accepts it for this"
                  + " environment. Rotation: docs/OPERATIONS.md.");
    }
    caller
        .function()
        .addEnvironment(
            com.cdp.model.connector.HubApiKey.SECRET_ARN_ENV, connectorHubApiKey.getSecretArn());
    caller
        .function()
        .addToRolePolicy(
            software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                .actions(java.util.List.of("secretsmanager:GetSecretValue"))
                .resources(java.util.List.of(connectorHubApiKey.getSecretArn()))
                .build());
  }

  /** The bucket receiving S3 server access logs (areas pass it to their buckets). */
  public Bucket accessLogBucket() {
    return accessLogs;
  }

  public EnvironmentConfig config() {
    return config;
  }

  public FunctionCode code() {
    return code;
  }

  public ITable table(TableDefinition definition) {
    return tables.get(definition);
  }

  public IEventBus eventBus() {
    return eventBus;
  }

  /**
   * The data-delivery buckets in the configuration's order. (Not {@code Map.copyOf}: its iteration
   * order changes from one JVM to the next, and so would the order of grants and notifications in
   * the template, making every synth a diff.)
   */
  public Map<OrganizationId, Bucket> dataDeliveryBuckets() {
    return java.util.Collections.unmodifiableMap(dataBuckets);
  }

  public IBucket dataDeliveryBucket(String org) {
    return dataBuckets.get(OrganizationId.of(org));
  }

  /** Environment variables every function gets: the environment name and every table's name. */
  public Map<String, String> commonEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CDP_ENV", config.name());
    env.put("EVENT_BUS_NAME", eventBus.getEventBusName());
    for (TableDefinition t : Tables.ALL) {
      env.put(
          "TABLE_" + t.logicalName().toUpperCase(java.util.Locale.ROOT),
          t.physicalName(config.name()));
    }
    if (logging != null) {
      env.put("LOG_TOPIC_ARN", logging.topicArn());
    }
    env.put("LOG_DEBUG_SAMPLE_RATE", Double.toString(config.loggingSettings().debugSampleRate()));
    // SLF4J diagnostics as one JSON object per line (lib-logging's provider).
    env.put(
        "JAVA_TOOL_OPTIONS",
        "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
            + " -Dslf4j.provider=com.cdp.logging.slf4j.JsonLogProvider");
    return env;
  }
}
