package com.cdp.transactions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads the cursor-signing keys from a Secrets Manager secret: the {@code AWSCURRENT} version signs
 * and verifies, the {@code AWSPREVIOUS} version (present after the first rotation) only verifies.
 * Rotating is one {@code put-secret-value} with a new random value: Secrets Manager moves the
 * labels, and cursors signed with the old value stay valid until they expire.
 */
final class SecretsManagerCursorKeys implements CursorKeySource {
  static final String CURRENT = "AWSCURRENT";
  static final String PREVIOUS = "AWSPREVIOUS";

  private final SecretsManagerClient secrets;
  private final String secretId;

  public SecretsManagerCursorKeys(SecretsManagerClient secrets, String secretId) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.secretId = Objects.requireNonNull(secretId, "secretId");
  }

  @Override
  public CursorKeys load() {
    CursorKey current = CursorKey.fromSecret(read(CURRENT));
    List<CursorKey> previous = new ArrayList<>();
    try {
      previous.add(CursorKey.fromSecret(read(PREVIOUS)));
    } catch (ResourceNotFoundException neverRotated) {
      // Before the first rotation there is no previous version.
    }
    return new CursorKeys(current, previous);
  }

  private String read(String stage) {
    return secrets.getSecretValue(r -> r.secretId(secretId).versionStage(stage)).secretString();
  }
}
