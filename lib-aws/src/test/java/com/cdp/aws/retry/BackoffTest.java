package com.cdp.aws.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delay_ofRetryN_isFullJitterUpToBaseTimesTwoToTheNMinusOne_cappedAtMax() {
    Backoff backoff = Backoff.of(Duration.ofMillis(100), Duration.ofMillis(700), 10);
    for (int i = 0; i < 500; i++) {
      assertThat(backoff.delay(1)).isBetween(Duration.ZERO, Duration.ofMillis(100));
      assertThat(backoff.delay(2)).isBetween(Duration.ZERO, Duration.ofMillis(200));
      assertThat(backoff.delay(3)).isBetween(Duration.ZERO, Duration.ofMillis(400));
      assertThat(backoff.delay(4)).isBetween(Duration.ZERO, Duration.ofMillis(700));
      assertThat(backoff.delay(60)).isBetween(Duration.ZERO, Duration.ofMillis(700));
    }
  }

  @Test
  void delay_ofLaterRetries_reachesBeyondTheFirstRetrysCeiling() {
    Backoff backoff = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(10), 10);
    long longest = 0;
    for (int i = 0; i < 500; i++) {
      longest = Math.max(longest, backoff.delay(4).toMillis());
    }
    // 500 uniform draws from [0, 800] all below 100 ms has probability (1/8)^500.
    assertThat(longest).isGreaterThan(100);
  }

  @Test
  void immediate_neverWaits_andKeepsItsAttempts() {
    Backoff backoff = Backoff.immediate(3);
    assertThat(backoff.maxAttempts()).isEqualTo(3);
    assertThat(backoff.delay(1)).isEqualTo(Duration.ZERO);
    assertThat(backoff.delay(9)).isEqualTo(Duration.ZERO);
  }

  @Test
  void standard_is50msDoublingTo5sOverTenAttempts() {
    Backoff backoff = Backoff.standard();
    assertThat(backoff.base()).isEqualTo(Duration.ofMillis(50));
    assertThat(backoff.max()).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.maxAttempts()).isEqualTo(10);
  }

  @Test
  void pause_sleepsTheJitteredDelay_throughTheSleeper() {
    List<Duration> slept = new ArrayList<>();
    Backoff backoff =
        Backoff.of(Duration.ofMillis(10), Duration.ofMillis(20), 3).withSleeper(slept::add);
    backoff.pause(1);
    backoff.pause(5);
    assertThat(slept).hasSize(2);
    assertThat(slept.get(0)).isLessThanOrEqualTo(Duration.ofMillis(10));
    assertThat(slept.get(1)).isLessThanOrEqualTo(Duration.ofMillis(20));
  }

  @Test
  void pause_whenInterrupted_restoresTheFlagAndStopsRetrying() {
    Backoff backoff =
        Backoff.of(Duration.ofMillis(10), Duration.ofMillis(20), 3)
            .withSleeper(
                d -> {
                  throw new InterruptedException();
                });
    try {
      assertThatThrownBy(() -> backoff.pause(1)).isInstanceOf(IllegalStateException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void constructor_rejectsFewerThanOneAttempt() {
    assertThatThrownBy(() -> Backoff.of(Duration.ofMillis(1), Duration.ofMillis(2), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
