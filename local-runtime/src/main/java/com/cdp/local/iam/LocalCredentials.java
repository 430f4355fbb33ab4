package com.cdp.local.iam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local platform's credentials: one per (role, function) as Lambda hands a function its
 * execution role's session credentials, plus an explicit admin identity for the CLI and the tests.
 * Key ids are derived from the role and function names (so a log line's key names who called);
 * secrets and session tokens are derived from one random master secret, generated once under {@code
 * .cdp-local} with owner-only permissions and never logged.
 */
public final class LocalCredentials {
  /**
   * Who a key belongs to. {@code admin} is the CLI's and the tests' identity: not policy-checked.
   */
  public record Principal(String roleName, String roleArn, String sessionName, boolean admin) {
    /** The caller as AWS names an assumed role's session in error messages. */
    public String arn() {
      return admin
          ? "arn:aws:iam::000000000000:user/" + sessionName
          : "arn:aws:sts::000000000000:assumed-role/" + roleName + "/" + sessionName;
    }
  }

  /** What a function JVM gets in its environment. */
  public record Credentials(
      String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
    /** The environment variables Lambda sets for a function's execution role. */
    public Map<String, String> environment() {
      return sessionToken
          .map(
              t ->
                  Map.of(
                      "AWS_ACCESS_KEY_ID", accessKeyId,
                      "AWS_SECRET_ACCESS_KEY", secretAccessKey,
                      "AWS_SESSION_TOKEN", t))
          .orElse(
              Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", secretAccessKey));
    }

    @Override
    public String toString() {
      return "Credentials[" + accessKeyId + "]"; // never the secret or the token
    }
  }

  private final byte[] master;
  private final Map<String, Principal> principals = new ConcurrentHashMap<>();

  private LocalCredentials(byte[] master) {
    this.master = master.clone();
    principals.put(
        keyId("admin", "cdp-local-admin", "AKIA"),
        new Principal("admin", "", "cdp-local-admin", true));
  }

  /**
   * Loads the master secret from {@code dir/iam-master-key}, generating it (mode 0600) the first
   * time.
   */
  public static LocalCredentials load(Path dir) {
    Path file = dir.resolve("iam-master-key");
    try {
      Files.createDirectories(dir);
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(
              file, Base64.getEncoder().encodeToString(fresh), StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException raced) {
          // another start made it first: use theirs
        }
      }
      return new LocalCredentials(Base64.getDecoder().decode(Files.readString(file).trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /** For tests: credentials from a given master secret. */
  static LocalCredentials of(byte[] master) {
    return new LocalCredentials(master);
  }

  /** The credentials a function running as the role gets (and registers their key). */
  public Credentials forFunction(String roleName, String roleArn, String functionName) {
    String keyId = keyId(roleName, functionName, "ASIA");
    principals.put(keyId, new Principal(roleName, roleArn, functionName, false));
    return new Credentials(keyId, derive("secret", keyId), Optional.of(derive("token", keyId)));
  }

  /** The admin identity (long-term key, no session token) the CLI and the tests sign with. */
  public Credentials admin() {
    String keyId = keyId("admin", "cdp-local-admin", "AKIA");
    return new Credentials(keyId, derive("secret", keyId), Optional.empty());
  }

  Optional<Principal> principal(String keyId) {
    return Optional.ofNullable(principals.get(keyId));
  }

  /** The secret of a key this platform issued; empty for an unknown key. */
  Optional<String> secret(String keyId) {
    return principal(keyId).map(p -> derive("secret", keyId));
  }

  Optional<String> sessionToken(String keyId) {
    return principal(keyId).filter(p -> !p.admin()).map(p -> derive("token", keyId));
  }

  private static String keyId(String role, String function, String prefix) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest((role + "/" + function).getBytes(StandardCharsets.UTF_8));
      return prefix + HexFormat.of().withUpperCase().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** Derived secrets and tokens by purpose and key: the front door needs both on every call. */
  private final Map<String, String> derived = new ConcurrentHashMap<>();

  private String derive(String purpose, String keyId) {
    return derived.computeIfAbsent(purpose + ":" + keyId, this::hmac);
  }

  private String hmac(String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(master, "HmacSHA256"));
      byte[] out = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
