package com.cdp.ingestion.cleanser;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.retry.Backoff;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.config.EnvReader;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Lambda entry point for the EventBridge rule on {@code account_transactionadded}. Thin: parses the
 * event and hands its detail to {@link CleanserService}.
 */
public final class CleanserHandler implements RequestStreamHandler {
  private final CleanserService service;
  private final PlatformLogger logger;

  /** Used by the Lambda runtime: real clients from the environment, built once per container. */
  public CleanserHandler() {
    this(
        wire(
            EnvReader.system(),
            AwsTarget.fromEnvironment(),
            AwsClients.dynamoDb(AwsTarget.fromEnvironment())),
        PlatformLogger.fromEnvironment());
  }

  public CleanserHandler(CleanserService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  /**
   * The one wiring of the cleanser from its environment variables ({@link CleanserConfig}), called
   * by the Lambda runtime's constructor with the process environment (locally too: the local
   * platform runs this jar with the template's variables).
   */
  static CleanserService wire(EnvReader env, AwsTarget target, DynamoDbClient dynamoDb) {
    CleanserConfig config = CleanserConfig.from(env);
    TransactionCleanser cleanser = new RuleBasedCleanser();
    if (config.segmint().isPresent()) {
      CleanserConfig.Segmint s = config.segmint().get();
      // The client stays open: the credentials are read again when Segmint refuses them.
      SecretsManagerClient secrets = AwsClients.build(SecretsManagerClient.builder(), target);
      cleanser =
          new SegmintCleanser(
              new SegmintClient(
                  HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
                  new SegmintClient.Settings(
                      s.baseUrl(),
                      s.partnerId(),
                      s.requestsPerSecond(),
                      s.timeout(),
                      s.maxRetryAfter(),
                      new Backoff(
                          Duration.ofMillis(200),
                          Duration.ofSeconds(5),
                          s.maxAttempts(),
                          d -> Thread.sleep(d.toMillis()))),
                  new SecretsManagerCredentials(secrets, s.credentialsSecret(), Clock.systemUTC()),
                  Clock.systemUTC()),
              s.concurrency(),
              s.cacheEntries());
    }
    return new CleanserService(dynamoDb, config.warehouseTable(), cleanser, Clock.systemUTC());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    handle(new String(input.readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Handles one EventBridge event (the full event JSON); returns how many items it enriched. */
  public int handle(String eventJson) {
    try {
      JsonNode detail = Json.tree(eventJson).path("detail");
      try (RequestLog log =
          logger.open(
              LogType.AGW,
              detail.path("organizationId").asText(null),
              TransactionIds.fromEvent(detail))) {
        log.put("function", "txn-cleanser");
        try {
          return service.handle(detail, log);
        } catch (com.cdp.model.ValidationException e) {
          // A malformed event never becomes valid by retrying it: log it and drop it.
          log.failure(
              "malformed",
              "event detail is not a valid account_transactionadded",
              Map.of("reason", e.getMessage()));
          return 0;
        } catch (RuntimeException e) {
          log.failure("clean", "cleansing failed: " + e.getMessage(), Map.of());
          throw e;
        }
      }
    } finally {
      logger.flush();
    }
  }
}
