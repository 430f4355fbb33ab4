package com.cdp.ingestion.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.json.Json;
import org.junit.jupiter.api.Test;

class PlatformTxnAddedHandlerTest {
  private final InMemoryLogPublisher logs = new InMemoryLogPublisher();

  /** The service is never reached for these events, so none is needed. */
  private final PlatformTxnAddedHandler handler =
      new PlatformTxnAddedHandler(
          new PlatformTransactionsService(
              new CoreTransactionsClient(
                  java.net.http.HttpClient.newHttpClient(),
                  java.net.URI.create("http://127.0.0.1:9"),
                  "cdp-core",
                  "1",
                  java.time.Duration.ofSeconds(1),
                  com.cdp.model.connector.HubApiKey.fixed("unused")),
              unusedWritePath(),
              unusedDynamoDb(),
              "ingestion",
              com.cdp.model.connector.ConnectorSources.of(
                  java.util.Map.of("tcu", java.util.List.of("cdp.connector.cdp-transfer"))),
              1,
              java.time.Clock.systemUTC()),
          PlatformLogger.inMemory(logs));

  private static com.cdp.warehouse.TransactionWritePath unusedWritePath() {
    software.amazon.awssdk.services.dynamodb.DynamoDbClient db = unusedDynamoDb();
    software.amazon.awssdk.services.eventbridge.EventBridgeClient bus =
        new software.amazon.awssdk.services.eventbridge.EventBridgeClient() {
          @Override
          public String serviceName() {
            return "events";
          }

          @Override
          public void close() {}
        };
    return new com.cdp.warehouse.TransactionWritePath(
        new com.cdp.warehouse.BatchWriter(db, 1, com.cdp.aws.retry.Backoff.immediate(1)),
        new com.cdp.warehouse.TransactionEvents(bus, "bus", com.cdp.aws.retry.Backoff.immediate(1)),
        "warehouse");
  }

  private static software.amazon.awssdk.services.dynamodb.DynamoDbClient unusedDynamoDb() {
    return new software.amazon.awssdk.services.dynamodb.DynamoDbClient() {
      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void handle_whenTheAnnouncementIsMalformed_logsAndDropsItInsteadOfRetrying() {
    var result =
        handler.handle(
            "{\"source\":\"cdp.connector.x\",\"detail-type\":\"platform_account_transactionadded\","
                + "\"detail\":{\"eventId\":\"e1\"}}");
    assertThat(result.accounts()).isZero();
    assertThat(Json.tree(logs.messages().get(0)).toString()).contains("malformed");
  }

  @Test
  void handle_whenTheSourceIsNotAConnector_ignoresTheEvent() {
    var result =
        handler.handle(
            "{\"source\":\"someone.else\",\"detail-type\":\"platform_account_transactionadded\","
                + "\"detail\":{\"organizationId\":\"tcu\",\"eventId\":\"e1\",\"accounts\":[]}}");
    assertThat(result.accounts()).isZero();
    assertThat(Json.tree(logs.messages().get(0)).toString()).contains("ignore");
  }

  @Test
  void handle_anInvalidAccountId_isSkippedWithoutItsValueInTheLog_underTheAnnouncementsFlow() {
    String flow = "0b9e1f7c-3a52-4d8e-9c21-5f6a7b8c9d01";
    var result =
        handler.handle(
            "{\"source\":\"cdp.connector.cdp-transfer\","
                + "\"detail-type\":\"platform_account_transactionadded\","
                + "\"detail\":{\"organizationId\":\"tcu\",\"eventId\":\"e1\",\"transactionId\":\""
                + flow
                + "\",\"accounts\":[{\"accountId\":\"ACCT#12345678\"}]}}");
    assertThat(result.skipped()).isEqualTo(1);
    String message = logs.messages().get(0);
    assertThat(message).contains("invalid_account_id").doesNotContain("12345678");
    assertThat(Json.tree(message).get("transactionId").asText()).isEqualTo(flow);
  }
}
