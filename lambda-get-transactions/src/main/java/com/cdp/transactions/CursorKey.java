package com.cdp.transactions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One cursor-signing key: the HMAC-SHA256 key bytes and a short public id derived from them (the
 * first 6 bytes of a domain-separated SHA-256, base64url: 8 characters). The id travels in every
 * cursor so a verifier can pick the right key during a rotation; it reveals nothing usable about
 * the key.
 */
final class CursorKey {
  /** Secrets shorter than this are refused: HMAC-SHA256 wants at least 256 bits of key. */
  public static final int MIN_SECRET_LENGTH = 32;

  private final String id;
  private final byte[] secret;

  private CursorKey(String id, byte[] secret) {
    this.id = id;
    this.secret = secret;
  }

  /**
   * A key from a secret's text (the UTF-8 bytes are the HMAC key), as stored in Secrets Manager or
   * in the local secrets directory.
   */
  public static CursorKey fromSecret(String secret) {
    Objects.requireNonNull(secret, "secret");
    String value = secret.strip();
    if (value.length() < MIN_SECRET_LENGTH) {
      throw new IllegalStateException(
          "configuration: the cursor-signing secret must be at least "
              + MIN_SECRET_LENGTH
              + " characters");
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return new CursorKey(idOf(bytes), bytes);
  }

  private static String idOf(byte[] secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("cdp-cursor-key-id\n".getBytes(StandardCharsets.US_ASCII));
      byte[] digest = sha.digest(secret);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 6));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The public key id carried in cursors (8 base64url characters). */
  public String id() {
    return id;
  }

  byte[] secret() {
    return secret.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CursorKey other && MessageDigest.isEqual(secret, other.secret);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "CursorKey[id=" + id + "]";
  }
}
