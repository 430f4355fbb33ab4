package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema that producers outside this repository (dsp-web, dsp-agw, the hub, connectors,
 * the app container) build against describes exactly what lib-logging emits.
 */
class LogMessageSchemaTest {
  private static final JsonSchema SCHEMA = load();

  private static JsonSchema load() {
    try (InputStream in =
        LogMessageSchemaTest.class.getResourceAsStream("/schema/log-message.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<ValidationMessage> validate(JsonNode message) {
    return SCHEMA.validate(message);
  }

  @Test
  void everyKindOfMessageTheLibraryEmits_isValid() {
    InMemoryLogPublisher published = new InMemoryLogPublisher();
    PlatformLogger logger =
        new PlatformLogger(
            published,
            "dev",
            "cdp-dev-txn-loader",
            Clock.systemUTC(),
            "3",
            1,
            () -> "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
    for (LogType type : LogType.values()) {
      try (RequestLog log = logger.open(type, "tcu", null)) {
        log.invocation("c6af9ac6-7b61-11e6-9a41-93e812345678");
        log.event(EventType.REQUEST, "receive", "GET /x", Map.of("accountId", "123456789"));
        log.event(EventType.CALL, "query", "warehouse", Map.of("rows", 3));
        log.debug("cache", "miss", Map.of());
        log.failure("save", new IllegalStateException("conflict"));
        log.put("httpStatus", 500);
      }
    }
    logger.open(LogType.APP, null, "not a uuid").close();
    logger.open(LogType.APP, "../x", null).close();
    try (RequestLog big = logger.open(LogType.WEB, "tcu", null)) {
      for (int i = 0; i < RequestLog.MAX_EVENTS + 5; i++) {
        big.event("step", "x".repeat(400) + i);
      }
    }
    assertThat(published.messages()).hasSize(LogType.values().length + 3);
    for (String message : published.messages()) {
      assertThat(validate(Json.tree(message))).as(message).isEmpty();
    }
  }

  @Test
  void aMessageWithoutAPartitionFieldOrWithAForeignEventType_isInvalid() {
    InMemoryLogPublisher published = new InMemoryLogPublisher();
    PlatformLogger.inMemory(published).open(LogType.APP, "tcu", null).event("a", "b").close();
    ObjectNode good = (ObjectNode) Json.tree(published.messages().get(0));
    assertThat(validate(good)).isEmpty();

    ObjectNode noMonth = good.deepCopy();
    noMonth.remove("month");
    assertThat(validate(noMonth)).isNotEmpty();

    ObjectNode logTypeAsEventType = good.deepCopy();
    ((ObjectNode) logTypeAsEventType.get("events").get(0)).put("type", "app");
    assertThat(validate(logTypeAsEventType)).isNotEmpty();

    ObjectNode freeFormId = good.deepCopy();
    freeFormId.put("transactionId", "trace-42");
    assertThat(validate(freeFormId)).isNotEmpty();
  }
}
