package com.cdp.ingestion.cleanser;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Segmint's API key from a Secrets Manager secret: read once when the function starts (and so
 * captured by its SnapStart snapshot), read again when Segmint refuses it, at most once per {@link
 * #MIN_RELOAD_GAP} so a key that is simply wrong does not turn every event into a secret read.
 */
final class SecretsManagerApiKey implements SegmintCleanser.ApiKey {
  static final Duration MIN_RELOAD_GAP = Duration.ofMinutes(1);

  private final SecretsManagerClient secrets;
  private final String secretId;
  private final Clock clock;
  private String key;
  private Instant readAt;

  SecretsManagerApiKey(SecretsManagerClient secrets, String secretId, Clock clock) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.secretId = Objects.requireNonNull(secretId, "secretId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.key = read();
    this.readAt = clock.instant();
  }

  @Override
  public synchronized String current() {
    return key;
  }

  @Override
  public synchronized String reload() {
    Instant now = clock.instant();
    if (now.isAfter(readAt.plus(MIN_RELOAD_GAP))) {
      key = read();
      readAt = now;
    }
    return key;
  }

  private String read() {
    return secrets.getSecretValue(r -> r.secretId(secretId)).secretString();
  }
}
