package com.cdp.ingestion.chunker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.ingestion.ChunkKeys;
import com.cdp.ingestion.IngestionFiles;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.config.Buckets;
import com.cdp.model.config.EnvReader;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Lambda entry point for object-created events under {@code transactions/} in an organization's
 * data-delivery bucket. Thin: decodes each record's key and hands it to {@link ChunkerService}.
 */
public final class ChunkerHandler implements RequestHandler<S3Event, Void> {
  private final ChunkerService service;
  private final PlatformLogger logger;

  /** Used by the Lambda runtime: real clients from the environment, built once per container. */
  public ChunkerHandler() {
    this(production(), PlatformLogger.fromEnvironment());
  }

  public ChunkerHandler(ChunkerService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  private static ChunkerService production() {
    ChunkerConfig config = ChunkerConfig.from(EnvReader.system());
    AwsTarget target = AwsTarget.fromEnvironment();
    return new ChunkerService(
        S3Clients.s3(target),
        new IngestionFiles(AwsClients.dynamoDb(target), config.ingestionTable()),
        Buckets.of(config.environment()),
        config.limits(),
        Clock.systemUTC());
  }

  @Override
  public Void handleRequest(S3Event event, Context context) {
    try {
      for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
        String bucket = record.getS3().getBucket().getName();
        String key = ChunkKeys.decodeEventKey(record.getS3().getObject().getKey());
        String eTag = record.getS3().getObject().geteTag();
        String org = service.organizationOf(bucket).map(o -> o.value()).orElse(null);
        try (RequestLog log = logger.open(LogType.AGW, org, null)) {
          log.put("function", "txn-chunker");
          log.invocation(context == null ? null : context.getAwsRequestId());
          log.event("received", "object created", Map.of("bucket", bucket, "key", key));
          try {
            ChunkerService.Outcome outcome = service.chunk(bucket, key, eTag, log);
            log.put("outcome", outcome.name());
          } catch (RuntimeException e) {
            log.failure("chunk", "chunking failed: " + e.getMessage(), Map.of("key", key));
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
