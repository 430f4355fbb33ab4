package com.cdp.ingestion.platform;

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
import com.cdp.model.connector.HubApiKey;
import com.cdp.model.event.Events;
import com.cdp.model.event.Topic;
import com.cdp.model.json.Json;
import com.cdp.warehouse.BatchWriter;
import com.cdp.warehouse.TransactionEvents;
import com.cdp.warehouse.TransactionWritePath;
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
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Lambda entry point for the EventBridge rule on {@code platform_account_transactionadded}. Thin:
 * parses the event and hands its detail to {@link PlatformTransactionsService}.
 */
public final class PlatformTxnAddedHandler implements RequestStreamHandler {
  private final PlatformTransactionsService service;
  private final PlatformLogger logger;
  private final AnnouncementMetrics metrics;

  /** Used by the Lambda runtime: real clients from the environment, built once per container. */
  public PlatformTxnAddedHandler() {
    this(PlatformTxnConfig.from(EnvReader.system()));
  }

  private PlatformTxnAddedHandler(PlatformTxnConfig config) {
    this(
        production(config),
        PlatformLogger.fromEnvironment(),
        new AnnouncementMetrics(config.environment(), System.out, Clock.systemUTC()));
  }

  /** Metrics go to standard output as in Lambda (the local platform uses this one). */
  public PlatformTxnAddedHandler(PlatformTransactionsService service, PlatformLogger logger) {
    this(service, logger, new AnnouncementMetrics("local", System.out, Clock.systemUTC()));
  }

  PlatformTxnAddedHandler(
      PlatformTransactionsService service, PlatformLogger logger, AnnouncementMetrics metrics) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  private static PlatformTransactionsService production(PlatformTxnConfig config) {
    AwsTarget target = AwsTarget.fromEnvironment();
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(target);
    EventBridgeClient events = AwsClients.build(EventBridgeClient.builder(), target);
    return new PlatformTransactionsService(
        new CoreTransactionsClient(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
            config.hubBaseUrl(),
            config.coreConnector(),
            config.coreVersion(),
            config.hubTimeout(),
            HubApiKey.reading(
                () -> {
                  try (SecretsManagerClient secrets =
                      AwsClients.build(SecretsManagerClient.builder(), target)) {
                    return secrets
                        .getSecretValue(r -> r.secretId(config.hubApiKeySecret()))
                        .secretString();
                  }
                },
                Clock.systemUTC())),
        new TransactionWritePath(
            new BatchWriter(dynamoDb, config.concurrency(), Backoff.standard()),
            new TransactionEvents(events, config.eventBusName(), Backoff.standard()),
            config.warehouseTable()),
        dynamoDb,
        config.ingestionTable(),
        config.connectorSources(),
        config.accountConcurrency(),
        Clock.systemUTC());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    handle(new String(input.readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Handles one EventBridge event (the full event JSON). */
  public PlatformTransactionsService.Result handle(String eventJson) {
    try {
      JsonNode event = Json.tree(eventJson);
      JsonNode detailNode = event.path("detail");
      Events.PlatformAccountTransactionAdded detail;
      try {
        detail = Json.convert(detailNode, Events.PlatformAccountTransactionAdded.class);
        com.cdp.model.id.OrganizationId.of(detail.organizationId());
      } catch (IllegalArgumentException | NullPointerException e) {
        // A malformed announcement never becomes valid by retrying it: log it and drop it.
        try (RequestLog log = logger.open(LogType.HUB, null, null)) {
          log.failure(
              "malformed",
              "platform_account_transactionadded without a valid organizationId and accounts",
              Map.of("reason", String.valueOf(e.getMessage())));
        }
        return new PlatformTransactionsService.Result(0, 0, 0, 0);
      }
      try (RequestLog log =
          logger.open(LogType.HUB, detail.organizationId(), TransactionIds.fromEvent(detailNode))) {
        log.put("function", "platform-txn-added");
        log.put("source", event.path("source").asText());
        if (!Topic.PLATFORM_ACCOUNT_TRANSACTION_ADDED
                .detailType()
                .equals(event.path("detail-type").asText())
            || !event.path("source").asText().startsWith(Topic.CONNECTOR_SOURCE_PREFIX)) {
          log.failure("ignore", "not a connector's platform_account_transactionadded", Map.of());
          return new PlatformTransactionsService.Result(0, 0, 0, 0);
        }
        try {
          PlatformTransactionsService.Result result =
              service.handle(event.path("source").asText(), detail, log);
          metrics.record(result);
          log.event(
              "handled",
              "processed the announcement",
              Map.of(
                  "accounts", result.accounts(),
                  "loaded", result.loaded(),
                  "announced", result.announced(),
                  "skipped", result.skipped(),
                  "refused", result.refused(),
                  "ownerHintMismatches", result.ownerHintMismatches()));
          return result;
        } catch (RuntimeException e) {
          log.failure("handle", "failed: " + e.getMessage(), Map.of());
          throw e;
        }
      }
    } finally {
      logger.flush();
    }
  }
}
