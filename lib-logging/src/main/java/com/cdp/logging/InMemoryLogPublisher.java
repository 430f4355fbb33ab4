package com.cdp.logging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps published messages in memory: for tests. */
public final class InMemoryLogPublisher implements LogPublisher {
  private final List<String> messages = new CopyOnWriteArrayList<>();

  @Override
  public void publish(String json) {
    messages.add(json);
  }

  @Override
  public void flush(Duration timeout) {}

  @Override
  public PublisherStats stats() {
    return new PublisherStats(messages.size(), messages.size(), 0, 0, 0);
  }

  public List<String> messages() {
    return List.copyOf(messages);
  }
}
