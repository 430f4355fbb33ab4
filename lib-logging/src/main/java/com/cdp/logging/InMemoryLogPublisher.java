package com.cdp.logging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps published messages in memory: for tests. Oversized messages are trimmed as the SNS
 * publisher trims them, so tests see what would be delivered.
 */
public final class InMemoryLogPublisher implements LogPublisher {
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final AtomicLong trimmed = new AtomicLong();

  @Override
  public void publish(String json) {
    MessageTrimmer.Result fitted = MessageTrimmer.fit(json, MessageTrimmer.SNS_MAX_BYTES);
    if (fitted.trimmed()) {
      trimmed.incrementAndGet();
    }
    messages.add(fitted.message());
  }

  @Override
  public void flush(Duration timeout) {}

  @Override
  public PublisherStats stats() {
    return new PublisherStats(messages.size(), messages.size(), trimmed.get(), 0, 0, 0);
  }

  /** Every message published so far, in order. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** Forgets the messages published so far. */
  public void clear() {
    messages.clear();
  }
}
