package com.cdp.ingestion.cleanser;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Segmint's client id and secret from a Secrets Manager secret holding {@code
 * {"clientId":"...","clientSecret":"..."}}: read once when the function starts (and so captured by
 * its SnapStart snapshot), read again when Segmint refuses them, at most once per {@link
 * #MIN_RELOAD_GAP} so credentials that are simply wrong do not turn every event into a secret read.
 */
final class SecretsManagerCredentials implements SegmintClient.CredentialsSource {
  static final Duration MIN_RELOAD_GAP = Duration.ofMinutes(1);

  private final SecretsManagerClient secrets;
  private final String secretId;
  private final Clock clock;
  private SegmintClient.Credentials credentials;
  private Instant readAt;

  SecretsManagerCredentials(SecretsManagerClient secrets, String secretId, Clock clock) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.secretId = Objects.requireNonNull(secretId, "secretId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.credentials = read();
    this.readAt = clock.instant();
  }

  @Override
  public synchronized SegmintClient.Credentials current() {
    return credentials;
  }

  @Override
  public synchronized SegmintClient.Credentials reload() {
    Instant now = clock.instant();
    if (now.isAfter(readAt.plus(MIN_RELOAD_GAP))) {
      credentials = read();
      readAt = now;
    }
    return credentials;
  }

  private SegmintClient.Credentials read() {
    String value = secrets.getSecretValue(r -> r.secretId(secretId)).secretString();
    JsonNode json;
    try {
      json = Json.tree(value);
    } catch (IllegalArgumentException e) {
      // Never echo the value: it is the secret.
      throw new IllegalStateException(
          "configuration: secret " + secretId + " must be JSON {\"clientId\",\"clientSecret\"}",
          null);
    }
    String id = json.path("clientId").asText("");
    String secret = json.path("clientSecret").asText("");
    if (id.isBlank() || secret.isBlank() || id.contains(":")) {
      throw new IllegalStateException(
          "configuration: secret "
              + secretId
              + " must hold a clientId (without ':') and a clientSecret");
    }
    return new SegmintClient.Credentials(id, secret);
  }
}
