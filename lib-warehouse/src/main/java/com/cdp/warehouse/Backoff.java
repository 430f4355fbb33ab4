package com.cdp.warehouse;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (a random wait between zero and {@code base * 2^attempt},
 * capped): the one retry delay policy of the write path. The sleeper is injectable so tests never
 * wait.
 */
public record Backoff(Duration base, Duration cap, int maxAttempts, Sleeper sleeper) {
  /** Waits; the production sleeper is {@link Thread#sleep}. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(sleeper, "sleeper");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** 50 ms doubling up to 5 s, 10 attempts: about 20 s of patience in the worst case. */
  public static Backoff standard() {
    return new Backoff(
        Duration.ofMillis(50), Duration.ofSeconds(5), 10, d -> Thread.sleep(d.toMillis()));
  }

  /** The same attempts without waiting: for tests. */
  public static Backoff immediate(int maxAttempts) {
    return new Backoff(Duration.ZERO, Duration.ZERO, maxAttempts, d -> {});
  }

  /** The delay before retry number {@code attempt} (0-based), with full jitter. */
  public Duration delay(int attempt) {
    long ceiling = base.toMillis() << Math.min(attempt, 20);
    long bounded = Math.min(cap.toMillis(), ceiling);
    return bounded <= 0
        ? Duration.ZERO
        : Duration.ofMillis(ThreadLocalRandom.current().nextLong(bounded + 1));
  }

  /** Sleeps before retry {@code attempt}; an interrupt becomes {@link WriteFailedException}. */
  public void pause(int attempt) {
    try {
      sleeper.sleep(delay(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriteFailedException("interrupted while backing off", e);
    }
  }
}
