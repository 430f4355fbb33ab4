package com.cdp.aws.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class RetryTest {
  private final List<Duration> pauses = new ArrayList<>();
  private final Backoff backoff =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 4, pauses::add);

  private static AwsServiceException aws(int status, String code) {
    return AwsServiceException.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
        .message(code)
        .build();
  }

  @Test
  void aDoneAttempt_returnsItsValueWithoutPausing() {
    String value = Retry.with(backoff).run(n -> Retry.Step.done("ok"));
    assertThat(value).isEqualTo("ok");
    assertThat(pauses).isEmpty();
  }

  @Test
  void attemptsAskingForMore_areRetriedWithTheBackoffsPauses_untilDone() {
    AtomicInteger retries = new AtomicInteger();
    List<Integer> attempts = new ArrayList<>();

    int value =
        Retry.with(backoff)
            .onRetry(retries::incrementAndGet)
            .run(
                n -> {
                  attempts.add(n);
                  return n < 3 ? Retry.Step.again("2 items unprocessed") : Retry.Step.done(n);
                });

    assertThat(value).isEqualTo(3);
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(retries.get()).isEqualTo(2);
    assertThat(pauses).hasSize(2);
    assertThat(pauses.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
    assertThat(pauses.get(1)).isLessThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void runningOutOfAttempts_isExhaustedWithTheLastProblem_afterMaxAttempts() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                Retry.with(backoff)
                    .run(n -> Retry.Step.again("attempt " + calls.incrementAndGet() + " failed")))
        .isInstanceOfSatisfying(
            Retry.ExhaustedException.class,
            e -> {
              assertThat(e.attempts()).isEqualTo(4);
              assertThat(e.lastProblem()).isEqualTo("attempt 4 failed");
              assertThat(e.getCause()).isNull();
            });
    assertThat(calls.get()).isEqualTo(4);
    assertThat(pauses).hasSize(3);
  }

  @Test
  void transientExceptions_areRetried_othersPropagateAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    Retry retry = Retry.with(backoff).retryingOn(Retry::transientAwsFailure);

    String value =
        retry.run(
            n -> {
              if (calls.incrementAndGet() == 1) {
                throw aws(400, "ThrottlingException");
              }
              return Retry.Step.done("second");
            });
    IllegalArgumentException bug = new IllegalArgumentException("bad request");

    assertThat(value).isEqualTo("second");
    assertThatThrownBy(
            () ->
                retry.run(
                    n -> {
                      throw bug;
                    }))
        .isSameAs(bug);
    SdkClientException down = SdkClientException.create("connection refused");
    assertThatThrownBy(
            () ->
                retry.run(
                    n -> {
                      throw down;
                    }))
        .isInstanceOf(Retry.ExhaustedException.class)
        .hasCause(down);
  }

  @Test
  void transientAwsFailure_isThrottlingServerErrorsAndTransport_notClientErrors() {
    assertThat(Retry.transientAwsFailure(aws(400, "ThrottlingException"))).isTrue();
    assertThat(Retry.transientAwsFailure(aws(503, "ServiceUnavailable"))).isTrue();
    assertThat(Retry.transientAwsFailure(SdkClientException.create("timeout"))).isTrue();
    assertThat(Retry.transientAwsFailure(aws(400, "ValidationException"))).isFalse();
    assertThat(Retry.transientAwsFailure(aws(403, "AccessDeniedException"))).isFalse();
    assertThat(Retry.transientAwsFailure(new IllegalStateException())).isFalse();
  }
}
