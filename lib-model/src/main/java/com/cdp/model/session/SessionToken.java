package com.cdp.model.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Session tokens: 256 random bits, URL-safe base64 without padding (43 characters). */
public final class SessionToken {
  static final int BYTES = 32;
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionToken() {}

  public static String generate() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether the text could be a token at all; anything else is refused without a lookup. */
  public static boolean isWellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }

  /** The session id stored in place of the token: hex SHA-256. */
  public static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A form safe for logs: never more than the first four characters. */
  public static String redact(String token) {
    if (token == null || token.length() < 8) {
      return "****";
    }
    return token.substring(0, 4) + "****";
  }
}
