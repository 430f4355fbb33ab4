package com.cdp.logging;

import java.time.Duration;

/**
 * Delivers finished log messages (one JSON object each). Implementations never block the caller for
 * long and never throw: what they cannot deliver they count.
 */
public interface LogPublisher extends AutoCloseable {
  /** Hands one message over for delivery. */
  void publish(String json);

  /**
   * Waits until everything handed over so far is delivered or given up on, at most {@code timeout}.
   */
  void flush(Duration timeout);

  /** Counters of what happened to the messages handed over. */
  PublisherStats stats();

  @Override
  default void close() {
    flush(Duration.ofSeconds(5));
  }
}
