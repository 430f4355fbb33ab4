package com.cdp.ingestion.cleanser;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import com.cdp.model.config.EnvReader;
import com.cdp.model.json.Json;
import com.cdp.warehouse.Backoff;
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
    this(production(), PlatformLogger.fromEnvironment());
  }

  public CleanserHandler(CleanserService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  private static CleanserService production() {
    CleanserConfig config = CleanserConfig.from(EnvReader.system());
    AwsTarget target = AwsTarget.fromEnvironment();
    TransactionCleanser cleanser = new RuleBasedCleanser();
    if (config.segmintEndpoint().isPresent()) {
      // The client stays open: the key is read again when Segmint refuses it (rotated).
      SecretsManagerClient secrets = AwsClients.build(SecretsManagerClient.builder(), target);
      cleanser =
          new SegmintCleanser(
              HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
              new SegmintCleanser.Settings(
                  config.segmintEndpoint().get(),
                  new SecretsManagerApiKey(
                      secrets, config.segmintKeySecret().orElseThrow(), Clock.systemUTC()),
                  config.segmintBatch(),
                  config.segmintRequestsPerSecond(),
                  config.segmintTimeout(),
                  new Backoff(
                      Duration.ofMillis(200),
                      Duration.ofSeconds(5),
                      config.segmintMaxAttempts(),
                      d -> Thread.sleep(d.toMillis()))));
    }
    return new CleanserService(
        AwsClients.dynamoDb(target), config.warehouseTable(), cleanser, Clock.systemUTC());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
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
