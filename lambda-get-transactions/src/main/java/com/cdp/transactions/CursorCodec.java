package com.cdp.transactions;

import com.cdp.model.ValidationException;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies paging cursors. A cursor is {@code v1.KEYID.PAYLOAD.MAC}: every part
 * base64url without padding (so the whole token is URL-safe), {@code PAYLOAD} a small JSON object,
 * {@code MAC} the HMAC-SHA256 of {@code v1.KEYID.PAYLOAD} under the key {@code KEYID} names. See
 * docs/transactions-api.md for the fields and the key rotation.
 *
 * <p>Verification order, each failure a {@link ValidationException} with a stable code: shape,
 * known key and MAC ({@code invalid_cursor}), then expiry ({@code cursor_expired}), then the
 * account and filter binding ({@code cursor_mismatch}). Nothing in the payload is trusted before
 * the MAC checks out.
 */
public final class CursorCodec {
  public static final String VERSION = "v1";
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** Far above any real cursor (about 200 characters); refused before any work is done. */
  static final int MAX_LENGTH = 1024;

  private static final Pattern SHAPE =
      Pattern.compile("v1\\.([A-Za-z0-9_-]{8})\\.([A-Za-z0-9_-]{1,900})\\.([A-Za-z0-9_-]{43})");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  private final CursorKeyRing keys;
  private final Clock clock;
  private final Duration ttl;

  public CursorCodec(CursorKeyRing keys, Clock clock, Duration ttl) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cursor ttl must be positive");
    }
  }

  /** A failed background re-read of the keys since the last call, if any (for the request log). */
  public java.util.Optional<String> takeKeyReloadFailure() {
    return keys.takeReloadFailure();
  }

  /** The digest binding a cursor to one organization's account. */
  public static String accountBinding(OrganizationId org, AccountId account) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest(
              ("cdp-cursor-account\n" + org.value() + "\n" + account.value())
                  .getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(Arrays.copyOf(digest, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A signed cursor continuing after {@code position}, valid for the configured ttl. */
  public String issue(
      String position,
      OrganizationId org,
      AccountId account,
      TransactionFilter filter,
      long evaluated,
      long matched) {
    ObjectNode payload = Json.object();
    payload.put("p", Objects.requireNonNull(position, "position"));
    payload.put("b", accountBinding(org, account));
    payload.put("f", filter.digest());
    payload.put("x", clock.instant().plus(ttl).getEpochSecond());
    payload.put("e", evaluated);
    payload.put("m", matched);
    CursorKey key = keys.signingKey();
    String signed = VERSION + "." + key.id() + "." + B64.encodeToString(Json.writeBytes(payload));
    return signed + "." + B64.encodeToString(mac(key, signed));
  }

  /**
   * Verifies a cursor for this account and filter set and returns what it says.
   *
   * @throws ValidationException {@code invalid_cursor}, {@code cursor_expired} or {@code
   *     cursor_mismatch}
   */
  public Cursor verify(
      String token, OrganizationId org, AccountId account, TransactionFilter filter) {
    if (token == null || token.length() > MAX_LENGTH) {
      throw invalid("the cursor is malformed");
    }
    Matcher parts = SHAPE.matcher(token);
    if (!parts.matches()) {
      throw invalid("the cursor is malformed");
    }
    CursorKey key =
        keys.verifyingKey(parts.group(1))
            .orElseThrow(() -> invalid("the cursor was signed with a key that is not accepted"));
    // Compared as text: base64 decoders ignore the unused low bits of the last character, and a
    // cursor that differs in any character must be refused.
    byte[] expected =
        bytes(B64.encodeToString(mac(key, token.substring(0, token.lastIndexOf('.')))));
    if (!MessageDigest.isEqual(expected, bytes(parts.group(3)))) {
      throw invalid("the cursor has been modified or was not issued by this API");
    }
    Cursor cursor = read(parts.group(2));
    if (!clock.instant().isBefore(cursor.expiresAt())) {
      throw new ValidationException(
          "cursor_expired",
          "the cursor expired at " + cursor.expiresAt() + "; start again from the first page");
    }
    if (!MessageDigest.isEqual(
        bytes(cursor.accountBinding()), bytes(accountBinding(org, account)))) {
      throw new ValidationException("cursor_mismatch", "the cursor belongs to another account");
    }
    if (!cursor.filterDigest().equals(filter.digest())) {
      throw new ValidationException(
          "cursor_mismatch",
          "the cursor was issued for different filters; send the same filters as for the first"
              + " page, or start again without a cursor");
    }
    return cursor;
  }

  private static Cursor read(String payloadPart) {
    byte[] json = decode(payloadPart);
    if (json == null) {
      throw invalid("the cursor is malformed");
    }
    JsonNode node;
    try {
      node = Json.tree(new String(json, StandardCharsets.UTF_8));
    } catch (Json.MalformedJsonException e) {
      throw invalid("the cursor is malformed");
    }
    JsonNode p = node.path("p");
    JsonNode b = node.path("b");
    JsonNode f = node.path("f");
    JsonNode x = node.path("x");
    if (!p.isTextual() || !b.isTextual() || !f.isTextual() || !x.canConvertToLong()) {
      throw invalid("the cursor is malformed");
    }
    long evaluated = Math.max(0, node.path("e").asLong(0));
    long matched = Math.max(0, Math.min(node.path("m").asLong(0), evaluated));
    try {
      return new Cursor(
          p.asText(),
          b.asText(),
          f.asText(),
          Instant.ofEpochSecond(x.asLong()),
          evaluated,
          matched);
    } catch (java.time.DateTimeException e) {
      throw invalid("the cursor is malformed");
    }
  }

  private static byte[] mac(CursorKey key, String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
      return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static byte[] decode(String part) {
    try {
      return B64_DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ValidationException invalid(String message) {
    return new ValidationException("invalid_cursor", message);
  }
}
