package com.cdp.infra.logging;

import com.cdp.infra.EnvironmentConfig;
import com.cdp.infra.PlatformStack;
import com.cdp.logging.LogLayout;
import com.cdp.logging.LogSchema;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.Buckets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Subscription;
import software.amazon.awscdk.services.sns.SubscriptionProtocol;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The platform log pipeline of one environment: functions publish to an encrypted SNS topic; a
 * Firehose delivery stream subscribed with raw message delivery partitions the messages with inline
 * JQ on the seven partition fields into the contract's layout in an encrypted, non-public bucket
 * (gzip, failed records under {@code logs-errors/}); Glue holds one table per log type with
 * partition projection (no crawler, no MSCK REPAIR); an Athena workgroup with a results location
 * and a bytes-scanned limit runs the queries ({@code ./cdp logs query --athena --workgroup W}).
 */
public final class LoggingPipeline extends Construct {
  /** Firehose's default quota of active partitions per delivery stream. */
  public static final int ACTIVE_PARTITION_QUOTA = 500;

  /** Firehose's minimum buffer size when dynamic partitioning is on. */
  public static final int BUFFER_SIZE_MB = 64;

  /** Athena cancels a query that would scan more than this. */
  public static final long BYTES_SCANNED_CUTOFF = 10L * 1024 * 1024 * 1024;

  /** Where Athena writes query results in the logs bucket. */
  public static final String RESULTS_PREFIX = "athena-results/";

  /** What Firehose needs on the logs bucket itself. */
  public static final List<String> FIREHOSE_BUCKET_ACTIONS =
      List.of("s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads");

  /** What Firehose needs on the bucket's objects: write, resume and abort uploads; no delete. */
  public static final List<String> FIREHOSE_OBJECT_ACTIONS =
      List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload");

  private static final int FIRST_YEAR = 2025;
  private static final int LAST_YEAR = 2050;

  private final Key key;
  private final Bucket bucket;
  private final Topic topic;
  private final Queue undelivered;
  private final CfnDeliveryStream stream;
  private final CfnDatabase database;
  private final Map<LogType, CfnTable> tables = new EnumMap<>(LogType.class);
  private final CfnWorkGroup workGroup;
  private final String environment;

