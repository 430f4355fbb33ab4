package com.cdp.model.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HubApiKeyTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-03T08:00:00Z"));
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  @Test
  void afterARefusal_theSecretIsReadAgain_onlyOncePerGap_andOnlyAChangedKeyIsWorthARetry() {
    AtomicReference<String> secret = new AtomicReference<>("k1");
    AtomicInteger reads = new AtomicInteger();
    HubApiKey key =
        HubApiKey.reading(
            () -> {
              reads.incrementAndGet();
              return secret.get();
            },
            clock);
    secret.set("k2");

    assertThat(key.reloadAfterRefusal()).isFalse(); // within the gap: no read
    assertThat(key.current()).isEqualTo("k1");
    assertThat(reads).hasValue(1);

    now.set(now.get().plus(HubApiKey.MIN_RELOAD_GAP).plusSeconds(1));
    assertThat(key.reloadAfterRefusal()).isTrue();
    assertThat(key.current()).isEqualTo("k2");

    now.set(now.get().plus(HubApiKey.MIN_RELOAD_GAP).plusSeconds(1));
    assertThat(key.reloadAfterRefusal()).isFalse(); // read again, unchanged: no retry
    assertThat(reads).hasValue(3);
  }

  @Test
  void anEmptySecret_isAClearError_andTheKeyNeverShowsInToString() {
    assertThatThrownBy(() -> HubApiKey.reading(() -> " ", clock))
        .hasMessageContaining("Connector Hub API key secret is empty");
    assertThat(HubApiKey.fixed("s3cr3t-key").toString()).doesNotContain("s3cr3t");
  }
}
