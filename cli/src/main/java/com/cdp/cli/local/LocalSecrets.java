package com.cdp.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Local stand-in for Secrets Manager: each named secret is 256 random bits generated once per data
 * directory and kept in a file readable only by its owner.
 */
public final class LocalSecrets {
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");
  private final Path dir;

  LocalSecrets(Path dir) {
    this.dir = dir;
  }

  /** The secret's value (URL-safe base64), created on first use. */
  public String get(String name) {
    return get(name, UnaryOperator.identity());
  }

  /**
   * The secret's value, created on first use as {@code format} applied to fresh random bits (e.g. a
   * JSON document holding them, for secrets that production reads as JSON).
   */
  public synchronized String get(String name, UnaryOperator<String> format) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("secret names are 1-64 of [a-z0-9-]");
    }
    Path file = dir.resolve(name);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      Files.createDirectories(dir);
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String value = format.apply(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
      Path tmp = Files.createTempFile(dir, name, ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on non-POSIX file systems
      }
      Files.writeString(tmp, value, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create local secret " + name, e);
    }
  }
}
