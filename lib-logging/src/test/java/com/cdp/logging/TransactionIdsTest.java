package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransactionIdsTest {
  private static final String UUID = "6f1c2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b2c";
  private static final String OTHER = "0b9e1f7c-3a52-4d8e-9c21-5f6a7b8c9d01";

  private final InMemoryLogPublisher published = new InMemoryLogPublisher();
  private final PlatformLogger logger = PlatformLogger.inMemory(published);

  @Test
  void isValid_acceptsAUuidAndTheDoubleUuidForm() {
    assertThat(TransactionIds.isValid(UUID)).isTrue();
    assertThat(TransactionIds.isValid(UUID.toUpperCase())).isTrue();
    assertThat(TransactionIds.isValid(UUID + "-" + OTHER)).isTrue();
    assertThat(TransactionIds.isValid(UUID + OTHER)).isTrue();
    assertThat(TransactionIds.isValid(TransactionIds.newId())).isTrue();
  }

  @Test
  void isValid_refusesAnythingElse() {
    for (String bad :
        new String[] {
          "trace-42",
          "abc",
          "=HYPERLINK(\"http://x\")",
          "a/b",
          UUID + " ",
          UUID + "-" + OTHER + "-" + UUID,
          UUID.replace('-', '_'),
          "<script>" + UUID,
          ""
        }) {
      assertThat(TransactionIds.isValid(bad)).as(bad).isFalse();
    }
  }

  @Test
  void open_withAHeaderNotInThePlatformsFormat_usesAFreshIdAndKeepsTheGivenValueSanitised() {
    String forged = "=cmd|' /C calc'!A0 \n{\"organizationID\":\"other\"} " + "x".repeat(200);
    try (RequestLog log =
        logger.open(
            LogType.APP, "tcu", TransactionIds.fromHeaders(Map.of("X-Transaction-Id", forged)))) {
      log.event("handled", "ok");
    }
    JsonNode m = Json.tree(published.messages().get(0));
    assertThat(m.get("transactionId").asText()).isNotEqualTo(forged).matches("[0-9a-f-]{36}");
    assertThat(m.get("events").get(0).get("transactionId").asText())
        .isEqualTo(m.get("transactionId").asText());
    String given = m.get("fields").get(PlatformLogger.GIVEN_TRANSACTION_ID).asText();
    assertThat(given)
        .hasSizeLessThanOrEqualTo(TransactionIds.MAX_GIVEN)
        .matches("[A-Za-z0-9._:*-]*");
    assertThat(given).doesNotStartWith("=").doesNotContain("organizationID\":");
  }

  @Test
  void open_withAShortFreeFormId_replacesIt() {
    RequestLog log = logger.open(LogType.APP, "tcu", "trace-42");
    assertThat(log.transactionId()).isNotEqualTo("trace-42");
    assertThat(log.fields()).containsEntry(PlatformLogger.GIVEN_TRANSACTION_ID, "trace-42");
  }

  @Test
  void open_withAValidHeader_keepsItAndAddsNoGivenField() {
    RequestLog log =
        logger.open(
            LogType.APP, "tcu", TransactionIds.fromHeaders(Map.of("x-transaction-id", " " + UUID)));
    assertThat(log.transactionId()).isEqualTo(UUID);
    assertThat(log.fields()).doesNotContainKey(PlatformLogger.GIVEN_TRANSACTION_ID);
  }

  @Test
  void sanitise_masksASecretSentAsTransactionId() {
    String token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfG";
    assertThat(TransactionIds.sanitise(token)).isEqualTo(SensitiveData.MASK);
  }

  @Test
  void derive_isDeterministicAndInThePlatformsFormat() {
    String a = TransactionIds.derive("tcu-data-delivery", "transactions/a.csv", "etag1");
    assertThat(a)
        .isEqualTo(TransactionIds.derive("tcu-data-delivery", "transactions/a.csv", "etag1"));
    assertThat(a)
        .isNotEqualTo(TransactionIds.derive("tcu-data-delivery", "transactions/a.csv", "etag2"));
    assertThat(TransactionIds.isValid(a)).isTrue();
  }
}
