package com.cdp.ingestion.loader;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.aws.retry.Backoff;
import com.cdp.ingestion.ChunkKeys;
import com.cdp.ingestion.IngestionFiles;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.config.Buckets;
import com.cdp.model.config.EnvReader;
import com.cdp.warehouse.BatchWriter;
import com.cdp.warehouse.TransactionEvents;
import com.cdp.warehouse.TransactionWritePath;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Lambda entry point for object-created events on transaction chunks. Thin: decodes each record's
 * key and hands it to {@link LoaderService}.
 */
public final class LoaderHandler implements RequestHandler<S3Event, Void> {
  private final LoaderService service;
  private final PlatformLogger logger;

  /** Used by the Lambda runtime: real clients from the environment, built once per container. */
  public LoaderHandler() {
    this(production(), PlatformLogger.fromEnvironment());
  }

  public LoaderHandler(LoaderService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  private static LoaderService production() {
    LoaderConfig config = LoaderConfig.from(EnvReader.system());
    AwsTarget target = AwsTarget.fromEnvironment();
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(target);
    EventBridgeClient events = AwsClients.build(EventBridgeClient.builder(), target);
    TransactionWritePath writePath =
        new TransactionWritePath(
            new BatchWriter(dynamoDb, config.concurrency(), Backoff.standard()),
            new TransactionEvents(events, config.eventBusName(), Backoff.standard()),
            config.warehouseTable());
    return new LoaderService(
        S3Clients.s3(target),
        new IngestionFiles(dynamoDb, config.ingestionTable()),
        writePath,
        Buckets.of(config.environment()),
        Clock.systemUTC());
  }

  @Override
  public Void handleRequest(S3Event event, Context context) {
    try {
      for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
        String bucket = record.getS3().getBucket().getName();
        String key = ChunkKeys.decodeEventKey(record.getS3().getObject().getKey());
        String org = service.organizationOf(bucket).map(o -> o.value()).orElse(null);
        try (RequestLog log = logger.open(LogType.AGW, org, null)) {
          log.put("function", "txn-loader");
          log.invocation(context == null ? null : context.getAwsRequestId());
          try {
            LoaderService.Outcome outcome = service.load(bucket, key, log);
            log.put("outcome", outcome.name());
          } catch (RuntimeException e) {
            log.failure("load", "loading the chunk failed: " + e.getMessage(), Map.of("key", key));
            throw e;
          }
        }
      }
      return null;
    } finally {
      logger.flush();
    }
  }
}
