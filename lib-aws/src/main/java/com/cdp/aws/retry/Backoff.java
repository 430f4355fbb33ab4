package com.cdp.aws.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * the delay before retry {@code n} is uniform in {@code [0, min(max, base * 2^(n-1))]}. One shared
 * helper for the retries the SDK's own strategy does not cover (UnprocessedItems, PutEvents failed
 * entries, SNS batch failures, ECS RunTask failures reported in a successful response, throttled
 * API Gateway posts, Segmint 429/5xx). Retries are counted from 1: {@code pause(1)} is the wait
 * before the second attempt.
 */
public record Backoff(Duration base, Duration max, int maxAttempts, Sleeper sleeper) {

  /** Sleeps; replaced in tests so they never wait. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(sleeper, "sleeper");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public static Backoff of(Duration base, Duration max, int maxAttempts) {
    return new Backoff(base, max, maxAttempts, THREAD_SLEEP);
  }

  /** 50 ms doubling up to 5 s, 10 attempts: about 20 s of patience in the worst case. */
  public static Backoff standard() {
    return of(Duration.ofMillis(50), Duration.ofSeconds(5), 10);
  }

  /** The same attempts without waiting: for tests. */
  public static Backoff immediate(int maxAttempts) {
    return new Backoff(Duration.ZERO, Duration.ZERO, maxAttempts, d -> {});
  }

  public Backoff withSleeper(Sleeper other) {
    return new Backoff(base, max, maxAttempts, other);
  }

  /** The jittered delay before retry number {@code retry} (1 = the first retry). */
  public Duration delay(int retry) {
    long cap = max.toMillis();
    long exp = base.toMillis() << Math.min(Math.max(retry - 1, 0), 30);
    long bound = Math.max(0, Math.min(cap, exp < 0 ? cap : exp));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound + 1));
  }

  /**
   * Sleeps before retry number {@code retry}; an interrupt is restored and surfaces as {@link
   * IllegalStateException}, so callers stop retrying.
   */
  public void pause(int retry) {
    try {
      sleeper.sleep(delay(retry));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
