package com.cdp.http;

import com.cdp.model.ValidationException;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, URL-safe, tamper-evident, expiring paging cursors for any API: {@code c1.PAYLOAD.MAC},
 * both parts base64url without padding, {@code PAYLOAD} a small JSON object the API chooses plus
 * the expiry {@code x} (epoch seconds), {@code MAC} the HMAC-SHA256 of {@code c1.PAYLOAD} under a
 * secret from Secrets Manager (the same scheme as the transactions API's cursors, which add a key
 * ring for rotation). Nothing in the payload is read before the MAC checks out; failures are {@link
 * ValidationException}s {@code invalid_cursor} or {@code cursor_expired}.
 */
public final class SignedCursors {
  public static final int MIN_SECRET_LENGTH = 32;
  static final int MAX_LENGTH = 1024;
  private static final Pattern SHAPE =
      Pattern.compile("c1\\.([A-Za-z0-9_-]{1,900})\\.([A-Za-z0-9_-]{43})");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration ttl;

  public SignedCursors(String secret, Clock clock, Duration ttl) {
    Objects.requireNonNull(secret, "secret");
    if (secret.strip().length() < MIN_SECRET_LENGTH) {
      throw new IllegalStateException(
          "configuration: the cursor-signing secret must be at least "
              + MIN_SECRET_LENGTH
              + " characters");
    }
    this.key = new SecretKeySpec(secret.strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  /** Signs the payload (a copy gets the expiry field {@code x}). */
  public String sign(ObjectNode payload) {
    ObjectNode signed = payload.deepCopy();
    signed.put("x", clock.instant().plus(ttl).getEpochSecond());
    String body = "c1." + B64.encodeToString(Json.writeBytes(signed));
    return body + "." + B64.encodeToString(mac(body));
  }

  /** The payload of a cursor this API signed that has not expired. */
  public ObjectNode verify(String token) {
    if (token == null || token.length() > MAX_LENGTH) {
      throw invalid("the cursor is malformed");
    }
    Matcher parts = SHAPE.matcher(token);
    if (!parts.matches()) {
      throw invalid("the cursor is malformed");
    }
    // Compared as text: a cursor that differs in any character must be refused.
    byte[] expected =
        B64.encodeToString(mac(token.substring(0, token.lastIndexOf('.'))))
            .getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts.group(2).getBytes(StandardCharsets.US_ASCII))) {
      throw invalid("the cursor has been modified or was not issued by this API");
    }
    JsonNode payload;
    try {
      payload =
          Json.tree(
              new String(Base64.getUrlDecoder().decode(parts.group(1)), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw invalid("the cursor is malformed");
    }
    if (!(payload instanceof ObjectNode object) || !payload.path("x").canConvertToLong()) {
      throw invalid("the cursor is malformed");
    }
    if (clock.instant().getEpochSecond() >= payload.path("x").asLong()) {
      throw new ValidationException(
          "cursor_expired", "the cursor expired; start again from the first page");
    }
    return object;
  }

  private byte[] mac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static ValidationException invalid(String message) {
    return new ValidationException("invalid_cursor", message);
  }
}
