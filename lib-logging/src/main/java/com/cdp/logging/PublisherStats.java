package com.cdp.logging;

/**
 * What a publisher did: accepted, delivered, trimmed (oversized, delivered with a marker), dropped
 * because the buffer was full, and failed after retries. {@code accepted = delivered + dropped +
 * failed + pending}.
 */
public record PublisherStats(
    long accepted, long delivered, long trimmed, long droppedBufferFull, long failed) {}
