package com.cdp.logging;

/**
 * What a publisher did with the messages handed to it: {@code accepted} (handed over), {@code
 * delivered} (confirmed by the destination), {@code trimmed} (oversized, delivered shortened with a
 * visible marker; also counted in {@code delivered}), {@code droppedBufferFull} (refused because
 * the buffer was full), {@code failed} (given up after retries, refused by the destination, or
 * still buffered at shutdown) and {@code retried} (send attempts repeated after throttling or a
 * partial failure). {@code accepted = delivered + droppedBufferFull + failed + pending()}.
 */
public record PublisherStats(
    long accepted,
    long delivered,
    long trimmed,
    long droppedBufferFull,
    long failed,
    long retried) {

  /** The counters without retries (kept for callers written against the first version). */
  public PublisherStats(
      long accepted, long delivered, long trimmed, long droppedBufferFull, long failed) {
    this(accepted, delivered, trimmed, droppedBufferFull, failed, 0);
  }

  /** Messages handed over and not yet delivered, dropped or failed. */
  public long pending() {
    return Math.max(0, accepted - delivered - droppedBufferFull - failed);
  }

  /** Messages that will never arrive: dropped because the buffer was full, or failed. */
  public long lost() {
    return droppedBufferFull + failed;
  }
}
