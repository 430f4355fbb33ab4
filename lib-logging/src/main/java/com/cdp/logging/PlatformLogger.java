package com.cdp.logging;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * Opens request logs and publishes them as platform log messages with the partition fields of
 * CONTRACTS section 7. One per container; thread-safe.
 */
public final class PlatformLogger implements AutoCloseable {
  private final LogPublisher publisher;
  private final String environment;
  private final String server;
  private final Clock clock;

  public PlatformLogger(LogPublisher publisher, String environment, String server, Clock clock) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.server = Objects.requireNonNull(server, "server");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A logger that keeps messages in memory, for tests. */
  public static PlatformLogger inMemory(InMemoryLogPublisher publisher) {
    return new PlatformLogger(publisher, "local", "test", Clock.systemUTC());
  }

  /**
   * Opens the log of one request. {@code transactionId} is the caller's correlation id (header
   * {@code x-transaction-id} or an event field) when there is one; otherwise a new one is made.
   */
  public RequestLog open(LogType type, String organizationId, String transactionId) {
    String id =
        transactionId == null || transactionId.isBlank()
            ? UUID.randomUUID().toString()
            : transactionId;
    return new RequestLog(this, type, organizationId, id, clock);
  }

  String server() {
    return server;
  }

  public String environment() {
    return environment;
  }

  void publish(RequestLog log) {
    publisher.publish(toJson(log));
  }

  /** The message for a request log: partition fields, transactionId, top-level fields, events. */
  String toJson(RequestLog log) {
    ZonedDateTime t = log.startedAt().atZone(ZoneOffset.UTC);
    ObjectNode message = Json.object();
    message.put("organizationID", log.organizationId() == null ? "platform" : log.organizationId());
    message.put("logType", log.type().id());
    message.put("environment", environment);
    message.put("year", String.format("%04d", t.getYear()));
    message.put("month", String.format("%02d", t.getMonthValue()));
    message.put("day", String.format("%02d", t.getDayOfMonth()));
    message.put("hour", String.format("%02d", t.getHour()));
    message.put("time", log.startedAt().toString());
    message.put("transactionId", log.transactionId());
    message.put("server", server);
    log.fields().forEach((k, v) -> message.set(k, Json.mapper().valueToTree(v)));
    ArrayNode events = message.putArray("events");
    for (LogEvent e : log.events()) {
      events.add(Json.mapper().valueToTree(e));
    }
    return Json.write(message);
  }

  /** Completes delivery of what was published; a Lambda handler calls this before returning. */
  public void flush() {
    publisher.flush(Duration.ofSeconds(5));
  }

  public PublisherStats stats() {
    return publisher.stats();
  }

  @Override
  public void close() {
    publisher.close();
  }
}
