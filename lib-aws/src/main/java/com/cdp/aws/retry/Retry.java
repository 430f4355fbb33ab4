package com.cdp.aws.retry;

import java.util.Objects;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one retry loop of the platform's AWS and partner calls, on top of the one {@link Backoff}:
 * runs an attempt until it is {@linkplain Step#done done}, retrying when it asks for another
 * attempt ({@link Step#again}: e.g. unprocessed items, failed entries) or throws what {@link
 * #retryingOn} calls transient, at most {@link Backoff#maxAttempts()} attempts with the backoff's
 * pauses in between. Other exceptions propagate unchanged; running out of attempts is an {@link
 * ExhaustedException} with the last problem.
 */
public final class Retry {
  /** What one attempt came to: done (with its value), or another attempt wanted, and why. */
  public record Step<T>(boolean done, T value, String problem) {
    public static <T> Step<T> done(T value) {
      return new Step<>(true, value, null);
    }

    public static <T> Step<T> again(String problem) {
      return new Step<>(false, null, Objects.requireNonNull(problem, "problem"));
    }
  }

  /** One attempt; {@code attempt} counts from 1. */
  @FunctionalInterface
  public interface Attempt<T> {
    Step<T> run(int attempt);
  }

  /** Every attempt failed. The cause is the last attempt's exception, if it threw. */
  public static final class ExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int attempts;
    private final String lastProblem;

    ExhaustedException(int attempts, String lastProblem, RuntimeException cause) {
      super("still failing after " + attempts + " attempts: " + lastProblem, cause);
      this.attempts = attempts;
      this.lastProblem = lastProblem;
    }

    public int attempts() {
      return attempts;
    }

    public String lastProblem() {
      return lastProblem;
    }
  }

  private final Backoff backoff;
  private final Predicate<RuntimeException> transientFailure;
  private final Runnable beforeRetry;

  private Retry(
      Backoff backoff, Predicate<RuntimeException> transientFailure, Runnable beforeRetry) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.transientFailure = Objects.requireNonNull(transientFailure, "transientFailure");
    this.beforeRetry = Objects.requireNonNull(beforeRetry, "beforeRetry");
  }

  /** Retries only what the attempts ask for; every exception propagates. */
  public static Retry with(Backoff backoff) {
    return new Retry(backoff, e -> false, () -> {});
  }

  /** Also retries the exceptions {@code transientFailure} accepts. */
  public Retry retryingOn(Predicate<RuntimeException> transientFailure) {
    return new Retry(backoff, transientFailure, beforeRetry);
  }

  /** Runs {@code hook} before each retry (e.g. to count retries). */
  public Retry onRetry(Runnable hook) {
    return new Retry(backoff, transientFailure, hook);
  }

  public Backoff backoff() {
    return backoff;
  }

  /**
   * Runs the attempts. An interrupt while pausing surfaces as {@link IllegalStateException} ({@link
   * Backoff#pause}).
   */
  public <T> T run(Attempt<T> attempt) {
    for (int n = 1; ; n++) {
      String problem;
      RuntimeException failure = null;
      try {
        Step<T> step = attempt.run(n);
        if (step.done()) {
          return step.value();
        }
        problem = step.problem();
      } catch (RuntimeException e) {
        if (!transientFailure.test(e)) {
          throw e;
        }
        problem = String.valueOf(e.getMessage());
        failure = e;
      }
      if (n >= backoff.maxAttempts()) {
        throw new ExhaustedException(n, problem, failure);
      }
      beforeRetry.run();
      backoff.pause(n);
    }
  }

  /**
   * Whether an AWS call failed in a way worth retrying: throttled, a server error (5xx) or a
   * transport failure. Anything else (validation, access denied, a missing resource) is a bug or a
   * configuration problem that a retry would only repeat.
   */
  public static boolean transientAwsFailure(RuntimeException e) {
    if (e instanceof SdkClientException) {
      return true;
    }
    return e instanceof AwsServiceException s
        && (s.isThrottlingException() || s.statusCode() >= 500);
  }
}
