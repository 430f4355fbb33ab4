package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowAndPowertoolsFieldsTest {
  private static final String FLOW = "0b9e1f7c-3a52-4d8e-9c21-5f6a7b8c9d01";
  private static final String TRACE =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  private final InMemoryLogPublisher published = new InMemoryLogPublisher();

  private PlatformLogger logger(double rate) {
    return new PlatformLogger(
        published, "dev", "cdp-dev-txn-loader", Clock.systemUTC(), "7", rate, () -> TRACE);
  }

  private List<JsonNode> messages() {
    return published.messages().stream().map(Json::tree).toList();
  }

  @Test
  void joinFlow_movesTheMessageAndEveryEarlierEventToTheFlowsId() {
    try (RequestLog log = logger(0).open(LogType.AGW, "tcu", null)) {
      log.event("received", "object created");
      assertThat(log.joinFlow(FLOW)).isEqualTo(FLOW);
      log.event("loaded", "chunk loaded");
      assertThat(log.joinFlow("not-a-flow")).isEqualTo(FLOW);
    }
    JsonNode m = messages().get(0);
    assertThat(m.get("transactionId").asText()).isEqualTo(FLOW);
    assertThat(m.get("events").findValuesAsText("transactionId")).containsOnly(FLOW);
  }

  @Test
  void message_carriesPowertoolsFields_coldStartOnlyOnTheFirstRequest() {
    PlatformLogger logger = logger(0);
    try (RequestLog log = logger.open(LogType.AGW, "tcu", FLOW)) {
      log.invocation("c6af9ac6-7b61-11e6-9a41-93e812345678");
    }
    logger.open(LogType.AGW, "tcu", FLOW).close();
    JsonNode first = messages().get(0);
    assertThat(first.get("cold_start").asBoolean()).isTrue();
    assertThat(first.get("function_name").asText()).isEqualTo("cdp-dev-txn-loader");
    assertThat(first.get("function_version").asText()).isEqualTo("7");
    assertThat(first.get("function_request_id").asText())
        .isEqualTo("c6af9ac6-7b61-11e6-9a41-93e812345678");
    assertThat(first.get("xray_trace_id").asText())
        .isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    assertThat(messages().get(1).get("cold_start").asBoolean()).isFalse();
    assertThat(messages().get(1).has("function_request_id")).isFalse();
  }

  @Test
  void loggerInvocation_isTheRequestIdOfEveryLogOpenedUntilFlush() {
    PlatformLogger logger = logger(0);
    logger.invocation("11111111-2222-3333-4444-555555555555");
    logger.open(LogType.APP, "tcu", FLOW).close();
    logger.open(LogType.APP, "tcu", null).close();
    logger.flush();
    logger.open(LogType.APP, "tcu", FLOW).close();
    assertThat(messages().get(0).get("function_request_id").asText())
        .isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(messages().get(1).get("function_request_id").asText())
        .isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(messages().get(2).has("function_request_id")).isFalse();
  }

  @Test
  void eventTypes_areTheKindOfEvent() {
    try (RequestLog log = logger(0).open(LogType.APP, "tcu", FLOW)) {
      log.event(EventType.REQUEST, "get", "GET /accounts/x/transactions", Map.of());
      log.event(EventType.CALL, "query", "warehouse query", Map.of());
      log.event(EventType.EVENT, "publish", "account_transactionadded", Map.of());
      log.event(EventType.RESPONSE, "respond", "200", Map.of());
    }
    assertThat(messages().get(0).get("events").findValuesAsText("type"))
        .containsExactly("request", "call", "event", "response");
  }

  @Test
  void debugEvents_writtenForTheSampledShareAndAlwaysOnFailure() {
    PlatformLogger never = logger(0);
    try (RequestLog log = never.open(LogType.APP, "tcu", FLOW)) {
      log.debug("cache", "cache miss", Map.of());
      log.event("done", "ok");
    }
    try (RequestLog log = never.open(LogType.APP, "tcu", FLOW)) {
      log.debug("cache", "cache miss", Map.of());
      log.failure("done", "failed");
    }
    PlatformLogger always = logger(1);
    try (RequestLog log = always.open(LogType.APP, "tcu", FLOW)) {
      log.debug("cache", "cache miss", Map.of());
    }
    List<JsonNode> m = messages();
    assertThat(m.get(0).get("events").findValuesAsText("action")).containsExactly("done");
    assertThat(m.get(1).get("events").findValuesAsText("action")).containsExactly("cache", "done");
    assertThat(m.get(2).get("events").findValuesAsText("action")).containsExactly("cache");
    assertThat(m.get(2).get("sampling_rate").asDouble()).isEqualTo(1.0);
  }

  @Test
  void debugSampleRate_outsideZeroToOne_isRefused() {
    assertThatThrownBy(() -> logger(1.5)).hasMessageContaining(PlatformLogger.DEBUG_SAMPLE_RATE);
  }

  @Test
  void appLogType_isShownAsRequests() {
    assertThat(LogType.APP.displayName()).isEqualTo("Requests");
  }
}
