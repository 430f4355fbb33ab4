package com.cdp.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.cdp.model.config.EnvReader;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {
  private static EnvReader init(String type) {
    return new EnvReader(type == null ? Map.of() : Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", type));
  }

  @Test
  void primes_onlyWhenLambdaIsInitializingASnapshot() {
    AtomicInteger runs = new AtomicInteger();
    SnapStartPriming.ifSnapshotting(init("snap-start"), "f", runs::incrementAndGet);
    SnapStartPriming.ifSnapshotting(init("on-demand"), "f", runs::incrementAndGet);
    SnapStartPriming.ifSnapshotting(init("provisioned-concurrency"), "f", runs::incrementAndGet);
    SnapStartPriming.ifSnapshotting(init(null), "f", runs::incrementAndGet);

    assertThat(runs).hasValue(1);
  }

  @Test
  void aFailedPriming_neverFailsTheInit() {
    assertThatCode(
            () ->
                SnapStartPriming.ifSnapshotting(
                    init("snap-start"),
                    "f",
                    () -> {
                      throw new IllegalStateException("table missing");
                    }))
        .doesNotThrowAnyException();
  }
}
