package com.cdp.infra.ingestion;

import com.cdp.infra.EnvironmentConfig;
import com.cdp.infra.PlatformFunction;
import com.cdp.infra.PlatformStack;
import com.cdp.model.connector.ConnectorSources;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Transaction ingestion in AWS: the chunker on {@code transactions/*.csv} and the loader on {@code
 * chunks/transactions/*.ndjson.gz} in every organization's data-delivery bucket (S3 notifications
 * from {@link Triggers}), platform-announced transactions and the cleanser on the platform bus
 * (rules with the patterns of {@link Triggers}), a lifecycle rule that expires chunks, an
 * on-failure queue for every asynchronous invocation, and grants limited to the actions each
 * function uses.
 */
public final class Ingestion extends Construct {
  static final int CHUNK_RETENTION_DAYS = 7;

  private final Queue failures;

  public Ingestion(Construct scope, String id, PlatformStack stack) {
    super(scope, id);
    ITable warehouse = stack.table(Tables.WAREHOUSE);
    ITable ingestion = stack.table(Tables.INGESTION);
    failures =
        Queue.Builder.create(this, "FailedInvocations")
            .queueName("cdp-" + stack.config().name() + "-ingestion-failures")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();

    PlatformFunction.Deployed chunker =
        function(
            stack,
            "TxnChunker",
            "lambda-txn-chunker",
            "com.cdp.ingestion.chunker.ChunkerHandler::handleRequest",
            1024,
            Duration.minutes(15),
            Map.of());
    PlatformFunction.Deployed loader =
        function(
            stack,
            "TxnLoader",
            "lambda-txn-loader",
            "com.cdp.ingestion.loader.LoaderHandler::handleRequest",
            1024,
            Duration.minutes(5),
            Map.of("LOADER_CONCURRENCY", "16"));
    PlatformFunction.Deployed announced =
        function(
            stack,
            "PlatformTxnAdded",
            "lambda-platform-txn-added",
            "com.cdp.ingestion.platform.PlatformTxnAddedHandler::handleRequest",
            512,
            Duration.minutes(2),
            Map.of(
                "CONNECTOR_HUB_URL",
                stack.config().connectorHubUrl(),
                ConnectorSources.ENV_VAR,
                stack.config().connectorSourceMap().toJson()));
    stack.allowConnectorHubCalls(announced);
    // With Segmint configured the cleanser cleanses through its Data Services API (client id and
    // secret from the operator's secret); without it, it runs its embedded rules. Every setting is
    // an environment variable, so the template alone describes the function (AWS and locally).
    Optional<EnvironmentConfig.Segmint> segmint = stack.config().segmintSettings();
    int cleanserContainers =
        stack.config().reservedConcurrency(Triggers.Functions.TXN_CLEANSER).orElse(1);
    PlatformFunction.Deployed cleanser =
        function(
            stack,
            "TxnCleanser",
            "lambda-txn-cleanser",
            "com.cdp.ingestion.cleanser.CleanserHandler::handleRequest",
            512,
            Duration.minutes(2),
            segmint
                .map(
                    s ->
                        Map.of(
                            "SEGMINT_BASE_URL", s.endpoint(),
                            "SEGMINT_PARTNER_ID", s.partnerId(),
                            "SEGMINT_CREDENTIALS_SECRET", s.credentialsSecret(),
                            "SEGMINT_CONCURRENCY", Integer.toString(s.concurrency()),
                            "SEGMINT_REQUESTS_PER_SECOND",
                                Integer.toString(
                                    s.requestsPerSecondPerContainer(cleanserContainers))))
                .orElse(Map.of()));
    segmint.ifPresent(
        s ->
            Secret.fromSecretNameV2(this, "SegmintCredentials", s.credentialsSecret())
                .grantRead(cleanser.function()));

    for (Bucket bucket : stack.dataDeliveryBuckets().values()) {
      bucket.addEventNotification(
          EventType.OBJECT_CREATED,
          new LambdaDestination(chunker.alias()),
          filter(Triggers.TRANSACTION_FILES));
      bucket.addEventNotification(
          EventType.OBJECT_CREATED,
          new LambdaDestination(loader.alias()),
          filter(Triggers.TRANSACTION_CHUNKS));
      bucket.addLifecycleRule(
          LifecycleRule.builder()
              .id("expire-transaction-chunks")
              .prefix(Triggers.TRANSACTION_CHUNKS.prefix())
              .expiration(Duration.days(CHUNK_RETENTION_DAYS))
              .noncurrentVersionExpiration(Duration.days(1))
              .build());
      bucket.grantRead(chunker.function(), Triggers.TRANSACTION_FILES.prefix() + "*");
      bucket.grantPut(chunker.function(), Triggers.TRANSACTION_FILES.excludedPrefix() + "*");
      bucket.grantPut(chunker.function(), Triggers.TRANSACTION_CHUNKS.prefix() + "*");
      // reads the final report's copy back when a duplicate run raced the last loader
      bucket.grantRead(chunker.function(), Triggers.TRANSACTION_CHUNKS.prefix() + "*");
      bucket.grantRead(loader.function(), Triggers.TRANSACTION_CHUNKS.prefix() + "*");
      bucket.grantPut(loader.function(), Triggers.TRANSACTION_CHUNKS.prefix() + "*");
      bucket.grantPut(loader.function(), Triggers.TRANSACTION_FILES.excludedPrefix() + "*");
    }

    ingestion.grant(chunker.function(), "dynamodb:GetItem", "dynamodb:UpdateItem");
    ingestion.grant(loader.function(), "dynamodb:GetItem", "dynamodb:UpdateItem");
    // UpdateItem: the owners' listedOn only moves forward (AccountOwnership.listed).
    warehouse.grant(loader.function(), "dynamodb:BatchWriteItem", "dynamodb:UpdateItem");
    stack.eventBus().grantPutEventsTo(loader.function());

    ingestion.grant(
        announced.function(), "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
    warehouse.grant(
        announced.function(),
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:BatchWriteItem",
        "dynamodb:UpdateItem");
    stack.eventBus().grantPutEventsTo(announced.function());

    warehouse.grant(cleanser.function(), "dynamodb:Query", "dynamodb:UpdateItem");

    rule(stack, Triggers.CONNECTOR_TRANSACTIONS_ANNOUNCED, announced);
    rule(stack, Triggers.CLEANSE_ADDED_TRANSACTIONS, cleanser);
  }

  /** Where invocations that failed every retry end up. */
  public Queue failures() {
    return failures;
  }

  private PlatformFunction.Deployed function(
      PlatformStack stack,
      String id,
      String module,
      String handler,
      int memoryMb,
      Duration timeout,
      Map<String, String> env) {
    PlatformFunction.Deployed deployed =
        PlatformFunction.create(
            this, stack, new PlatformFunction.Spec(id, module, handler, memoryMb, timeout, env));
    deployed
        .alias()
        .configureAsyncInvoke(
            EventInvokeConfigOptions.builder()
                .onFailure(new SqsDestination(failures))
                .retryAttempts(2)
                .maxEventAge(Duration.hours(6))
                .build());
    return deployed;
  }

  private static NotificationKeyFilter filter(Triggers.S3Trigger trigger) {
    NotificationKeyFilter.Builder filter = NotificationKeyFilter.builder().prefix(trigger.prefix());
    return trigger.hasSuffix() ? filter.suffix(trigger.suffix()).build() : filter.build();
  }

  private void rule(
      PlatformStack stack, Triggers.EventTrigger trigger, PlatformFunction.Deployed target) {
    Rule rule =
        Rule.Builder.create(this, "Rule-" + trigger.ruleName())
            .eventBus(stack.eventBus())
            .description(trigger.function() + " on " + trigger.ruleName())
            // Replaced below by the exact pattern of Triggers (shared with the local event bus).
            .eventPattern(EventPattern.builder().source(List.of("placeholder")).build())
            .build();
    ((CfnRule) rule.getNode().getDefaultChild())
        .addPropertyOverride("EventPattern", Json.convert(Json.tree(trigger.pattern()), Map.class));
    rule.addTarget(
        new LambdaFunction(
            target.alias(),
            LambdaFunctionProps.builder()
                .deadLetterQueue(failures)
                .retryAttempts(4)
                .maxEventAge(Duration.hours(2))
                .build()));
  }
}
