package com.cdp.ingestion.cleanser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.config.EnvReader;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanserConfigTest {
  private static CleanserConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("CDP_ENV", "dev"));
    env.putAll(extra);
    return CleanserConfig.from(new EnvReader(env));
  }

  @Test
  void withoutSegmintSettings_theRulesRun() {
    assertThat(config(Map.of()).segmint()).isEmpty();
  }

  @Test
  void segmintSettings_comeFromTheEnvironment_withDefaultsForTheLimits() {
    CleanserConfig.Segmint s =
        config(
                Map.of(
                    "SEGMINT_BASE_URL", "https://dataservices.segmint.net",
                    "SEGMINT_PARTNER_ID", "cu-7",
                    "SEGMINT_CREDENTIALS_SECRET", "cdp/dev/segmint",
                    "SEGMINT_REQUESTS_PER_SECOND", "3"))
            .segmint()
            .orElseThrow();
    assertThat(s.baseUrl()).isEqualTo(URI.create("https://dataservices.segmint.net"));
    assertThat(s.partnerId()).isEqualTo("cu-7");
    assertThat(s.requestsPerSecond()).isEqualTo(3);
    assertThat(s.concurrency()).isEqualTo(4);
    assertThat(s.cacheEntries()).isEqualTo(20_000);
  }

  @Test
  void aBaseUrlWithoutPartnerOrSecret_orABadPartnerId_isAConfigurationError() {
    assertThatThrownBy(() -> config(Map.of("SEGMINT_BASE_URL", "https://s.example")))
        .hasMessageContaining("SEGMINT_PARTNER_ID");
    assertThatThrownBy(
            () ->
                config(Map.of("SEGMINT_BASE_URL", "https://s.example", "SEGMINT_PARTNER_ID", "p")))
        .hasMessageContaining("SEGMINT_CREDENTIALS_SECRET");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "SEGMINT_BASE_URL", "https://s.example",
                        "SEGMINT_PARTNER_ID", "../admin",
                        "SEGMINT_CREDENTIALS_SECRET", "k")))
        .hasMessageContaining("SEGMINT_PARTNER_ID");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "SEGMINT_BASE_URL", "ftp://s.example",
                        "SEGMINT_PARTNER_ID", "p",
                        "SEGMINT_CREDENTIALS_SECRET", "k")))
        .hasMessageContaining("SEGMINT_BASE_URL");
  }
}
