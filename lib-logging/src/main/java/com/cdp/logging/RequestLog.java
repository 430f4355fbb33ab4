package com.cdp.logging;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
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
  private String transactionId;
  private final Clock clock;
  private final Instant startedAt;
  private final List<LogEvent> events = new ArrayList<>();
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private final boolean coldStart;
  private final String xrayTraceId;
  private final boolean debugSampled;
  private final BitSet debugEvents = new BitSet();
  private String requestId;
  private int droppedEvents;
  private boolean success = true;
  private boolean closed;
  private Instant closedAt;

  RequestLog(
      PlatformLogger logger,
      LogType type,
      String organizationId,
      String transactionId,
      Clock clock,
      boolean coldStart,
      String xrayTraceId,
      boolean debugSampled) {
    this.coldStart = coldStart;
    this.xrayTraceId = xrayTraceId;
    this.debugSampled = debugSampled;
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

  /**
   * Makes this request log part of a business flow whose id is only known once the work started
   * (the metadata of the object being read, the ingestion record of a file): the message and every
   * event, also those logged already, carry {@code flowId}. A value not in the platform's format is
   * ignored (the current id stays).
   *
   * @return this log's transactionId after the call
   */
  public String joinFlow(String flowId) {
    if (TransactionIds.isValid(flowId) && !flowId.equals(transactionId)) {
      transactionId = flowId;
      events.replaceAll(
          e ->
              new LogEvent(
                  e.action(),
                  e.description(),
                  e.detail(),
                  e.caller(),
                  e.server(),
                  e.success(),
                  e.time(),
                  flowId,
                  e.type()));
    }
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

  /** A successful step (an {@link EventType#INFO} event). */
  public RequestLog event(String action, String description) {
    return add(EventType.INFO, action, description, null, true);
  }

  /** A successful step with detail values (masked; an {@link EventType#INFO} event). */
  public RequestLog event(String action, String description, Map<String, ?> detail) {
    return add(EventType.INFO, action, description, detail, true);
  }

  /**
   * A successful step of a given kind: the request received ({@link EventType#REQUEST}), the answer
   * ({@link EventType#RESPONSE}), a call to another service ({@link EventType#CALL}), an event
   * published or consumed ({@link EventType#EVENT}).
   */
  public RequestLog event(
      EventType kind, String action, String description, Map<String, ?> detail) {
    Objects.requireNonNull(kind, "kind");
    return add(kind, action, description, detail, kind != EventType.ERROR);
  }

  /**
   * A debug step: kept only for the environment's sampled share of requests ({@code
   * LOG_DEBUG_SAMPLE_RATE}) and for every request that fails.
   */
  public RequestLog debug(String action, String description, Map<String, ?> detail) {
    int before = events.size();
    add(EventType.INFO, action, description, detail, true);
    if (events.size() > before) {
      debugEvents.set(before);
    }
    return this;
  }

  /**
   * The Lambda request id of the invocation this request log belongs to ({@code
   * function_request_id}).
   */
  public RequestLog invocation(String awsRequestId) {
    this.requestId = awsRequestId == null ? null : TransactionIds.sanitise(awsRequestId);
    return this;
  }

  String requestId() {
    return requestId;
  }

  boolean coldStart() {
    return coldStart;
  }

  String xrayTraceId() {
    return xrayTraceId;
  }

  boolean debugSampled() {
    return debugSampled;
  }

  boolean isDebug(int index) {
    return debugEvents.get(index);
  }

  /** A failed step (an {@link EventType#ERROR} event). */
  public RequestLog failure(String action, String description) {
    return add(EventType.ERROR, action, description, null, false);
  }

  /** A failed step with detail values (masked; an {@link EventType#ERROR} event). */
  public RequestLog failure(String action, String description, Map<String, ?> detail) {
    return add(EventType.ERROR, action, description, detail, false);
  }

  /** A failed step caused by an exception: its type and (masked) message, never a stack trace. */
  public RequestLog failure(String action, Throwable error) {
    Objects.requireNonNull(error, "error");
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("error", error.getClass().getName());
    if (error.getMessage() != null) {
      detail.put("message", error.getMessage());
    }
    return add(EventType.ERROR, action, error.getClass().getSimpleName(), detail, false);
  }

  /** A top-level field of the message (under {@code fields}), e.g. {@code httpStatus}; masked. */
  public RequestLog put(String name, Object value) {
    Objects.requireNonNull(name, "name");
    fields.put(name, SensitiveData.maskValue(name, value));
    return this;
  }

  private RequestLog add(
      EventType kind, String action, String description, Map<String, ?> detail, boolean ok) {
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
            kind.id()));
    return this;
  }

  /**
   * The first frame outside this class as {@code file:line} (the seed's {@code caller}, e.g. {@code
   * ShortLinkService.java:57}): walks a few frames lazily, never a full stack trace.
   */
  private static String caller() {
    return WALKER.walk(
        frames ->
            frames
                .filter(f -> !f.getClassName().equals(SELF))
                .findFirst()
                .map(
                    f ->
                        (f.getFileName() != null ? f.getFileName() : f.getClassName())
                            + ":"
                            + f.getLineNumber())
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
