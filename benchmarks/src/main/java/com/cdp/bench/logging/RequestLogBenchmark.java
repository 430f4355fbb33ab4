package com.cdp.bench.logging;

import com.cdp.logging.LogPublisher;
import com.cdp.logging.LogType;
import com.cdp.logging.MessageTrimmer;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.PublisherStats;
import com.cdp.logging.RequestLog;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Caller-side cost of the platform logger: adding one event, and a whole request (open, five events
 * with three detail values each, two fields, close = serialize + hand to the publisher, which
 * checks the size limit) against building the same JSON message with Jackson alone (a tree, and a
 * streaming generator), in the same run.
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * org.openjdk.jmh.Main RequestLogBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestLogBenchmark {
  /** Hands messages over like SnsLogPublisher.publish (size check), then keeps a checksum. */
  static final class HandOff implements LogPublisher {
    long checksum;

    @Override
    public void publish(String json) {
      checksum += MessageTrimmer.fit(json, MessageTrimmer.SNS_MAX_BYTES).message().length();
    }

    @Override
    public void flush(Duration timeout) {}

    @Override
    public PublisherStats stats() {
      return new PublisherStats(0, 0, 0, 0, 0);
    }
  }

  private final HandOff publisher = new HandOff();
  private PlatformLogger logger;
  private RequestLog open;
  private int eventsInOpen;
  private Map<String, Object> detail;

  @Setup
  public void setUp() {
    logger = new PlatformLogger(publisher, "dev", "cdp-dev-get-transactions", Clock.systemUTC());
    detail = new LinkedHashMap<>();
    detail.put("status", 200);
    detail.put("accountId", "000123456789");
    detail.put("route", "GET /accounts/{accountId}/transactions");
    open = logger.open(LogType.APP, "tcu", null);
  }

  /** One {@code event(...)} with three detail values (masking and caller included). */
  @Benchmark
  public RequestLog addEvent() {
    if (++eventsInOpen == 500) {
      open = logger.open(LogType.APP, "tcu", null);
      eventsInOpen = 0;
    }
    return open.event("fetch", "loaded 25 transactions", detail);
  }

  /** A whole request through the library: open, 5 events, 2 fields, close (serialize + publish). */
  @Benchmark
  public long request_platformLogger() {
    try (RequestLog log = logger.open(LogType.APP, "tcu", "4b0b5d9e-7a43-4c1f-9d7e-2f1e0c9a8b7d")) {
      for (int i = 0; i < 5; i++) {
        log.event("step" + i, "loaded 25 transactions", detail);
      }
      log.put("httpStatus", 200).put("route", "GET /accounts/{accountId}/transactions");
    }
    return publisher.checksum;
  }

  /** The same message built as a Jackson tree (partition fields, events, detail) and written. */
  @Benchmark
  public String request_jacksonTree() {
    Instant start = Instant.now();
    ZonedDateTime t = start.atZone(ZoneOffset.UTC);
    ObjectNode m = Json.object();
    m.put("organizationID", "tcu").put("logType", "app").put("environment", "dev");
    m.put("year", String.format("%04d", t.getYear()));
    m.put("month", String.format("%02d", t.getMonthValue()));
    m.put("day", String.format("%02d", t.getDayOfMonth()));
    m.put("hour", String.format("%02d", t.getHour()));
    m.put("time", start.toString());
    m.put("transactionId", "4b0b5d9e-7a43-4c1f-9d7e-2f1e0c9a8b7d");
    m.put("server", "cdp-dev-get-transactions");
    m.put("success", true);
    m.put("durationMs", 0);
    ArrayNode events = m.putArray("events");
    for (int i = 0; i < 5; i++) {
      ObjectNode e = events.addObject();
      e.put("action", "step" + i).put("description", "loaded 25 transactions");
      e.set("detail", Json.mapper().valueToTree(detail));
      e.put("caller", "com.cdp.Handler.handle:42").put("server", "cdp-dev-get-transactions");
      e.put("success", true).put("time", Instant.now().toString());
      e.put("transactionId", "4b0b5d9e-7a43-4c1f-9d7e-2f1e0c9a8b7d").put("type", "app");
    }
    m.putObject("fields")
        .put("httpStatus", 200)
        .put("route", "GET /accounts/{accountId}/transactions");
    return Json.write(m);
  }

  /** The same message written with Jackson's streaming generator: the cheapest way to build it. */
  @Benchmark
  public String request_jacksonStreaming() throws IOException {
    Instant start = Instant.now();
    ZonedDateTime t = start.atZone(ZoneOffset.UTC);
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
      g.setCodec(Json.mapper());
      g.writeStartObject();
      g.writeStringField("organizationID", "tcu");
      g.writeStringField("logType", "app");
      g.writeStringField("environment", "dev");
      g.writeStringField("year", Integer.toString(t.getYear()));
      g.writeStringField(
          "month",
          t.getMonthValue() < 10 ? "0" + t.getMonthValue() : Integer.toString(t.getMonthValue()));
      g.writeStringField(
          "day",
          t.getDayOfMonth() < 10 ? "0" + t.getDayOfMonth() : Integer.toString(t.getDayOfMonth()));
      g.writeStringField(
          "hour", t.getHour() < 10 ? "0" + t.getHour() : Integer.toString(t.getHour()));
      g.writeStringField("time", start.toString());
      g.writeStringField("transactionId", "4b0b5d9e-7a43-4c1f-9d7e-2f1e0c9a8b7d");
      g.writeStringField("server", "cdp-dev-get-transactions");
      g.writeBooleanField("success", true);
      g.writeNumberField("durationMs", 0);
      g.writeObjectFieldStart("fields");
      g.writeNumberField("httpStatus", 200);
      g.writeStringField("route", "GET /accounts/{accountId}/transactions");
      g.writeEndObject();
      g.writeArrayFieldStart("events");
      for (int i = 0; i < 5; i++) {
        g.writeStartObject();
        g.writeStringField("action", "step" + i);
        g.writeStringField("description", "loaded 25 transactions");
        g.writeFieldName("detail");
        g.writeObject(detail);
        g.writeStringField("caller", "com.cdp.Handler.handle:42");
        g.writeStringField("server", "cdp-dev-get-transactions");
        g.writeBooleanField("success", true);
        g.writeStringField("time", Instant.now().toString());
        g.writeStringField("transactionId", "4b0b5d9e-7a43-4c1f-9d7e-2f1e0c9a8b7d");
        g.writeStringField("type", "app");
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toString();
  }

  /** For comparison: a fresh random transactionId (what open() does when none is given). */
  @Benchmark
  public String newTransactionId() {
    return UUID.randomUUID().toString();
  }
}
