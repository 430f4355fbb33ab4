package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.session.SessionToken;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SensitiveDataTest {
  @Test
  void detail_secretKeysAreMaskedWhole_whateverTheirCase() {
    Map<String, Object> masked =
        SensitiveData.maskDetail(
            Map.of(
                "sessionToken", "abc",
                "x-api-key", "key-1",
                "API_KEY", "key-2",
                "Authorization", "Bearer xyz",
                "password", "hunter2",
                "status", 200));
    assertThat(masked)
        .containsEntry("sessionToken", "****")
        .containsEntry("x-api-key", "****")
        .containsEntry("API_KEY", "****")
        .containsEntry("Authorization", "****")
        .containsEntry("password", "****")
        .containsEntry("status", 200);
  }

  @Test
  void detail_accountKeysKeepTheLastFour_alsoInNestedListsAndNumbers() {
    Map<String, Object> masked =
        SensitiveData.maskDetail(
            Map.of(
                "accountId", "1234567890",
                "accounts", List.of(Map.of("accountNumber", 9876543210L)),
                "accountIds", List.of("111122223333", "12")));
    assertThat(masked.get("accountId")).isEqualTo("****7890");
    assertThat(masked.get("accounts")).isEqualTo(List.of(Map.of("accountNumber", "****3210")));
    assertThat(masked.get("accountIds")).isEqualTo(List.of("****3333", "12"));
  }

  @Test
  void text_bearerTokensPairsAndLongDigitRunsAreMasked() {
    assertThat(SensitiveData.maskText("Authorization: Bearer eyJhbGciOi.abc.def"))
        .doesNotContain("eyJhbGciOi");
    assertThat(SensitiveData.maskText("GET /realtime?token=Zm9vYmFy&x=1"))
        .isEqualTo("GET /realtime?token=****&x=1");
    assertThat(SensitiveData.maskText("{\"apiKey\": \"k-123456\"}"))
        .isEqualTo("{\"apiKey\": \"****\"}");
    assertThat(SensitiveData.maskText("transfer from 000123456789 done"))
        .isEqualTo("transfer from ****6789 done");
  }

  @Test
  void text_sessionTokensAreMaskedWhereverTheyAppear() {
    for (int i = 0; i < 500; i++) {
      String token = SessionToken.generate();
      String masked = SensitiveData.maskText("connect with " + token + " now");
      assertThat(masked).doesNotContain(token);
    }
  }

  @Test
  void text_ordinaryValuesAreLeftAlone() {
    for (String plain :
        List.of(
            "2026-11-28T10:00:00.000Z",
            "6f1c2a3b-1d2e-4f50-8a9b-0c1d2e3f4a5b",
            "loaded 25 transactions for member m-42",
            "sha256 0f3c9a7e5b1d2c4f6a8e0b1d3c5f7a9e2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f0a",
            "com.cdp.links.ShortLinkService.create")) {
      assertThat(SensitiveData.maskText(plain)).isEqualTo(plain);
    }
  }

  @Test
  void publishedMessages_neverContainTheRawToken() {
    InMemoryLogPublisher published = new InMemoryLogPublisher();
    PlatformLogger logger = PlatformLogger.inMemory(published);
    String token = SessionToken.generate();
    try (RequestLog log = logger.open(LogType.APP, "tcu", null)) {
      log.event("connect", "token " + token + " accepted", Map.of("query", "token=" + token));
      log.put("headers", Map.of("Authorization", "Bearer " + token));
    }
    assertThat(published.messages().get(0)).doesNotContain(token);
  }
}
