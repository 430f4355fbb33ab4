package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule target's RetryPolicy and DeadLetterConfig on the local bus. */
class EventBusRetryPolicyTest {
  @TempDir Path dir;

  @Test
  void aFailingTarget_isAttemptedOncePlusItsMaximumRetries_thenTheEventGoesToItsDeadLetterQueue()
      throws Exception {
    try (AsyncWork work = new AsyncWork(1)) {
      LocalEventBus bus = new LocalEventBus(work, dir);
      AtomicInteger attempts = new AtomicInteger();
      Path dlq = dir.resolve("destinations/rule-dlq.ndjson");
      bus.subscribe(
          "r/t0",
          "{\"source\":[\"probe\"]}",
          event -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("target down");
          },
          new LocalEventBus.RetryPolicy(1, Duration.ofHours(1), dlq));

      bus.putEvents(
          List.of(new LocalEventBus.Entry("probe", "probed", "{\"n\":1}", List.of(), null)));
      assertThat(work.awaitIdle(Duration.ofSeconds(30))).isTrue();

      assertThat(attempts.get()).isEqualTo(2);
      List<String> lines = Files.readAllLines(dlq);
      assertThat(lines).hasSize(1);
      var record = Json.tree(lines.get(0));
      assertThat(record.path("rule").asText()).isEqualTo("r/t0");
      assertThat(record.path("attempts").asInt()).isEqualTo(2);
      assertThat(record.path("event").path("detail").path("n").asInt()).isEqualTo(1);
      assertThat(dir.resolve("dead-letters/events.ndjson")).doesNotExist();
    }
  }

  @Test
  void anEventOlderThanTheMaximumAge_isNotRetried() throws Exception {
    try (AsyncWork work = new AsyncWork(1)) {
      LocalEventBus bus = new LocalEventBus(work, dir);
      AtomicInteger attempts = new AtomicInteger();
      Path dlq = dir.resolve("destinations/aged.ndjson");
      bus.subscribe(
          "aged/t0",
          "{\"source\":[\"probe\"]}",
          event -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("target down");
          },
          new LocalEventBus.RetryPolicy(185, Duration.ZERO, dlq));

      bus.putEvents(
          List.of(new LocalEventBus.Entry("probe", "probed", "{\"n\":2}", List.of(), null)));
      assertThat(work.awaitIdle(Duration.ofSeconds(30))).isTrue();

      assertThat(attempts.get()).isEqualTo(1);
      assertThat(Files.readAllLines(dlq)).hasSize(1);
    }
  }
}
