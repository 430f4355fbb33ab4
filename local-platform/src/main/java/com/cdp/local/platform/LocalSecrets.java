package com.cdp.local.platform;

import com.cdp.local.template.LocalTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Local stand-in for Secrets Manager: each named secret is generated once per data directory (256
 * random bits, or by the template's {@code GenerateSecretString} rules) and kept in a file readable
 * only by its owner. Names follow Secrets Manager's ({@code cdp/local/api-key-pepper}); the file
 * name encodes every character outside {@code [A-Za-z0-9_-]}, so a name never reaches outside the
 * directory ({@code ../x} is the file {@code %2E%2E%2Fx}).
 */
public final class LocalSecrets {
  /** Secrets Manager's name rule: 1-512 of letters, digits and {@code /_+=.@-}. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");

  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private final Path dir;
  private final Map<String, LocalTemplate.Secret> declared = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  LocalSecrets(Path dir) {
    this.dir = dir;
  }

  /**
   * Declares a secret of the template: created on first use from its {@code SecretString} or by its
   * {@code GenerateSecretString} rules; found by name or ARN.
   */
  void declare(LocalTemplate.Secret secret) {
    declared.put(secret.name(), secret);
  }

  /**
   * Makes {@code name} another name of {@code target} (the local areas still running in-process
   * read {@code connector-hub-api-key}; the template's functions read {@code
   * cdp/local/connector-hub-api-key}: both must see one value).
   */
  void alias(String name, String target) {
    aliases.put(name, target);
  }

  /** The template secret a {@code GetSecretValue} id (name, ARN or ARN with suffix) names. */
  Optional<String> resolve(String secretId) {
    for (LocalTemplate.Secret s : declared.values()) {
      if (s.arn().equals(secretId) || s.name().equals(secretId)) {
        return Optional.of(s.name());
      }
    }
    String name = secretId;
    if (secretId.startsWith("arn:")) {
      String[] parts = secretId.split(":", 7);
      name = parts.length == 7 ? parts[6] : secretId;
      if (!declared.containsKey(name) && name.matches(".*-[A-Za-z0-9]{6}")) {
        String unsuffixed = name.substring(0, name.length() - 7);
        if (declared.containsKey(unsuffixed)) {
          name = unsuffixed;
        }
      }
    }
    return NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
  }

  /** The secret's value (a template secret's, or URL-safe base64 of fresh bits), made once. */
  public String get(String name) {
    String target = aliases.getOrDefault(name, name);
    LocalTemplate.Secret secret = declared.get(target);
    if (secret != null) {
      return get(target, ignored -> initial(secret));
    }
    return get(target, UnaryOperator.identity());
  }

  /**
   * The secret's value, created on first use as {@code format} applied to fresh random bits (e.g. a
   * JSON document holding them, for secrets that production reads as JSON).
   */
  public synchronized String get(String name, UnaryOperator<String> format) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "secret names are 1-512 of letters, digits and /_+=.@- : " + name);
    }
    Path file = dir.resolve(fileName(name));
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      Files.createDirectories(dir);
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String value = format.apply(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
      Path tmp = Files.createTempFile(dir, "new-secret", ".tmp");
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

  /** The file a secret lives in: unchanged for the old plain names ({@code cursor-signing-key}). */
  public static String fileName(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", (int) c));
      }
    }
    return out.toString();
  }

  /** A template secret's first value: its SecretString, or generated as Secrets Manager does. */
  private String initial(LocalTemplate.Secret secret) {
    if (secret.secretString().isPresent()) {
      return secret.secretString().get();
    }
    if (secret.generate().isEmpty()) {
      throw new IllegalStateException(
          "template secret " + secret.logicalId() + " has neither SecretString nor a generator");
    }
    LocalTemplate.GeneratedSecret rules = secret.generate().get();
    String generated = generate(rules);
    if (rules.template().isPresent() && rules.generateKey().isPresent()) {
      com.fasterxml.jackson.databind.node.ObjectNode doc =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              com.cdp.model.json.Json.tree(rules.template().get());
      doc.put(rules.generateKey().get(), generated);
      return com.cdp.model.json.Json.write(doc);
    }
    return generated;
  }

  /** {@code GenerateSecretString}: the length, without punctuation or excluded characters. */
  String generate(LocalTemplate.GeneratedSecret rules) {
    StringBuilder alphabet = new StringBuilder(ALPHANUMERIC);
    if (!rules.excludePunctuation()) {
      alphabet.append(PUNCTUATION);
    }
    String allowed =
        alphabet
            .chars()
            .filter(c -> rules.excludeCharacters().indexOf(c) < 0)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    if (allowed.isEmpty() || rules.length() < 1) {
      throw new IllegalArgumentException("GenerateSecretString allows no characters");
    }
    StringBuilder out = new StringBuilder(rules.length());
    for (int i = 0; i < rules.length(); i++) {
      out.append(allowed.charAt(random.nextInt(allowed.length())));
    }
    return out.toString();
  }
}
