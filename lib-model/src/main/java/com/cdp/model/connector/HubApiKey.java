package com.cdp.model.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The key that proves to the Connector Hub that a call comes from this environment's platform.
 * Every hub call carries it in {@link #HEADER}; in AWS it is read from the Secrets Manager secret
 * named by {@link #SECRET_ARN_ENV} ({@code cdp/ENV/connector-hub-api-key}), locally from the local
 * platform's secret {@link #LOCAL_SECRET}. Read once per container; read again when the hub refuses
 * it (the key was rotated), at most once per {@link #MIN_RELOAD_GAP} so a key that is simply wrong
 * does not turn every call into a secret read. The key itself is never logged.
 */
public final class HubApiKey {
  /** The request header carrying the key (the header API Gateway API keys use). */
  public static final String HEADER = "x-api-key";

  /** Environment variable naming the secret in AWS. */
  public static final String SECRET_ARN_ENV = "CONNECTOR_HUB_API_KEY_SECRET_ARN";

  /** The secret's name below {@code cdp/ENV/} in AWS, and its name in the local platform. */
  public static final String LOCAL_SECRET = "connector-hub-api-key";

  public static final Duration MIN_RELOAD_GAP = Duration.ofMinutes(1);

  private final Supplier<String> reader;
  private final Clock clock;
  private String key;
  private Instant readAt;

  private HubApiKey(Supplier<String> reader, Clock clock) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.key = read();
    this.readAt = clock.instant();
  }

  /** A key read now from {@code reader} (e.g. a Secrets Manager GetSecretValue) and on refusal. */
  public static HubApiKey reading(Supplier<String> reader, Clock clock) {
    return new HubApiKey(reader, clock);
  }

  /** A key that never changes (tests and the local platform). */
  public static HubApiKey fixed(String key) {
    return new HubApiKey(() -> key, Clock.systemUTC());
  }

  /** The key to send. */
  public synchronized String current() {
    return key;
  }

  /**
   * Reads the key again after the hub refused it, unless it was read less than {@link
   * #MIN_RELOAD_GAP} ago; returns whether the key changed (only then is a retry worth it).
   */
  public synchronized boolean reloadAfterRefusal() {
    Instant now = clock.instant();
    if (!now.isAfter(readAt.plus(MIN_RELOAD_GAP))) {
      return false;
    }
    String previous = key;
    key = read();
    readAt = now;
    return !key.equals(previous);
  }

  private String read() {
    String value = reader.get();
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("the Connector Hub API key secret is empty");
    }
    return value.strip();
  }

  @Override
  public String toString() {
    return "HubApiKey[****]";
  }
}
