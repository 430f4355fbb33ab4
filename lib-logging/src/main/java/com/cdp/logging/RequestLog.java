package com.cdp.logging;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The log of one handled request: a transactionId, a timeline of events and a few top-level fields,
 * published as one message when closed. Not thread-safe: one request, one thread.
 *
 * <pre>{@code
 * try (RequestLog log = logger.open(LogType.HUB, org, headers.get("x-transaction-id"))) {
 *   log.event("callConnector", "calling cdp-transfer/1/syncTransfers", Map.of("status", 200));
 * }
 * }</pre>
 */
public final class RequestLog implements AutoCloseable {
  private static final StackWalker WALKER = StackWalker.getInstance();

  private final PlatformLogger logger;
  private final LogType type;
  private final String organizationId;
  private final String transactionId;
  private final Clock clock;
  private final Instant startedAt;
  private final List<LogEvent> events = new ArrayList<>();
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private boolean closed;

  RequestLog(
      PlatformLogger logger,
      LogType type,
      String organizationId,
      String transactionId,
      Clock clock) {
    this.logger = logger;
    this.type = Objects.requireNonNull(type, "type");
    this.organizationId = organizationId;
    this.transactionId = Objects.requireNonNull(transactionId, "transactionId");
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  public String transactionId() {
    return transactionId;
  }

  public LogType type() {
    return type;
  }

  public String organizationId() {
    return organizationId;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** A successful step. */
  public RequestLog event(String action, String description) {
    return add(action, description, Map.of(), true);
  }

  /** A successful step with detail values (masked before publishing). */
  public RequestLog event(String action, String description, Map<String, ?> detail) {
    return add(action, description, detail, true);
  }

  /** A failed step. */
  public RequestLog failure(String action, String description, Map<String, ?> detail) {
    return add(action, description, detail, false);
  }

  /** A top-level field of the message, e.g. {@code httpStatus}. */
  public RequestLog put(String name, Object value) {
    fields.put(Objects.requireNonNull(name, "name"), value);
    return this;
  }

  private RequestLog add(
      String action, String description, Map<String, ?> detail, boolean success) {
    String caller =
        WALKER.walk(
            frames ->
                frames
                    .skip(2)
                    .findFirst()
                    .map(f -> f.getClassName() + "." + f.getMethodName())
                    .orElse("unknown"));
    events.add(
        new LogEvent(
            Objects.requireNonNull(action, "action"),
            description,
            detail == null ? Map.of() : new LinkedHashMap<>(detail),
            caller,
            logger.server(),
            success,
            clock.instant(),
            transactionId,
            type.id()));
    return this;
  }

  public List<LogEvent> events() {
    return List.copyOf(events);
  }

  Map<String, Object> fields() {
    return fields;
  }

  /** Publishes the message (once; later calls do nothing). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      logger.publish(this);
    }
  }
}
