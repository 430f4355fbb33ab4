package com.cdp.logging;

import java.time.Instant;
import java.util.Map;

/** One step in a request's timeline. */
public record LogEvent(
    String action,
    String description,
    Map<String, Object> detail,
    String caller,
    String server,
    boolean success,
    Instant time,
    String transactionId,
    String type) {}
