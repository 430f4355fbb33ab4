package com.cdp.realtime.relay;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.cdp.logging.EventType;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Target of the EventBridge rule {@code relay-account-events} ({@link
 * com.cdp.model.wiring.Triggers#RELAY_ACCOUNT_EVENTS}): relays {@code account_*} events to the
 * subscribed WebSocket connections of the member they are about. Logs one {@code container} message
 * per event, with the event id as its transactionId.
 */
public final class RelayHandler implements RequestStreamHandler {
  private final RelayService service;
  private final PlatformLogger logger;
  private final RelayMetrics metrics =
      new RelayMetrics(
          System.getenv().getOrDefault("CDP_ENV", "local"),
          System.out,
          java.time.Clock.systemUTC());

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public RelayHandler() {
    this(ProductionWiring.create());
  }

  private RelayHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.logger());
  }

  /** Used by tests and the local platform. */
  public RelayHandler(RelayService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  /** A pool of daemon threads that bounds the posts in flight; one per container. */
  public static ExecutorService postingPool(int concurrency) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        concurrency,
        r -> {
          Thread t = new Thread(r, "relay-post-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    RelayService.Outcome outcome;
    try {
      outcome = handle(new String(input.readAllBytes(), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      // The event stays kept (or its claim was given back): the retry replays it; say so.
      metrics.replayFailures(1);
      throw e;
    }
    // Only the Lambda entry point reports the metrics: CloudWatch reads them from the log.
    metrics.postFailures(outcome.throttled() + outcome.failed());
    metrics.replayFailures(outcome.replayFailures());
    output.write(Json.writeBytes(Map.of("status", outcome.status().name())));
  }

  /**
   * Relays one EventBridge event (its full JSON). Throws when the lookup failed before anything was
   * sent, so the invocation is retried.
   */
  public RelayService.Outcome handle(String eventJson) {
    try {
      RelayService.Outcome outcome;
      try {
        outcome = service.relay(eventJson);
      } catch (RuntimeException e) {
        try (RequestLog log =
            logger.open(LogType.CONTAINER, null, TransactionIds.fromEventJson(eventJson))) {
          log.put("function", "relay-message");
          log.failure(
              "relay", "lookup failed; the event will be retried", Map.of("error", e.toString()));
        }
        throw e;
      }
      try (RequestLog log =
          logger.open(
              LogType.CONTAINER,
              outcome.organizationId(),
              TransactionIds.fromEventJson(eventJson))) {
        log.put("function", "relay-message");
        if (outcome.memberId() != null) {
          log.put("memberId", outcome.memberId());
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", outcome.status().name());
        detail.put("topic", String.valueOf(outcome.topic()));
        detail.put("recipients", outcome.recipients());
        detail.put("delivered", outcome.delivered());
        detail.put("gone", outcome.gone());
        detail.put("cleanedUp", outcome.cleanedUp());
        detail.put("throttled", outcome.throttled());
        detail.put("failed", outcome.failed());
        detail.put("compact", outcome.compact());
        detail.put("messageBytes", outcome.messageBytes());
        detail.put("seq", outcome.seq());
        detail.put("replayed", outcome.replayed());
        detail.put("replayFailures", outcome.replayFailures());
        if (outcome.deliveriesNotListed() > 0) {
          detail.put("deliveriesNotListed", outcome.deliveriesNotListed());
        }
        switch (outcome.status()) {
          case RELAYED -> {
            if (outcome.throttled() + outcome.failed() == 0) {
              log.event("relay", "event relayed", detail);
            } else {
              log.failure("relay", "event relayed; some connections were not reached", detail);
            }
          }
          case DUPLICATE -> log.event("relay", "duplicate event skipped", detail);
          case IGNORED -> {
            detail.put("reason", outcome.reason());
            log.failure("relay", "event ignored", detail);
          }
        }
        // One entry per member stream the event went through, so the trace shows the deliveries
        // under the relay step (bounded: RelayService.MAX_LISTED_DELIVERIES).
        for (RelayService.Delivery d : outcome.deliveries()) {
          Map<String, Object> delivery = new LinkedHashMap<>();
          delivery.put("memberId", d.memberId());
          delivery.put("seq", d.seq());
          delivery.put("connections", d.connections());
          delivery.put("delivered", d.delivered());
          delivery.put("gone", d.gone());
          delivery.put("failed", d.failed());
          log.event(
              EventType.EVENT,
              "deliver",
              "seq " + d.seq() + " to " + d.delivered() + " of " + d.connections() + " connections",
              delivery);
        }
      }
      return outcome;
    } finally {
      logger.flush();
    }
  }
}
