package com.cdp.logging;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.model.config.EnvReader;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Opens request logs and publishes each, when it closes, as one platform log message with the
 * partition fields of CONTRACTS section 7. One per container; thread-safe. A Lambda handler calls
 * {@link #flush()} before it returns, so a frozen container strands nothing.
 *
 * <p>Message shape: {@code organizationID, logType, environment, year, month, day, hour} (strings,
 * zero-padded, UTC, from the request's start), {@code time} (ISO-8601 with milliseconds), {@code
 * transactionId}, {@code server}, {@code success}, {@code durationMs}, {@code fields} (what {@link
 * RequestLog#put} added) and {@code events: [{action, description, detail, caller, server, success,
 * time, transactionId, type}]}; see docs/logging.md.
 */
public final class PlatformLogger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformLogger.class);

  /** Used as {@code organizationID} for requests that belong to no organization. */
  public static final String NO_ORGANIZATION = "platform";

  /** Used as {@code organizationID} when the given organization id is not a valid one. */
  public static final String INVALID_ORGANIZATION = "unknown";

  /** How long {@link #flush()} waits for the publisher at most. */
  public static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

  /** The field that keeps a refused incoming transactionId (sanitised, truncated). */
  public static final String GIVEN_TRANSACTION_ID = "givenTransactionId";

  private static final Pattern ORG = Pattern.compile("[a-z0-9-]{2,32}");

  /** The variable that sets the share of requests whose debug events are written (0 to 1). */
  public static final String DEBUG_SAMPLE_RATE = "LOG_DEBUG_SAMPLE_RATE";

  /** Where the Java runtime puts the invocation's X-Ray trace header (then the env variable). */
  static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

  private final LogPublisher publisher;
  private final String environment;
  private final String server;
  private final Clock clock;
  private final String functionVersion;
  private final double debugSampleRate;
  private final Supplier<String> traceHeader;
  private final AtomicBoolean coldStart = new AtomicBoolean(true);
  // The Lambda request id of the invocation the current thread serves (one invocation per thread
  // at a time in Lambda and in the local runtime): every log opened until flush() carries it.
  private final ThreadLocal<String> invocation = new ThreadLocal<>();

  public PlatformLogger(LogPublisher publisher, String environment, String server, Clock clock) {
    this(publisher, environment, server, clock, null, 0, PlatformLogger::runtimeTraceHeader);
  }

  /**
   * A logger with the function's version, the share of requests whose debug events are written
   * ({@code debugSampleRate}, 0 to 1; a failed request writes them always) and where the X-Ray
   * trace header of the current invocation is read.
   */
  public PlatformLogger(
      LogPublisher publisher,
      String environment,
      String server,
      Clock clock,
      String functionVersion,
      double debugSampleRate,
      Supplier<String> traceHeader) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.server = Objects.requireNonNull(server, "server");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.functionVersion = functionVersion;
    if (!(debugSampleRate >= 0 && debugSampleRate <= 1)) {
      throw new IllegalArgumentException(
          DEBUG_SAMPLE_RATE + " must be between 0 and 1, got " + debugSampleRate);
    }
    this.debugSampleRate = debugSampleRate;
    this.traceHeader = Objects.requireNonNull(traceHeader, "traceHeader");
  }

  /** The X-Ray trace header the Lambda runtime set for the current invocation, if any. */
  private static String runtimeTraceHeader() {
    String header = System.getProperty(TRACE_PROPERTY);
    return header != null ? header : System.getenv("_X_AMZN_TRACE_ID");
  }

  /** A logger that keeps messages in memory, for tests. */
  public static PlatformLogger inMemory(InMemoryLogPublisher publisher) {
    return new PlatformLogger(publisher, "local", "test", Clock.systemUTC());
  }

  /**
   * The logger of a Lambda function or container task, configured from its environment: {@code
   * CDP_ENV} (the environment, default {@code local}), {@code LOG_TOPIC_ARN} (the SNS topic of the
   * logging pipeline; without it messages go to SLF4J as JSON lines), the server name from {@code
   * AWS_LAMBDA_FUNCTION_NAME} or {@code CDP_SERVER}, and the publisher's settings ({@link
   * SnsLogPublisher.Settings#fromEnvironment}). Build it once per container.
   */
  public static PlatformLogger fromEnvironment() {
    return fromEnvironment(EnvReader.system());
  }

  /** As {@link #fromEnvironment()}, reading the given variables. */
  public static PlatformLogger fromEnvironment(EnvReader env) {
    String environment = env.optional("CDP_ENV", "local");
    String server =
        env.optional("AWS_LAMBDA_FUNCTION_NAME")
            .or(() -> env.optional("CDP_SERVER"))
            .orElse("unknown");
    Optional<String> topic = env.optional("LOG_TOPIC_ARN");
    LogPublisher publisher;
    if (topic.isPresent()) {
      SnsClient sns = AwsClients.build(SnsClient.builder(), AwsTarget.fromEnvironment());
      publisher =
          SnsLogPublisher.start(
              sns, topic.get(), SnsLogPublisher.Settings.fromEnvironment(env), true);
    } else {
      LOG.warn("LOG_TOPIC_ARN is not set: platform log messages go to the diagnostic log only");
      publisher = new Slf4jLogPublisher();
    }
    double rate;
    try {
      rate = Double.parseDouble(env.optional(DEBUG_SAMPLE_RATE, "0"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(DEBUG_SAMPLE_RATE + " must be a number between 0 and 1");
    }
    return new PlatformLogger(
        publisher,
        environment,
        server,
        Clock.systemUTC(),
        env.optional("AWS_LAMBDA_FUNCTION_VERSION").orElse(null),
        rate,
        PlatformLogger::runtimeTraceHeader);
  }

  /**
   * Opens the log of one request. {@code transactionId} is the caller's correlation id (header
   * {@code x-transaction-id} or an event field, see {@link TransactionIds}) when there is one and
   * it is valid; otherwise a new one is made.
   */
  public RequestLog open(LogType type, String organizationId, String transactionId) {
    if (TransactionIds.isValid(transactionId)) {
      return newLog(type, organizationId, transactionId);
    }
    RequestLog log = newLog(type, organizationId, TransactionIds.newId());
    if (transactionId != null && !transactionId.isEmpty()) {
      // Not in the platform's format: never trusted as a key, kept only to help a caller debug.
      log.put(GIVEN_TRANSACTION_ID, TransactionIds.sanitise(transactionId));
    }
    return log;
  }

  private RequestLog newLog(LogType type, String organizationId, String transactionId) {
    boolean sampled =
        debugSampleRate > 0 && ThreadLocalRandom.current().nextDouble() < debugSampleRate;
    RequestLog log =
        new RequestLog(
            this,
            type,
            organizationId,
            transactionId,
            clock,
            coldStart.getAndSet(false),
            xrayTraceId(traceHeader.get()),
            sampled);
    String requestId = invocation.get();
    return requestId == null ? log : log.invocation(requestId);
  }

  /**
   * Starts serving one Lambda invocation on this thread: every request log opened until {@link
   * #flush()} carries {@code awsRequestId} as {@code function_request_id}. A handler calls it first
   * thing with {@code context.getAwsRequestId()} ({@code null} context: no id).
   */
  public void invocation(String awsRequestId) {
    if (awsRequestId == null) {
      invocation.remove();
    } else {
      invocation.set(awsRequestId);
    }
  }

  /** The {@code Root} of an X-Ray trace header ({@code Root=1-...;Parent=...;Sampled=1}). */
  static String xrayTraceId(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    for (String part : header.split(";")) {
      String p = part.strip();
      if (p.startsWith("Root=")) {
        return cut(p.substring(5));
      }
    }
    return null;
  }

  String server() {
    return server;
  }

  public String environment() {
    return environment;
  }

  /**
   * Serializes and hands the message over; never throws (a failure is counted by the publisher).
   */
  void publish(RequestLog log) {
    String json;
    try {
      json = toJson(log);
    } catch (RuntimeException e) {
      LOG.warn("cannot serialize the log of transaction {}: {}", log.transactionId(), e.toString());
      json = fallbackJson(log, e);
    }
    try {
      publisher.publish(json);
    } catch (RuntimeException e) {
      LOG.warn("log publisher failed: {}", e.toString());
    }
  }

  /** The message for a request log. */
  String toJson(RequestLog log) {
    LocalDateTime t = LocalDateTime.ofInstant(log.startedAt(), ZoneOffset.UTC);
    StringWriter out = new StringWriter(256 + 256 * log.eventList().size());
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
      g.setCodec(Json.mapper());
      g.writeStartObject();
      writePartition(g, log, t);
      g.writeStringField("time", LogTimes.iso(t));
      g.writeStringField("transactionId", log.transactionId());
      g.writeStringField("server", server);
      g.writeBooleanField("success", log.success());
      Instant end = log.closedAt() == null ? clock.instant() : log.closedAt();
      g.writeNumberField(
          "durationMs", Math.max(0, Duration.between(log.startedAt(), end).toMillis()));
      // The fields Powertools users look for (their names and meaning).
      g.writeBooleanField("cold_start", log.coldStart());
      g.writeStringField("function_name", server);
      if (functionVersion != null) {
        g.writeStringField("function_version", functionVersion);
      }
      if (log.requestId() != null) {
        g.writeStringField("function_request_id", log.requestId());
      }
      if (log.xrayTraceId() != null) {
        g.writeStringField("xray_trace_id", log.xrayTraceId());
      }
      if (debugSampleRate > 0) {
        g.writeNumberField("sampling_rate", debugSampleRate);
      }
      if (log.organizationId() != null && !ORG.matcher(log.organizationId()).matches()) {
        g.writeStringField(
            "invalidOrganizationId", SensitiveData.maskText(cut(log.organizationId())));
      }
      if (log.droppedEvents() > 0) {
        g.writeNumberField("droppedEvents", log.droppedEvents());
      }
      g.writeObjectFieldStart("fields");
      for (Map.Entry<String, Object> field : log.fields().entrySet()) {
        g.writeFieldName(field.getKey());
        g.writeObject(field.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("events");
      // Debug events: written for the sampled share of requests, and always when one failed.
      boolean withDebug = log.debugSampled() || !log.success();
      List<LogEvent> events = log.eventList();
      for (int i = 0; i < events.size(); i++) {
        LogEvent e = events.get(i);
        if (!withDebug && log.isDebug(i)) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("action", e.action());
        if (e.description() != null) {
          g.writeStringField("description", e.description());
        }
        g.writeObjectFieldStart("detail");
        for (Map.Entry<String, Object> d : e.detail().entrySet()) {
          g.writeFieldName(d.getKey());
          g.writeObject(d.getValue());
        }
        g.writeEndObject();
        g.writeStringField("caller", e.caller());
        g.writeStringField("server", e.server());
        g.writeBooleanField("success", e.success());
        g.writeStringField("time", LogTimes.iso(e.time()));
        g.writeStringField("transactionId", e.transactionId());
        g.writeStringField("type", e.type());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private void writePartition(JsonGenerator g, RequestLog log, LocalDateTime t) throws IOException {
    g.writeStringField("organizationID", organizationField(log.organizationId()));
    g.writeStringField("logType", log.type().id());
    g.writeStringField("environment", environment);
    g.writeStringField("year", LogTimes.pad(t.getYear(), 4));
    g.writeStringField("month", LogTimes.pad(t.getMonthValue(), 2));
    g.writeStringField("day", LogTimes.pad(t.getDayOfMonth(), 2));
    g.writeStringField("hour", LogTimes.pad(t.getHour(), 2));
  }

  private static String organizationField(String organizationId) {
    if (organizationId == null || organizationId.isBlank()) {
      return NO_ORGANIZATION;
    }
    return ORG.matcher(organizationId).matches() ? organizationId : INVALID_ORGANIZATION;
  }

  /** A message that still carries the partition fields when the full one cannot be written. */
  private String fallbackJson(RequestLog log, RuntimeException error) {
    LocalDateTime t = LocalDateTime.ofInstant(log.startedAt(), ZoneOffset.UTC);
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
      g.writeStartObject();
      writePartition(g, log, t);
      g.writeStringField("time", LogTimes.iso(t));
      g.writeStringField("transactionId", log.transactionId());
      g.writeStringField("server", server);
      g.writeBooleanField("success", log.success());
      g.writeObjectFieldStart("fields");
      g.writeStringField("serializationError", cut(error.toString()));
      g.writeEndObject();
      g.writeArrayFieldStart("events");
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String cut(String s) {
    return s.length() > 200 ? s.substring(0, 200) : s;
  }

  /**
   * Completes delivery of what was published (at most {@link #FLUSH_TIMEOUT}); a Lambda handler
   * calls this before returning.
   */
  public void flush() {
    flush(FLUSH_TIMEOUT);
  }

  /** As {@link #flush()}, waiting at most {@code timeout}. */
  public void flush(Duration timeout) {
    invocation.remove(); // the handler is done: a later request on this thread is another one
    try {
      publisher.flush(timeout);
    } catch (RuntimeException e) {
      LOG.warn("log publisher flush failed: {}", e.toString());
    }
  }

  /** What the publisher did with the messages: delivered, trimmed, dropped, failed, pending. */
  public PublisherStats stats() {
    return publisher.stats();
  }

  @Override
  public void close() {
    publisher.close();
  }
}
