package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.config.EnvReader;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformLoggerTest {
  private static final String TXN_1 = "0b9e1f7c-3a52-4d8e-9c21-5f6a7b8c9d01";
  private static final String TXN_2 = "0b9e1f7c-3a52-4d8e-9c21-5f6a7b8c9d02";
  private final InMemoryLogPublisher published = new InMemoryLogPublisher();
  private final Clock clock =
      Clock.fixed(Instant.parse("2026-03-07T07:05:09.120Z"), ZoneOffset.UTC);
  private final PlatformLogger logger = new PlatformLogger(published, "dev", "ws-connect", clock);

  private JsonNode onlyMessage() {
    assertThat(published.messages()).hasSize(1);
    return Json.tree(published.messages().get(0));
  }

  @Test
  void message_carriesTheSevenPartitionFieldsAsZeroPaddedUtcStrings() {
    try (RequestLog log = logger.open(LogType.WEB, "tcu", TXN_1)) {
      log.event("login", "member signed in");
    }
    JsonNode m = onlyMessage();
    assertThat(m.get("organizationID").asText()).isEqualTo("tcu");
    assertThat(m.get("logType").asText()).isEqualTo("web");
    assertThat(m.get("environment").asText()).isEqualTo("dev");
    assertThat(m.get("year").isTextual()).isTrue();
    assertThat(m.get("year").asText()).isEqualTo("2026");
    assertThat(m.get("month").asText()).isEqualTo("03");
    assertThat(m.get("day").asText()).isEqualTo("07");
    assertThat(m.get("hour").asText()).isEqualTo("07");
    assertThat(m.get("time").asText()).isEqualTo("2026-03-07T07:05:09.120Z");
  }

  @Test
  void events_carryEveryContractFieldAndACheapCaller() {
    try (RequestLog log = logger.open(LogType.APP, "tcu", TXN_2)) {
      log.event("fetch", "loaded accounts", Map.of("count", 3));
      log.failure("save", "conflict", Map.of("status", 409));
    }
    JsonNode m = onlyMessage();
    assertThat(m.get("transactionId").asText()).isEqualTo(TXN_2);
    assertThat(m.get("success").asBoolean()).isFalse();
    JsonNode events = m.get("events");
    assertThat(events).hasSize(2);
    JsonNode first = events.get(0);
    for (String field :
        List.of(
            "action",
            "description",
            "detail",
            "caller",
            "server",
            "success",
            "time",
            "transactionId",
            "type")) {
      assertThat(first.has(field)).as(field).isTrue();
    }
    assertThat(first.get("caller").asText()).matches("PlatformLoggerTest\\.java:\\d+");
    assertThat(first.get("server").asText()).isEqualTo("ws-connect");
    // type is the kind of event (the seed's meaning), not the log type
    assertThat(first.get("type").asText()).isEqualTo("info");
    assertThat(events.get(1).get("type").asText()).isEqualTo("error");
    assertThat(first.get("detail").get("count").asInt()).isEqualTo(3);
    assertThat(events.get(1).get("success").asBoolean()).isFalse();
  }

  @Test
  void open_withoutOrWithInvalidTransactionId_createsANewOne() {
    RequestLog none = logger.open(LogType.HUB, "tcu", null);
    RequestLog invalid = logger.open(LogType.HUB, "tcu", "bad id with spaces\n");
    assertThat(none.transactionId()).matches("[0-9a-f-]{36}");
    assertThat(invalid.transactionId()).matches("[0-9a-f-]{36}");
    String uuid = "6f1c2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b2c";
    assertThat(logger.open(LogType.HUB, "tcu", uuid).transactionId()).isEqualTo(uuid);
  }

  @Test
  void organization_missingBecomesPlatform_invalidBecomesUnknown() {
    logger.open(LogType.CONTAINER, null, "t").close();
    logger.open(LogType.CONTAINER, "../etc", "t").close();
    List<JsonNode> messages = published.messages().stream().map(Json::tree).toList();
    assertThat(messages.get(0).get("organizationID").asText()).isEqualTo("platform");
    assertThat(messages.get(1).get("organizationID").asText()).isEqualTo("unknown");
    assertThat(messages.get(1).get("invalidOrganizationId").asText()).isEqualTo("../etc");
  }

  @Test
  void put_addsMaskedValuesUnderFields() {
    try (RequestLog log = logger.open(LogType.AGW, "tcu", "t")) {
      log.put("httpStatus", 200).put("accountNumber", "000123456789");
    }
    JsonNode fields = onlyMessage().get("fields");
    assertThat(fields.get("httpStatus").asInt()).isEqualTo(200);
    assertThat(fields.get("accountNumber").asText()).isEqualTo("****6789");
  }

  @Test
  void close_publishesOnceEvenWhenCalledTwice() {
    RequestLog log = logger.open(LogType.WEB, "tcu", "t");
    log.close();
    log.close();
    assertThat(published.messages()).hasSize(1);
  }

  @Test
  void eventsOverCap_counted() {
    try (RequestLog log = logger.open(LogType.CONNECTOR, "tcu", "t")) {
      for (int i = 0; i < RequestLog.MAX_EVENTS + 7; i++) {
        log.event("step", "n" + i);
      }
    }
    JsonNode m = onlyMessage();
    // 1000 events with a UUID transactionId each exceed 256 KiB: the trimmer then replaces the
    // middle ones by one marker and says how many; kept + removed is still the cap.
    int removed = m.path("eventsRemoved").asInt(0);
    int kept = m.get("events").size() - (removed > 0 ? 1 : 0);
    assertThat(kept + removed).isEqualTo(RequestLog.MAX_EVENTS);
    assertThat(m.get("droppedEvents").asInt()).isEqualTo(7);
  }

  @Test
  void failureWithException_logsTypeAndMaskedMessage_neverAStackTrace() {
    try (RequestLog log = logger.open(LogType.HUB, "tcu", "t")) {
      log.failure("call", new IllegalStateException("token=abcdefghijkl rejected"));
    }
    JsonNode event = onlyMessage().get("events").get(0);
    assertThat(event.get("description").asText()).isEqualTo("IllegalStateException");
    assertThat(event.get("detail").get("message").asText()).isEqualTo("token=**** rejected");
    assertThat(event.toString()).doesNotContain("\tat ");
  }

  @Test
  void fromEnvironment_withoutTopic_fallsBackToTheDiagnosticLog() {
    try (PlatformLogger fromEnv =
        PlatformLogger.fromEnvironment(
            new EnvReader(Map.of("CDP_ENV", "qa", "AWS_LAMBDA_FUNCTION_NAME", "cdp-qa-links")))) {
      fromEnv.open(LogType.WEB, "tcu", "t").close();
      fromEnv.flush();
      assertThat(fromEnv.environment()).isEqualTo("qa");
      assertThat(fromEnv.stats().delivered()).isEqualTo(1);
    }
  }

  @Test
  void oversizedMessage_isTrimmedAndCounted() {
    try (RequestLog log = logger.open(LogType.WEB, "tcu", "t")) {
      log.event("big", "x".repeat(400_000));
    }
    JsonNode m = onlyMessage();
    assertThat(m.get("trimmed").asBoolean()).isTrue();
    assertThat(published.stats().trimmed()).isEqualTo(1);
    assertThat(published.messages().get(0).length())
        .isLessThanOrEqualTo(MessageTrimmer.SNS_MAX_BYTES);
  }
}
