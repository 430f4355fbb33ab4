package com.cdp.connectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.connector.ConnectorEventCall;
import com.cdp.model.connector.HubApiKey;
import com.cdp.model.json.Json;
import com.cdp.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The function against WireMock standing in for the Connector Hub. */
class CallConnectorHandlerTest {
  private static final String PATH = "/hub/connectors/cdp-transfer/1/syncTransfers";
  private static final String PAYLOAD =
      """
      {"organizationId":"tcu","connector":"cdp-transfer","version":"1","method":"syncTransfers",
       "params":{"since":"2026-11-27","limit":50}}""";

  private static WireMockServer hub;
  private InMemoryLogPublisher logs;
  private CallConnectorHandler handler;

  @BeforeAll
  static void startHub() {
    hub = new WireMockServer(options().dynamicPort());
    hub.start();
  }

  @AfterAll
  static void stopHub() {
    hub.stop();
  }

  @BeforeEach
  void setUp() {
    hub.resetAll();
    logs = new InMemoryLogPublisher();
    handler = handler(URI.create(hub.baseUrl() + "/hub"), Duration.ofSeconds(5));
  }

  private static final String HUB_KEY = "hub-key-of-dev";

  private CallConnectorHandler handler(URI base, Duration timeout) {
    return handler(base, timeout, HubApiKey.fixed(HUB_KEY));
  }

  private CallConnectorHandler handler(URI base, Duration timeout, HubApiKey key) {
    PlatformLogger logger = PlatformLogger.inMemory(logs);
    return new CallConnectorHandler(
        new ConnectorCaller(
            new HubClient(HubClient.httpClient(timeout), base, key),
            timeout,
            logger,
            Clock.systemUTC()),
        logger);
  }