  public LoggingPipeline(Construct scope, String id, PlatformStack stack) {
    super(scope, id);
    EnvironmentConfig config = stack.config();
    this.environment = config.name();
    RemovalPolicy removal = config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    String bucketName = Buckets.of(environment).logs();

    key =
        Key.Builder.create(this, "Key")
            .enableKeyRotation(true)
            .description(
                "encrypts the platform log topic, bucket and query results (" + environment + ")")
            .removalPolicy(removal)
            .build();

    bucket =
        Bucket.Builder.create(this, "Bucket")
            .bucketName(bucketName)
            .encryption(BucketEncryption.KMS)
            .encryptionKey(key)
            .bucketKeyEnabled(true)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .lifecycleRules(lifecycleRules(config))
            .serverAccessLogsBucket(stack.accessLogBucket())
            .serverAccessLogsPrefix("platform-logs/")
            .removalPolicy(removal)
            .build();

    int activePartitions = activePartitions(config);
    if (activePartitions > ACTIVE_PARTITION_QUOTA) {
      throw new IllegalStateException(
          "environment "
              + environment
              + " can have "
              + activePartitions
              + " active Firehose partitions, above the quota of "
              + ACTIVE_PARTITION_QUOTA
              + ": raise the quota and LoggingPipeline.ACTIVE_PARTITION_QUOTA together");
    }
    stream = deliveryStream(config, bucketName, bufferIntervalSeconds(activePartitions), removal);

    topic =
        Topic.Builder.create(this, "Topic")
            .topicName("cdp-" + environment + "-logs")
            .masterKey(key)
            .enforceSsl(true)
            .build();
    // Producers outside this stack (dsp-web, dsp-agw, the hub, connectors, the app container) run
    // in the accounts the environment lists: they may publish, and use the key for that only.
    List<String> publishers = config.loggingSettings().publisherAccounts();
    if (!publishers.isEmpty()) {
      List<software.amazon.awscdk.services.iam.IPrincipal> accounts =
          publishers.stream()
              .map(a -> (software.amazon.awscdk.services.iam.IPrincipal) new AccountPrincipal(a))
              .toList();
      topic.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("ListedAccountsPublish")
              .principals(accounts)
              .actions(List.of("sns:Publish"))
              .resources(List.of(topic.getTopicArn()))
              .build());
      key.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("ListedAccountsPublishThroughSns")
              .principals(accounts)
              .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
              .resources(List.of("*"))
              .conditions(
                  Map.of(
                      "StringEquals",
                      Map.of("kms:ViaService", "sns." + config.region() + ".amazonaws.com")))
              .build());
    }
    software.amazon.awscdk.CfnOutput.Builder.create(this, "TopicArnOutput")
        .description("The platform log topic: publish one JSON log message per request")
        .value(topic.getTopicArn())
        .exportName("cdp-" + environment + "-log-topic-arn")
        .build();
    Role subscriptionRole =
        Role.Builder.create(this, "SubscriptionRole")
            .assumedBy(new ServicePrincipal("sns.amazonaws.com"))
            .description("lets the log topic deliver to the Firehose stream")
            .build();
    subscriptionRole.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "firehose:PutRecord",
                    "firehose:PutRecordBatch",
                    "firehose:DescribeDeliveryStream",
                    "firehose:ListDeliveryStreams"))
            .resources(List.of(stream.getAttrArn()))
            .build());
    undelivered =
        Queue.Builder.create(this, "Undelivered")
            .queueName("cdp-" + environment + "-logs-undelivered")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    Subscription.Builder.create(this, "ToFirehose")
        .topic(topic)
        .protocol(SubscriptionProtocol.FIREHOSE)
        .endpoint(stream.getAttrArn())
        .subscriptionRoleArn(subscriptionRole.getRoleArn())
        .rawMessageDelivery(true)
        .deadLetterQueue(undelivered)
        .build();
    stack.monitoring().deadLetterQueue("LogsUndelivered", undelivered);
    stack
        .monitoring()
        .alarm(
            "LogsPartitionCountExceeded",
            firehoseMetric("PartitionCountExceeded", "Maximum"),
            1,
            "the log delivery stream exceeded its active-partition quota: records go to logs-errors/");
    stack
        .monitoring()
        .alarm(
            "LogsDataFreshness",
            firehoseMetric("DeliveryToS3.DataFreshness", "Maximum"),
            1800,
            "platform logs are more than 30 minutes behind");
    // DeliveryToS3.Success is successful S3 puts over all S3 puts: below 1 means Firehose could not
    // write some objects (a bucket or KMS key policy, say). It retries for up to 24 hours, so this
    // pages within five minutes, long before LogsDataFreshness would.
    stack
        .monitoring()
        .alarmBelow(
            "LogsDeliveryFailures",
            firehoseMetric("DeliveryToS3.Success", "Minimum"),
            1,
            "the log delivery stream failed to write objects to S3 (it keeps retrying for 24 hours):"
                + " check the logs bucket's policy and KMS key");

    String databaseName = databaseName(environment);
    String account = Stack.of(this).getAccount();
    database =
        CfnDatabase.Builder.create(this, "Database")
            .catalogId(account)
            .databaseInput(
                CfnDatabase.DatabaseInputProperty.builder()
                    .name(databaseName)
                    .description("platform logs of " + environment + ": one table per log type")
                    .build())
            .build();
    for (LogType type : LogType.values()) {
      CfnTable table =
          CfnTable.Builder.create(this, "Table-" + type.id())
              .catalogId(account)
              .databaseName(databaseName)
              .tableInput(tableInput(type, config, bucketName))
              .build();
      table.addDependency(database);
      tables.put(type, table);
    }

    workGroup =
        CfnWorkGroup.Builder.create(this, "WorkGroup")
            .name(workGroupName(environment))
            .description("queries over the platform logs of " + environment)
            .state("ENABLED")
            .recursiveDeleteOption(!config.isProduction())
            .workGroupConfiguration(
                CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                    .enforceWorkGroupConfiguration(true)
                    .publishCloudWatchMetricsEnabled(true)
                    .bytesScannedCutoffPerQuery(BYTES_SCANNED_CUTOFF)
                    .engineVersion(
                        CfnWorkGroup.EngineVersionProperty.builder()
                            .selectedEngineVersion("Athena engine version 3")
                            .build())
                    .resultConfiguration(
                        CfnWorkGroup.ResultConfigurationProperty.builder()
                            .outputLocation("s3://" + bucketName + "/" + RESULTS_PREFIX)
                            .encryptionConfiguration(
                                CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                    .encryptionOption("SSE_KMS")
                                    .kmsKey(key.getKeyArn())
                                    .build())
                            .build())
                    .build())
            .build();
  }

  private CfnDeliveryStream deliveryStream(
      EnvironmentConfig config, String bucketName, int intervalSeconds, RemovalPolicy removal) {
    LogGroup errors =
        LogGroup.Builder.create(this, "DeliveryErrors")
            .logGroupName("/aws/kinesisfirehose/cdp-" + environment + "-logs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(removal)
            .build();
    LogStream errorStream =
        LogStream.Builder.create(this, "DeliveryErrorStream")
            .logGroup(errors)
            .logStreamName("S3Delivery")
            .removalPolicy(removal)
            .build();
    Role role =
        Role.Builder.create(this, "DeliveryRole")
            .assumedBy(new ServicePrincipal("firehose.amazonaws.com"))
            .description("lets the log delivery stream write the logs bucket")
            .build();
    // Exactly the S3 and KMS actions Firehose's delivery to S3 needs (its documented role policy),
    // not bucket.grantReadWrite: that would also let the stream delete or overwrite-by-delete the
    // platform's logs.
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(FIREHOSE_BUCKET_ACTIONS)
            .resources(List.of(bucket.getBucketArn()))
            .build());
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(FIREHOSE_OBJECT_ACTIONS)
            .resources(List.of(bucket.arnForObjects("*")))
            .build());
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
            .resources(List.of(key.getKeyArn()))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of(
                        "kms:ViaService", "s3." + Stack.of(this).getRegion() + ".amazonaws.com")))
            .build());
    errors.grantWrite(role);

    CfnDeliveryStream delivery =
        CfnDeliveryStream.Builder.create(this, "Stream")
            .deliveryStreamName("cdp-" + environment + "-logs")
            .deliveryStreamType("DirectPut")
            .deliveryStreamEncryptionConfigurationInput(
                CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty.builder()
                    .keyType("AWS_OWNED_CMK")
                    .build())
            .extendedS3DestinationConfiguration(
                CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty.builder()
                    .bucketArn(bucket.getBucketArn())
                    .roleArn(role.getRoleArn())
                    .prefix(LogLayout.firehosePrefix())
                    .errorOutputPrefix(LogLayout.firehoseErrorPrefix())
                    .compressionFormat("GZIP")
                    .bufferingHints(
                        CfnDeliveryStream.BufferingHintsProperty.builder()
                            .sizeInMBs(BUFFER_SIZE_MB)
                            .intervalInSeconds(intervalSeconds)
                            .build())
                    .dynamicPartitioningConfiguration(
                        CfnDeliveryStream.DynamicPartitioningConfigurationProperty.builder()
                            .enabled(true)
                            .retryOptions(
                                CfnDeliveryStream.RetryOptionsProperty.builder()
                                    .durationInSeconds(300)
                                    .build())
                            .build())
                    .processingConfiguration(
                        CfnDeliveryStream.ProcessingConfigurationProperty.builder()
                            .enabled(true)
                            .processors(
                                List.of(
                                    CfnDeliveryStream.ProcessorProperty.builder()
                                        .type("MetadataExtraction")
                                        .parameters(
                                            List.of(
                                                parameter(
                                                    "MetadataExtractionQuery",
                                                    LogLayout.jqMetadataQuery()),
                                                parameter("JsonParsingEngine", "JQ-1.6")))
                                        .build(),
                                    CfnDeliveryStream.ProcessorProperty.builder()
                                        .type("AppendDelimiterToRecord")
                                        .parameters(List.of(parameter("Delimiter", "\\n")))
                                        .build()))
                            .build())
                    .encryptionConfiguration(
                        CfnDeliveryStream.EncryptionConfigurationProperty.builder()
                            .kmsEncryptionConfig(
                                CfnDeliveryStream.KMSEncryptionConfigProperty.builder()
                                    .awskmsKeyArn(key.getKeyArn())
                                    .build())
                            .build())
                    .cloudWatchLoggingOptions(
                        CfnDeliveryStream.CloudWatchLoggingOptionsProperty.builder()
                            .enabled(true)
                            .logGroupName(errors.getLogGroupName())
                            .logStreamName(errorStream.getLogStreamName())
                            .build())
                    .build())
            .build();
    // The role's policy must exist before Firehose checks it can write the bucket.
    delivery.getNode().addDependency(role);
    return delivery;
  }

  private static CfnDeliveryStream.ProcessorParameterProperty parameter(String name, String value) {
    return CfnDeliveryStream.ProcessorParameterProperty.builder()
        .parameterName(name)
        .parameterValue(value)
        .build();
  }

  private static CfnTable.TableInputProperty tableInput(
      LogType type, EnvironmentConfig config, String bucketName) {
    List<CfnTable.ColumnProperty> columns = new ArrayList<>();
    for (LogSchema.Column column : LogSchema.COLUMNS) {
      columns.add(
          CfnTable.ColumnProperty.builder()
              .name(column.name().toLowerCase(Locale.ROOT))
              .type(column.hiveType().toLowerCase(Locale.ROOT))
              .build());
    }
    List<CfnTable.ColumnProperty> partitions = new ArrayList<>();
    for (String partition : LogSchema.PARTITION_COLUMNS) {
      partitions.add(
          CfnTable.ColumnProperty.builder()
              .name(partition.toLowerCase(Locale.ROOT))
              .type("string")
              .build());
    }
    return CfnTable.TableInputProperty.builder()
        .name(type.id())
        .description(type.displayName() + " logs (legacy table " + type.legacyTable() + ")")
        .tableType("EXTERNAL_TABLE")
        .parameters(projection(type, config, bucketName))
        .partitionKeys(partitions)
        .storageDescriptor(
            CfnTable.StorageDescriptorProperty.builder()
                .columns(columns)
                .location("s3://" + bucketName + "/" + LogLayout.PREFIX)
                .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                .compressed(true)
                .serdeInfo(
                    CfnTable.SerdeInfoProperty.builder()
                        .serializationLibrary("org.openx.data.jsonserde.JsonSerDe")
                        .parameters(
                            Map.of("ignore.malformed.json", "true", "case.insensitive", "true"))
                        .build())
                .build())
        .build();
  }

  /** Partition projection: Athena computes the partitions from these, no crawler or repair. */
  static Map<String, String> projection(LogType type, EnvironmentConfig config, String bucketName) {
    List<String> organizations = new ArrayList<>(config.organizations());
    organizations.add(PlatformLogger.NO_ORGANIZATION);
    organizations.add(PlatformLogger.INVALID_ORGANIZATION);
    Map<String, String> p = new LinkedHashMap<>();
    p.put("classification", "json");
    p.put("compressionType", "gzip");
    p.put("EXTERNAL", "TRUE");
    p.put("projection.enabled", "true");
    p.put("projection.environment.type", "enum");
    p.put("projection.environment.values", config.name());
    p.put("projection.organizationid.type", "enum");
    p.put("projection.organizationid.values", String.join(",", organizations));
    p.put("projection.logtype.type", "enum");
    p.put("projection.logtype.values", type.id());
    p.put("projection.year.type", "integer");
    p.put("projection.year.range", FIRST_YEAR + "," + LAST_YEAR);
    p.put("projection.month.type", "integer");
    p.put("projection.month.range", "1,12");
    p.put("projection.month.digits", "2");
    p.put("projection.day.type", "integer");
    p.put("projection.day.range", "1,31");
    p.put("projection.day.digits", "2");
    p.put("projection.hour.type", "integer");
    p.put("projection.hour.range", "0,23");
    p.put("projection.hour.digits", "2");
    p.put(
        "storage.location.template",
        "s3://"
            + bucketName
            + "/logs/environment=${environment}/organizationID=${organizationid}/logType=${logtype}"
            + "/year=${year}/month=${month}/day=${day}/hour=${hour}/");
    return p;
  }

  private static List<LifecycleRule> lifecycleRules(EnvironmentConfig config) {
    int keepDays = retentionDays(config);
    return List.of(
        LifecycleRule.builder()
            .id("logs")
            .prefix(LogLayout.PREFIX)
            .transitions(
                List.of(
                    Transition.builder()
                        .storageClass(StorageClass.INFREQUENT_ACCESS)
                        .transitionAfter(Duration.days(30))
                        .build()))
            .expiration(Duration.days(keepDays))
            .build(),
        LifecycleRule.builder()
            .id("logs-errors")
            .prefix(LogLayout.ERROR_PREFIX)
            .expiration(Duration.days(90))
            .build(),
        LifecycleRule.builder()
            .id("athena-results")
            .prefix(RESULTS_PREFIX)
            .expiration(Duration.days(7))
            .build(),
        LifecycleRule.builder()
            .id("incomplete-uploads")
            .abortIncompleteMultipartUploadAfter(Duration.days(1))
            .build());
  }

  private Metric firehoseMetric(String name, String statistic) {
    return Metric.Builder.create()
        .namespace("AWS/Firehose")
        .metricName(name)
        .dimensionsMap(Map.of("DeliveryStreamName", "cdp-" + environment + "-logs"))
        .statistic(statistic)
        .period(Duration.minutes(5))
        .build();
  }

  /** Platform logs are kept at least 90 days, or the environment's log retention if longer. */
  public static int retentionDays(EnvironmentConfig config) {
    return Math.max(90, config.logRetentionDays());
  }

  /**
   * The most partitions that can be open at once: every organization (plus the {@code platform} and
   * {@code unknown} values) times every log type, twice around the turn of an hour.
   */
  public static int activePartitions(EnvironmentConfig config) {
    return (config.organizations().size() + 2) * LogType.values().length * 2;
  }

  /**
   * The buffer interval: a minute while few partitions are active; five minutes beyond 100, so each
   * partition still gets objects of a sensible size and the PUT rate ({@code partitions * 3600 /
   * interval} objects an hour) stays bounded. The size hint (64 MiB, the minimum with dynamic
   * partitioning) is rarely reached by logs: the interval decides.
   */
  public static int bufferIntervalSeconds(int activePartitions) {
    return activePartitions <= 100 ? 60 : 300;
  }

  public static String databaseName(String environment) {
    return "cdp_" + environment + "_logs";
  }

  public static String workGroupName(String environment) {
    return com.cdp.model.config.ResourceNames.logsWorkGroup(environment);
  }

  /**
   * Lets a function (or role) publish to the log topic, including the two key actions SNS needs for
   * an encrypted topic (exact actions, no wildcard).
   */
  public void grantPublish(IGrantable grantee) {
    // Not topic.grantPublish: it also grants kms:GenerateDataKey*, wider than SNS needs.
    Grant.addToPrincipal(
        GrantOnPrincipalOptions.builder()
            .grantee(grantee)
            .actions(List.of("sns:Publish"))
            .resourceArns(List.of(topic.getTopicArn()))
            .build());
    key.grant(grantee, "kms:GenerateDataKey", "kms:Decrypt");
  }

  public ITopic topic() {
    return topic;
  }

  public String topicArn() {
    return topic.getTopicArn();
  }

  public IBucket bucket() {
    return bucket;
  }

  public CfnDeliveryStream deliveryStream() {
    return stream;
  }

  public CfnTable table(LogType type) {
    return tables.get(type);
  }

  public CfnWorkGroup workGroup() {
    return workGroup;
  }

  public String databaseName() {
    return databaseName(environment);
  }
}
