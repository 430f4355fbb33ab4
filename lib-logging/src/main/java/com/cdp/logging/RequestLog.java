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
 * published as one message when closed. Values are masked as they are added ({@link
 * SensitiveData}), so nothing sensitive is kept or published. Not thread-safe: one request, one
 * thread.
 *
 * <pre>{@code
 * try (RequestLog log = logger.open(LogType.HUB, org, TransactionIds.fromHeaders(headers))) {
 *   log.event("callConnector", "calling cdp-transfer/1/syncTransfers", Map.of("status", 200));
 * }
 * }</pre>
 */
public final class RequestLog implements AutoCloseable {
  /** Events beyond this many are counted ({@code droppedEvents}) instead of kept. */
  public static final int MAX_EVENTS = 1000;

  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final String SELF = RequestLog.class.getName();

  private final PlatformLogger logger;
  private final LogType type;
  private final String organizationId;
  private final String transactionId;
  private final Clock clock;
  private final Instant startedAt;
  private final List<LogEvent> events = new ArrayList<>();
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private int droppedEvents;
  private boolean success = true;
  private boolean closed;
  private Instant closedAt;

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
    return add(action, description, null, true);
  }

  /** A successful step with detail values (masked). */
  public RequestLog event(String action, String description, Map<String, ?> detail) {
    return add(action, description, detail, true);
  }

  /** A failed step. */
  public RequestLog failure(String action, String description) {
    return add(action, description, null, false);
  }

  /** A failed step with detail values (masked). */
  public RequestLog failure(String action, String description, Map<String, ?> detail) {
    return add(action, description, detail, false);
  }

  /** A failed step caused by an exception: its type and (masked) message, never a stack trace. */
  public RequestLog failure(String action, Throwable error) {
    Objects.requireNonNull(error, "error");
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("error", error.getClass().getName());
    if (error.getMessage() != null) {
      detail.put("message", error.getMessage());
    }
    return add(action, error.getClass().getSimpleName(), detail, false);
  }

  /** A top-level field of the message (under {@code fields}), e.g. {@code httpStatus}; masked. */
  public RequestLog put(String name, Object value) {
    Objects.requireNonNull(name, "name");
    fields.put(name, SensitiveData.maskValue(name, value));
    return this;
  }

  private RequestLog add(String action, String description, Map<String, ?> detail, boolean ok) {
    Objects.requireNonNull(action, "action");
    if (!ok) {
      success = false;
    }
    if (events.size() >= MAX_EVENTS) {
      droppedEvents++;
      return this;
    }
    events.add(
        new LogEvent(
            SensitiveData.maskText(action),
            SensitiveData.maskText(description),
            SensitiveData.maskDetail(detail),
            caller(),
            logger.server(),
            ok,
            clock.instant(),
            transactionId,
            type.id()));
    return this;
  }

  /** The first frame outside this class: walks a few frames lazily, never a full stack trace. */
  private static String caller() {
    return WALKER.walk(
        frames ->
            frames
                .filter(f -> !f.getClassName().equals(SELF))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
                .orElse("unknown"));
  }

  public List<LogEvent> events() {
    return List.copyOf(events);
  }

  /** The top-level fields put so far (masked). */
  public Map<String, Object> fields() {
    return java.util.Collections.unmodifiableMap(fields);
  }

  /** False once any failure was recorded. */
  public boolean success() {
    return success;
  }

  int droppedEvents() {
    return droppedEvents;
  }

  List<LogEvent> eventList() {
    return events;
  }

  Instant closedAt() {
    return closedAt;
  }

  /** Publishes the message (once; later calls do nothing). Never throws. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closedAt = clock.instant();
      logger.publish(this);
    }
  }
}
