package com.cdp.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each message as one line to the diagnostic log (logger {@code cdp.platform-log}): the
 * fallback when no logging pipeline is configured, e.g. a function run outside the platform.
 */
public final class Slf4jLogPublisher implements LogPublisher {
  private static final Logger LOG = LoggerFactory.getLogger("cdp.platform-log");
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong trimmed = new AtomicLong();

  @Override
  public void publish(String json) {
    accepted.incrementAndGet();
    MessageTrimmer.Result fitted = MessageTrimmer.fit(json, MessageTrimmer.SNS_MAX_BYTES);
    if (fitted.trimmed()) {
      trimmed.incrementAndGet();
    }
    LOG.info("{}", fitted.message());
  }

  @Override
  public void flush(Duration timeout) {}

  @Override
  public PublisherStats stats() {
    long n = accepted.get();
    return new PublisherStats(n, n, trimmed.get(), 0, 0, 0);
  }
}
