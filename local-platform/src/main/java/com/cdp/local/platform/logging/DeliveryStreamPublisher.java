package com.cdp.local.platform.logging;

import com.cdp.logging.LogPublisher;
import com.cdp.logging.MessageTrimmer;
import com.cdp.logging.PublisherStats;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local platform's log publisher: what SNS does in AWS (trim to its 256 KiB limit, accept) and
 * then hands the message to the {@link LocalDeliveryStream}, as the SNS subscription hands it to
 * Firehose. Delivered means accepted by the stream, as it means accepted by SNS in AWS; the stream
 * writes to the store on its size/interval schedule.
 */
public final class DeliveryStreamPublisher implements LogPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryStreamPublisher.class);
  private final LocalDeliveryStream stream;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong trimmed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public DeliveryStreamPublisher(LocalDeliveryStream stream) {
    this.stream = Objects.requireNonNull(stream, "stream");
  }

  @Override
  public void publish(String json) {
    accepted.incrementAndGet();
    try {
      MessageTrimmer.Result fitted = MessageTrimmer.fit(json, MessageTrimmer.SNS_MAX_BYTES);
      if (fitted.trimmed()) {
        trimmed.incrementAndGet();
      }
      stream.put(fitted.message());
      delivered.incrementAndGet();
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      LOG.warn("local log delivery failed: {}", e.toString());
    }
  }

  @Override
  public void flush(Duration timeout) {
    // Everything published is already in the stream, as it would be in SNS.
  }

  @Override
  public PublisherStats stats() {
    return new PublisherStats(accepted.get(), delivered.get(), trimmed.get(), 0, failed.get(), 0);
  }

  /** The stream behind this publisher (its own counters and flushing). */
  public LocalDeliveryStream stream() {
    return stream;
  }

  /** Closes the stream, which delivers everything it still buffers. */
  @Override
  public void close() {
    stream.close();
  }
}