  private JsonNode invoke(String payload) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)),
        out,
        new TestLambdaContext("call-connector", 30_000));
    return Json.tree(out.toString(StandardCharsets.UTF_8));
  }

  private List<JsonNode> logMessages() {
    return logs.messages().stream().map(Json::tree).toList();
  }

  @Test
  void success_postsParamsWithOrganizationAndTransactionHeaders_andLogsAHubCall() throws Exception {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("{\"synced\":3}")));

    JsonNode result = invoke(PAYLOAD);

    assertThat(result.path("status").asText()).isEqualTo("succeeded");
    assertThat(result.path("httpStatus").asInt()).isEqualTo(200);
    String transactionId = result.path("transactionId").asText();
    assertThat(transactionId).isNotBlank();
    hub.verify(
        1,
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("x-organization-id", equalTo("tcu"))
            .withHeader("x-transaction-id", equalTo(transactionId))
            .withHeader("content-type", equalTo("application/json"))
            .withRequestBody(equalToJson("{\"since\":\"2026-11-27\",\"limit\":50}")));
    JsonNode log = logMessages().get(0);
    assertThat(log.path("logType").asText()).isEqualTo("hub");
    assertThat(log.path("organizationID").asText()).isEqualTo("tcu");
    assertThat(log.path("transactionId").asText()).isEqualTo(transactionId);
    assertThat(log.path("events").get(0).path("success").asBoolean()).isTrue();
    assertThat(log.toString()).doesNotContain("2026-11-27"); // params are not logged
  }

  @Test
  void everyCall_carriesTheHubKey() throws Exception {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200)));

    invoke(PAYLOAD);

    hub.verify(
        1, postRequestedFor(urlEqualTo(PATH)).withHeader(HubApiKey.HEADER, equalTo(HUB_KEY)));
  }

  @Test
  void aHubThatRequiresTheKey_refusesACallerWithAnotherKey_andTheLogDoesNotShowTheKey()
      throws Exception {
    hub.stubFor(
        post(PATH)
            .withHeader(HubApiKey.HEADER, equalTo(HUB_KEY))
            .willReturn(aResponse().withStatus(200)));
    hub.stubFor(
        post(PATH)
            .withHeader(HubApiKey.HEADER, com.github.tomakehurst.wiremock.client.WireMock.absent())
            .willReturn(aResponse().withStatus(401)));
    hub.stubFor(
        post(PATH)
            .withHeader(
                HubApiKey.HEADER,
                com.github.tomakehurst.wiremock.client.WireMock.notMatching(HUB_KEY))
            .willReturn(aResponse().withStatus(401)));
    handler =
        handler(
            URI.create(hub.baseUrl() + "/hub"),
            Duration.ofSeconds(5),
            HubApiKey.fixed("someone-elses-key"));

    JsonNode result = invoke(PAYLOAD);

    assertThat(result.path("status").asText()).isEqualTo("permanent_failure");
    assertThat(result.path("httpStatus").asInt()).isEqualTo(401);
    assertThat(logs.messages().toString()).doesNotContain("someone-elses-key");
  }

  @Test
  void aRotatedKey_isReadAgainAfterTheHubRefusesTheOldOne_andTheCallIsSentOnceMore()
      throws Exception {
    hub.stubFor(
        post(PATH)
            .withHeader(HubApiKey.HEADER, equalTo("new-key"))
            .willReturn(aResponse().withStatus(200)));
    hub.stubFor(
        post(PATH)
            .withHeader(HubApiKey.HEADER, equalTo("old-key"))
            .willReturn(aResponse().withStatus(401)));
    java.util.concurrent.atomic.AtomicReference<String> secret =
        new java.util.concurrent.atomic.AtomicReference<>("old-key");
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(
            java.time.Instant.parse("2026-12-03T08:00:00Z"));
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            return now.get();
          }
        };
    HubApiKey key = HubApiKey.reading(secret::get, clock);
    handler = handler(URI.create(hub.baseUrl() + "/hub"), Duration.ofSeconds(5), key);
    secret.set("new-key"); // rotated in Secrets Manager
    now.set(now.get().plus(HubApiKey.MIN_RELOAD_GAP).plusSeconds(1));

    JsonNode result = invoke(PAYLOAD);

    assertThat(result.path("status").asText()).isEqualTo("succeeded");
    hub.verify(2, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void success_passesTheCallersTransactionIdThrough() throws Exception {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(204)));
    String payload =
        PAYLOAD.replace(
            "\"params\"", "\"transactionId\":\"7e1a9c44-2b3d-4e5f-8a6b-9c0d1e2f3a4b\",\"params\"");

    JsonNode result = invoke(payload);

    assertThat(result.path("transactionId").asText())
        .isEqualTo("7e1a9c44-2b3d-4e5f-8a6b-9c0d1e2f3a4b");
    hub.verify(
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("x-transaction-id", equalTo("7e1a9c44-2b3d-4e5f-8a6b-9c0d1e2f3a4b")));
  }

  @Test
  void withoutATransactionIdInThePayload_theInvocationIdIsUsed_soRetriesShareIt() {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200)));

    CallOutcome first =
        handler.invoke(PAYLOAD, Duration.ofSeconds(5), "c6af9ac6-7b61-11e6-9a41-93e812345678");
    CallOutcome retry =
        handler.invoke(PAYLOAD, Duration.ofSeconds(5), "c6af9ac6-7b61-11e6-9a41-93e812345678");

    assertThat(first.transactionId())
        .isEqualTo("c6af9ac6-7b61-11e6-9a41-93e812345678")
        .isEqualTo(retry.transactionId());
    hub.verify(
        2,
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("x-transaction-id", equalTo("c6af9ac6-7b61-11e6-9a41-93e812345678")));
  }

  /** A schedule's payload as EventBridge Scheduler delivers it (context attributes filled in). */
  private static String firePayload(String scheduledTime) {
    return PAYLOAD.replace(
        "\"params\"",
        "\"scheduleArn\":\"arn:aws:scheduler:us-east-1:111122223333:schedule/cdp-dev-connectors/"
            + "tcu-sync-transfers\",\"scheduledTime\":\""
            + scheduledTime
            + "\",\"params\"");
  }

  @Test
  void scheduleFire_isCalledUnderAnIdDerivedFromTheFire_sameOnEveryAttemptWhateverTheRequestId() {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200)));

    // Lambda's retry keeps the request id; Scheduler's own retry of a failed delivery does not.
    CallOutcome first =
        handler.invoke(
            firePayload("2026-12-03T19:00:00Z"),
            Duration.ofSeconds(5),
            "c6af9ac6-7b61-11e6-9a41-93e812345678");
    CallOutcome retry =
        handler.invoke(
            firePayload("2026-12-03T19:00:00Z"),
            Duration.ofSeconds(5),
            "0b1c2d3e-7b61-11e6-9a41-93e812345678");
    CallOutcome nextFire =
        handler.invoke(
            firePayload("2026-12-03T19:05:00Z"),
            Duration.ofSeconds(5),
            "c6af9ac6-7b61-11e6-9a41-93e812345678");

    assertThat(first.transactionId())
        .isEqualTo(retry.transactionId())
        .isNotEqualTo("c6af9ac6-7b61-11e6-9a41-93e812345678")
        .isNotEqualTo(nextFire.transactionId());
    assertThat(com.cdp.logging.TransactionIds.isValid(first.transactionId())).isTrue();
    hub.verify(
        2,
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("x-transaction-id", equalTo(first.transactionId())));
    hub.verify(
        1,
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("x-transaction-id", equalTo(nextFire.transactionId())));
  }

  @Test
  void scheduleFire_withThePlaceholdersNotFilledIn_fallsBackToTheInvocationId() {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200)));

    CallOutcome outcome =
        handler.invoke(
            PAYLOAD.replace(
                "\"params\"",
                "\"scheduleArn\":\"<aws.scheduler.schedule-arn>\","
                    + "\"scheduledTime\":\"<aws.scheduler.scheduled-time>\",\"params\""),
            Duration.ofSeconds(5),
            "c6af9ac6-7b61-11e6-9a41-93e812345678");

    assertThat(outcome.transactionId()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e812345678");
  }

  private static final ConnectorEventCall EVENT_CALL =
      new ConnectorEventCall(
          "nickname",
          "{\"detail-type\":[\"account_nicknameupdated\"]}",
          "cdp-transfer",
          "1",
          "syncTransfers",
          null,
          java.util.Map.of("account", "accountId"),
          null);

  /** The payload the event rule's input transformer builds from an event with {@code detail}. */
  private static String eventCallPayload(String detailFields) {
    return Json.write(
        EVENT_CALL.payloadFor(
            Json.tree(
                "{\"detail\":{\"organizationId\":\"tcu\",\"eventId\":\"e-1\",\"accountId\":\"A1\""
                    + detailFields
                    + "}}")));
  }

  @Test
  void eventCall_usesTheEventDetailsTransactionId() throws Exception {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200)));
    String flow = "3b7e2a10-5c4d-4e8f-9a1b-2c3d4e5f6a7b";

    JsonNode result = invoke(eventCallPayload(",\"transactionId\":\"" + flow + "\""));

    assertThat(result.path("status").asText()).isEqualTo("succeeded");
    assertThat(result.path("transactionId").asText()).isEqualTo(flow);
    hub.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("x-transaction-id", equalTo(flow)));
    assertThat(logMessages().get(0).path("transactionId").asText()).isEqualTo(flow);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ",\"transactionId\":\"../../other-flow\"", ",\"transactionId\":42"})
  void eventCall_withoutAValidTransactionIdInTheDetail_isCalledUnderAFreshId(String detail) {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200)));
    String invocation = "c6af9ac6-7b61-11e6-9a41-93e812345678";

    CallOutcome outcome =
        handler.invoke(eventCallPayload(detail), Duration.ofSeconds(5), invocation);

    assertThat(outcome.status()).isEqualTo(CallOutcome.Status.SUCCEEDED);
    assertThat(outcome.transactionId()).isEqualTo(invocation).isNotEqualTo("e-1");
    hub.verify(
        postRequestedFor(urlEqualTo(PATH)).withHeader("x-transaction-id", equalTo(invocation)));
  }

  @Test
  void handleRequest_logsTheLambdaRequestIdAsFunctionRequestId() throws Exception {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200)));
    TestLambdaContext context = new TestLambdaContext("call-connector", 30_000);
    handler.handleRequest(
        new ByteArrayInputStream(PAYLOAD.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(),
        context);
    assertThat(logMessages().get(0).path("function_request_id").asText())
        .isEqualTo(context.getAwsRequestId());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 404, 409, 422})
  void clientError_isAPermanentFailure_loggedAndNotThrown(int status) throws Exception {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(status)));

    JsonNode result = invoke(PAYLOAD);

    assertThat(result.path("status").asText()).isEqualTo("permanent_failure");
    assertThat(result.path("httpStatus").asInt()).isEqualTo(status);
    JsonNode event = logMessages().get(0).path("events").get(0);
    assertThat(event.path("success").asBoolean()).isFalse();
    assertThat(event.path("description").asText()).contains("permanent failure");
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 429, 408})
  void serverErrorOrThrottling_failsTheInvocationSoItIsRetried(int status) {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(status)));

    assertThatThrownBy(() -> invoke(PAYLOAD))
        .isInstanceOf(ConnectorCallFailedException.class)
        .hasMessageContaining("answered " + status);
    JsonNode log = logMessages().get(0);
    assertThat(log.path("events").get(0).path("success").asBoolean()).isFalse();
  }

  @Test
  void timeout_failsTheInvocation_beforeTheFunctionsOwnDeadline() {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
    handler = handler(URI.create(hub.baseUrl() + "/hub"), Duration.ofMillis(300));

    assertThatThrownBy(() -> invoke(PAYLOAD))
        .isInstanceOf(ConnectorCallFailedException.class)
        .hasMessageContaining("timed out after 300 ms");
    assertThat(logMessages().get(0).path("events").get(0).path("description").asText())
        .contains("did not answer");
  }

  @Test
  void timeout_isCappedByWhatIsLeftOfTheInvocation() {
    hub.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));

    assertThatThrownBy(() -> handler.invoke(PAYLOAD, Duration.ofMillis(200), null))
        .isInstanceOf(ConnectorCallFailedException.class)
        .hasMessageContaining("timed out after 200 ms");
  }

  @Test
  void unreachableHub_failsTheInvocation() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    handler = handler(URI.create("http://127.0.0.1:" + closedPort + "/hub"), Duration.ofSeconds(2));

    assertThatThrownBy(() -> invoke(PAYLOAD))
        .isInstanceOf(ConnectorCallFailedException.class)
        .hasMessageContaining("unreachable");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{not json",
        "",
        "[]",
        "{\"organizationId\":\"tcu\",\"version\":\"1\",\"method\":\"m\"}",
        "{\"organizationId\":\"tcu\",\"connector\":\"../../admin\",\"version\":\"1\",\"method\":\"m\"}",
        "{\"organizationId\":\"tcu\",\"connector\":\"c\",\"version\":\"1\",\"method\":\"m\",\"params\":\"x\"}"
      })
  void malformedPayload_isRejectedWithAReason_notRetried_andTheHubIsNotCalled(String payload)
      throws Exception {
    JsonNode result = invoke(payload);

    assertThat(result.path("status").asText()).isEqualTo("rejected");
    assertThat(result.path("reason").asText()).isNotBlank();
    assertThat(hub.getAllServeEvents()).isEmpty();
    JsonNode event = logMessages().get(0).path("events").get(0);
    assertThat(event.path("action").asText()).isEqualTo("rejectPayload");
    assertThat(event.path("success").asBoolean()).isFalse();
  }

  @Test
  void config_requiresTheHubUrl_andATimeoutWithinBounds() {
    var env = new com.cdp.model.config.EnvReader(java.util.Map.of("CDP_ENV", "dev"));
    assertThatThrownBy(() -> Config.from(env)).hasMessageContaining("CONNECTOR_HUB_URL");
    var tooLong =
        new com.cdp.model.config.EnvReader(
            java.util.Map.of(
                "CDP_ENV", "dev", "CONNECTOR_HUB_URL", "https://hub", "HUB_TIMEOUT", "PT10M"));
    assertThatThrownBy(() -> Config.from(tooLong)).hasMessageContaining("HUB_TIMEOUT");
    var noKey =
        new com.cdp.model.config.EnvReader(
            java.util.Map.of("CDP_ENV", "dev", "CONNECTOR_HUB_URL", "https://hub.example/"));
    assertThatThrownBy(() -> Config.from(noKey)).hasMessageContaining(HubApiKey.SECRET_ARN_ENV);
    var ok =
        new com.cdp.model.config.EnvReader(
            java.util.Map.of(
                "CDP_ENV",
                "dev",
                "CONNECTOR_HUB_URL",
                "https://hub.example/",
                HubApiKey.SECRET_ARN_ENV,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:cdp/dev/connector-hub-api-key"));
    assertThat(Config.from(ok).hubTimeout()).isEqualTo(Config.DEFAULT_HUB_TIMEOUT);
  }
}
