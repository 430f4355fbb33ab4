package com.cdp.local.platform.logging;

import com.cdp.aws.retry.Backoff;
import com.cdp.aws.retry.Retry;
import com.cdp.logging.LogLayout;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local stand-in for the Firehose delivery stream: records (one JSON message each, as SNS
 * delivers them with raw message delivery) are partitioned by the seven partition fields exactly
 * like Firehose's dynamic partitioning, buffered per partition until the buffer reaches its size or
 * its oldest record its age (Firehose's size/interval hints), then written gzip-compressed,
 * newline-delimited, to the logs bucket through the S3 API under {@code
 * logs/environment=.../hour=HH/local-logs-1-<time>-<uuid>.gz}. Records that are not JSON objects or
 * lack a partition field go to {@code logs-errors/processing-failed/year=.../hour=HH/} in
 * Firehose's error-record format.
 */
public final class LocalDeliveryStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDeliveryStream.class);
  static final String STREAM_NAME = "local-logs";
  static final String ERROR_CODE = "DynamicPartitioning.MetadataExtractionFailed";
  private static final DateTimeFormatter OBJECT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  /** Firehose's buffering hints: deliver a partition at this size or this age, whichever first. */
  public record Settings(long bufferBytes, Duration bufferInterval) {
    public Settings {
      if (bufferBytes < 1) {
        throw new IllegalArgumentException("bufferBytes must be positive");
      }
      Objects.requireNonNull(bufferInterval, "bufferInterval");
      if (bufferInterval.isNegative() || bufferInterval.isZero()) {
        throw new IllegalArgumentException("bufferInterval must be positive");
      }
    }

    /**
     * The local platform's hints: 1 MiB or 5 seconds, so logs show up quickly (AWS: 64 MiB, 60+ s).
     */
    public static Settings local() {
      return new Settings(1 << 20, Duration.ofSeconds(5));
    }
  }

  /**
   * Where records land, as the delivery stream declares it: the stream's name (in object names),
   * the prefix with its {@code !{partitionKeyFromQuery:KEY}} expressions, and the error output
   * prefix with {@code !{firehose:error-output-type}} and {@code !{timestamp:PATTERN}}.
   */
  public record Layout(String streamName, String prefix, String errorOutputPrefix) {
    private static final java.util.regex.Pattern EXPRESSION =
        java.util.regex.Pattern.compile("!\\{([a-zA-Z]+):([^}]*)}");

    public Layout {
      Objects.requireNonNull(streamName, "streamName");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(errorOutputPrefix, "errorOutputPrefix");
    }

    /** The contract's layout (docs: platform logs), for a platform without a template stream. */
    public static Layout contract() {
      return new Layout(
          STREAM_NAME,
          LogLayout.PREFIX
              + "environment=!{partitionKeyFromQuery:environment}"
              + "/organizationID=!{partitionKeyFromQuery:organizationID}"
              + "/logType=!{partitionKeyFromQuery:logType}/year=!{partitionKeyFromQuery:year}"
              + "/month=!{partitionKeyFromQuery:month}/day=!{partitionKeyFromQuery:day}"
              + "/hour=!{partitionKeyFromQuery:hour}/",
          LogLayout.ERROR_PREFIX
              + "!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}"
              + "/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
    }

    /** The prefix of a record whose partition keys are all usable values. */
    String prefixOf(JsonNode record) {
      return render(
          prefix, e -> e[0].equals("partitionKeyFromQuery") ? record.path(e[1]).asText() : null);
    }

    /** The error prefix for a record that failed partitioning at {@code arrival}. */
    String errorPrefixOf(Instant arrival) {
      return render(
          errorOutputPrefix,
          e ->
              switch (e[0]) {
                case "firehose" ->
                    e[1].equals("error-output-type") ? LogLayout.PROCESSING_FAILED : null;
                case "timestamp" ->
                    DateTimeFormatter.ofPattern(e[1]).withZone(ZoneOffset.UTC).format(arrival);
                default -> null;
              });
    }

    private static String render(
        String template, java.util.function.Function<String[], String> values) {
      java.util.regex.Matcher m = EXPRESSION.matcher(template);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = values.apply(new String[] {m.group(1), m.group(2)});
        if (value == null) {
          throw new IllegalArgumentException(
              "the delivery stream's prefix uses "
                  + m.group()
                  + ", which Firehose would not fill here");
        }
        m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return out.toString();
    }
  }

  /** Counters: records received, delivered under logs/, written under logs-errors/, lost. */
  public record Stats(long records, long delivered, long errors, long objects, long lost) {}

  private static final class Buffer {
    final String prefix;
    final Instant firstArrival;
    final ByteArrayOutputStream data = new ByteArrayOutputStream(8192);
    int records;
    final boolean errors;

    Buffer(String prefix, Instant firstArrival, boolean errors) {
      this.prefix = prefix;
      this.firstArrival = firstArrival;
      this.errors = errors;
    }
  }

  private final S3Client s3;
  private final String bucket;
  private final Settings settings;
  private final Layout layout;
  private final Clock clock;
  private final Map<String, Buffer> buffers = new LinkedHashMap<>();
  private final ExecutorService writer;
  private final ScheduledExecutorService timer;

  /**
   * Firehose retries a failed S3 delivery every few seconds for up to 24 hours; so does this stream
   * (until then, or until it is closed: {@link #close()} interrupts the retries after a minute). A
   * short S3 outage (S3Proxy restarting) must not lose records.
   */
  private final Backoff backoff =
      Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5), Integer.MAX_VALUE);

  static final Duration RETRY_DURATION = Duration.ofHours(24);
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong objects = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private volatile boolean closed;

  LocalDeliveryStream(
      S3Client s3, String bucket, Settings settings, Clock clock, boolean intervalTimer) {
    this(s3, bucket, settings, Layout.contract(), clock, intervalTimer);
  }

  LocalDeliveryStream(
      S3Client s3,
      String bucket,
      Settings settings,
      Layout layout,
      Clock clock,
      boolean intervalTimer) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.writer = Executors.newSingleThreadExecutor(daemon("local-delivery-stream"));
    if (intervalTimer) {
      this.timer = Executors.newSingleThreadScheduledExecutor(daemon("local-delivery-timer"));
      long period = Math.max(50, Math.min(1000, settings.bufferInterval().toMillis() / 5));
      timer.scheduleWithFixedDelay(this::flushDueQuietly, period, period, TimeUnit.MILLISECONDS);
    } else {
      this.timer = null;
    }
  }

  /** A stream writing to {@code bucket}, delivering partitions as their interval elapses. */
  public static LocalDeliveryStream start(S3Client s3, String bucket, Settings settings) {
    return new LocalDeliveryStream(s3, bucket, settings, Clock.systemUTC(), true);
  }

  /**
   * A stream with the layout (name, prefix, error prefix) a template's delivery stream declares.
   */
  public static LocalDeliveryStream start(
      S3Client s3, String bucket, Settings settings, Layout layout) {
    return new LocalDeliveryStream(s3, bucket, settings, layout, Clock.systemUTC(), true);
  }

  /** Accepts one record (one message); never blocks on S3. */
  public void put(String record) {
    Objects.requireNonNull(record, "record");
    records.incrementAndGet();
    Instant now = clock.instant();
    String prefix;
    byte[] line;
    Optional<String> problem = Optional.empty();
    JsonNode node = parse(record);
    Optional<String> partition =
        node == null ? Optional.empty() : LogLayout.partitionPrefixOf(node);
    if (partition.isPresent()) {
      prefix = layout.prefixOf(node);
      // NDJSON needs one line per record: pretty-printed input is compacted.
      String text =
          record.indexOf('\n') >= 0 || record.indexOf('\r') >= 0 ? Json.write(node) : record;
      line = text.getBytes(StandardCharsets.UTF_8);
    } else {
      problem =
          Optional.of(
              node == null || !node.isObject()
                  ? "Non JSON record provided"
                  : "partition key "
                      + LogLayout.missingField(node).orElse("?")
                      + " is missing or not a usable value");
      prefix = layout.errorPrefixOf(now);
      line = errorRecord(record, problem.get(), now).getBytes(StandardCharsets.UTF_8);
    }
    Buffer full = null;
    synchronized (buffers) {
      if (closed) {
        lost.incrementAndGet();
        LOG.warn("delivery stream closed: record dropped");
        return;
      }
      Buffer buffer =
          buffers.computeIfAbsent(
              prefix, p -> new Buffer(p, now, p.startsWith(LogLayout.ERROR_PREFIX)));
      buffer.data.write(line, 0, line.length);
      buffer.data.write('\n');
      buffer.records++;
      if (buffer.data.size() >= settings.bufferBytes()) {
        full = buffers.remove(prefix);
      }
    }
    if (full != null) {
      submit(full);
    }
  }

  /** Delivers every partition whose oldest record has waited the buffer interval. */
  public void flushDue() {
    Instant now = clock.instant();
    List<Buffer> due = new ArrayList<>();
    synchronized (buffers) {
      Iterator<Buffer> it = buffers.values().iterator();
      while (it.hasNext()) {
        Buffer b = it.next();
        if (!now.isBefore(b.firstArrival.plus(settings.bufferInterval()))) {
          due.add(b);
          it.remove();
        }
      }
    }
    due.forEach(this::submit);
  }

  /** Delivers every buffer now and waits until everything submitted so far is written. */
  public void flushAll() {
    List<Buffer> all;
    synchronized (buffers) {
      all = new ArrayList<>(buffers.values());
      buffers.clear();
    }
    all.forEach(this::submit);
    awaitDeliveries(Duration.ofSeconds(60));
  }

  /** Waits until the deliveries submitted so far are written (or given up). */
  void awaitDeliveries(Duration timeout) {
    Future<?> barrier;
    try {
      barrier = writer.submit(() -> {});
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return;
    }
    try {
      barrier.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("waiting for log deliveries: {}", e.toString());
    }
  }

  public Stats stats() {
    return new Stats(records.get(), delivered.get(), errors.get(), objects.get(), lost.get());
  }

  /** Stops the timer, delivers what is buffered and waits for it. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    flushAll();
    synchronized (buffers) {
      closed = true;
    }
    flushAll();
    writer.shutdown();
    try {
      if (!writer.awaitTermination(60, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void flushDueQuietly() {
    try {
      flushDue();
    } catch (RuntimeException e) {
      LOG.warn("log delivery timer: {}", e.toString());
    }
  }

  private void submit(Buffer buffer) {
    try {
      writer.execute(() -> deliver(buffer));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      lost.addAndGet(buffer.records);
      LOG.warn("delivery stream stopped: {} log records lost", buffer.records);
    }
  }

  private void deliver(Buffer buffer) {
    String key = buffer.prefix + objectName(layout.streamName(), buffer.firstArrival);
    byte[] body = gzip(buffer.data.toByteArray());
    try {
      // Local S3 only: any failure may be a restart in progress. Firehose retries a failed
      // delivery to S3 for up to 24 hours; so does this stream, then counts the records lost.
      long giveUp = System.nanoTime() + RETRY_DURATION.toNanos();
      java.util.concurrent.atomic.AtomicBoolean warned =
          new java.util.concurrent.atomic.AtomicBoolean();
      Retry.with(backoff)
          .retryingOn(
              e -> {
                if (warned.compareAndSet(false, true)) {
                  LOG.warn(
                      "cannot write s3://{}/{} yet, retrying as Firehose does: {}",
                      bucket,
                      key,
                      e.toString());
                }
                return System.nanoTime() - giveUp < 0;
              })
          .run(
              attempt -> {
                s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
                return Retry.Step.done(null);
              });
      objects.incrementAndGet();
      (buffer.errors ? errors : delivered).addAndGet(buffer.records);
    } catch (Retry.ExhaustedException e) {
      lost.addAndGet(buffer.records);
      LOG.error(
          "cannot write s3://{}/{} after {} attempts ({} log records lost): {}",
          bucket,
          key,
          e.attempts(),
          buffer.records,
          String.valueOf(e.getCause()));
    } catch (IllegalStateException interrupted) {
      lost.addAndGet(buffer.records);
    } catch (RuntimeException stillFailing) {
      lost.addAndGet(buffer.records);
      LOG.error(
          "cannot write s3://{}/{} for {} ({} log records lost): {}",
          bucket,
          key,
          RETRY_DURATION,
          buffer.records,
          stillFailing.toString());
    }
  }

  static String objectName(Instant firstArrival) {
    return objectName(STREAM_NAME, firstArrival);
  }

  static String objectName(String streamName, Instant firstArrival) {
    return streamName + "-1-" + OBJECT_TIME.format(firstArrival) + "-" + UUID.randomUUID() + ".gz";
  }

  /**
   * {@code logs-errors/processing-failed/year=YYYY/month=MM/day=DD/hour=HH/} of the arrival time.
   */
  static String errorPrefix(Instant arrival) {
    LocalDateTime t = LocalDateTime.ofInstant(arrival, ZoneOffset.UTC);
    return LogLayout.ERROR_PREFIX
        + LogLayout.PROCESSING_FAILED
        + String.format(
            "/year=%04d/month=%02d/day=%02d/hour=%02d/",
            t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
  }

  /** Firehose's error record: the failure and the original record, base64-encoded. */
  static String errorRecord(String record, String message, Instant arrival) {
    ObjectNode error = Json.object();
    error.put("attemptsMade", 1);
    error.put("arrivalTimestamp", arrival.toEpochMilli());
    error.put("errorCode", ERROR_CODE);
    error.put("errorMessage", message);
    error.put("attemptEndingTimestamp", arrival.toEpochMilli());
    error.put(
        "rawData", Base64.getEncoder().encodeToString(record.getBytes(StandardCharsets.UTF_8)));
    return Json.write(error);
  }

  private static JsonNode parse(String record) {
    try {
      return Json.mapper().readTree(record);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
