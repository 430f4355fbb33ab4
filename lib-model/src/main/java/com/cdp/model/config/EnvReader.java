package com.cdp.model.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a module's configuration from environment variables, with errors that name the variable.
 * Each module builds one small Config record from it, in one place.
 */
public final class EnvReader {
  private final Map<String, String> env;

  public EnvReader(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  public static EnvReader system() {
    return new EnvReader(System.getenv());
  }

  public String required(String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "configuration: environment variable " + name + " is not set");
    }
    return value.strip();
  }

  public Optional<String> optional(String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(s -> !s.isEmpty());
  }

  public String optional(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  public int integer(String name, int fallback, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw new IllegalStateException(
            "configuration: "
                + name
                + " must be between "
                + min
                + " and "
                + max
                + " (got "
                + value
                + ")");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalStateException("configuration: " + name + " must be a whole number", e);
    }
  }

  public Duration duration(String name, Duration fallback) {
    return optional(name).map(Duration::parse).orElse(fallback);
  }

  public Optional<URI> uri(String name) {
    return optional(name).map(URI::create);
  }
}
