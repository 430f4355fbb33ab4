package com.cdp.connectors;

import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.ValidationException;
import com.cdp.model.connector.ConnectorCallRequest;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one Connector Hub call for a payload and decides what its outcome means: 2xx succeeded; 4xx
 * (except 408 and 429) is a permanent failure, logged and not retried; 5xx, 408, 429, a timeout or
 * an unreachable hub throw {@link ConnectorCallFailedException} so the invocation fails and is
 * retried; a payload that is not the contract's is rejected with its reason and not retried. Every
 * call is logged as a {@code hub} request log under the call's transactionId.
 */
final class ConnectorCaller {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorCaller.class);

  private final HubClient hub;
  private final Duration timeout;
  private final PlatformLogger logger;
  private final Clock clock;

  public ConnectorCaller(HubClient hub, Duration timeout, PlatformLogger logger, Clock clock) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.logger = Objects.requireNonNull(logger, "logger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Calls the hub for a raw payload (the invocation's input). */
  public CallOutcome call(String payload) {
    return call(payload, timeout, null);
  }

  /**
   * As {@link #call(String)}, with at most {@code budget} for the hub call (the handler passes what
   * is left of the invocation, so the call always ends before the function is killed). A payload
   * without a transactionId gets the id of its schedule fire ({@link #scheduledFireId}), else
   * {@code defaultTransactionId} (the invocation's request id, which Lambda keeps across the
   * retries of one asynchronous event) or, when null, a new one.
   */
  public CallOutcome call(String payload, Duration budget, String defaultTransactionId) {
    ConnectorCallRequest request;
    try {
      request = ConnectorCallRequest.parse(payload);
    } catch (IllegalArgumentException e) {
      return reject(payload, e);
    }
    String transactionId =
        TransactionIds.isValid(request.transactionId())
            ? request.transactionId()
            : scheduledFireId(payload)
                .orElse(
                    TransactionIds.isValid(defaultTransactionId)
                        ? defaultTransactionId
                        : TransactionIds.newId());
    Duration effective = budget.compareTo(timeout) < 0 ? budget : timeout;
    try (RequestLog log =
        logger.open(LogType.HUB, request.organizationId().value(), transactionId)) {
      String target = request.path();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("connector", request.connector());
      detail.put("version", request.version());
      detail.put("method", request.method());
      log.put("connector", request.connector()).put("method", request.method());
      Instant started = clock.instant();
      HubClient.Response response;
      try {
        response = hub.call(request, transactionId, effective);
      } catch (HubClient.HubTimeoutException e) {
        detail.put("timeoutMs", effective.toMillis());
        log.failure("callConnector", "the hub did not answer " + target + " in time", detail);
        throw new ConnectorCallFailedException(
            "Connector Hub timed out after " + effective.toMillis() + " ms calling " + target, e);
      } catch (IOException e) {
        detail.put("error", e.getClass().getSimpleName());
        log.failure("callConnector", "the hub is unreachable for " + target, detail);
        throw new ConnectorCallFailedException(
            "Connector Hub unreachable calling " + target + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.failure("callConnector", "interrupted calling " + target, detail);
        throw new ConnectorCallFailedException("interrupted calling " + target, e);
      }
      long millis = Duration.between(started, clock.instant()).toMillis();
      int status = response.status();
      detail.put("httpStatus", status);
      detail.put("durationMs", millis);
      detail.put("responseBytes", response.bodyBytes());
      log.put("httpStatus", status);
      if (status >= 200 && status < 300) {
        log.event("callConnector", "called " + target, detail);
        return new CallOutcome(CallOutcome.Status.SUCCEEDED, transactionId, target, status, null);
      }
      if (isRetryable(status)) {
        log.failure(
            "callConnector",
            "the hub answered " + status + " for " + target + "; will be retried",
            detail);
        throw new ConnectorCallFailedException(
            "Connector Hub answered " + status + " calling " + target, null);
      }
      detail.put("permanent", true);
      log.failure(
          "callConnector",
          "the hub refused " + target + " with " + status + "; permanent failure, not retried",
          detail);
      LOG.warn(
          "permanent failure: hub answered {} for {} (transactionId {})",
          status,
          target,
          transactionId);
      return new CallOutcome(
          CallOutcome.Status.PERMANENT_FAILURE,
          transactionId,
          target,
          status,
          "the hub answered " + status);
    }
  }

  /**
   * The transactionId of one schedule fire, derived from the schedule's ARN and the fire's
   * scheduled time that EventBridge Scheduler writes into the payload ({@code
   * <aws.scheduler.schedule-arn>}, {@code <aws.scheduler.scheduled-time>}): the same on every
   * attempt of that fire (Lambda's retries, and Scheduler's own, which get a new request id), so
   * the hub sees one {@code x-transaction-id} per fire and can tell a retry from a new call (issue
   * 21: a call repeated after the hub answered 200 must be recognisable). Empty for other payloads.
   */
  static java.util.Optional<String> scheduledFireId(String payload) {
    JsonNode node;
    try {
      node = Json.tree(payload);
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
    String arn = node.path(ConnectorCallRequest.SCHEDULE_ARN_FIELD).asText("");
    String time = node.path(ConnectorCallRequest.SCHEDULED_TIME_FIELD).asText("");
    if (!substituted(arn) || !substituted(time)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(TransactionIds.derive("schedule-fire", arn, time));
  }

  /** A context attribute's value as Scheduler substitutes it (not empty, not the placeholder). */
  private static boolean substituted(String value) {
    return !value.isEmpty() && value.length() <= 2048 && !value.startsWith("<aws.");
  }

  /** 5xx, and the 4xx statuses that mean "try again later". */
  static boolean isRetryable(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  private CallOutcome reject(String payload, IllegalArgumentException e) {
    String code = e instanceof ValidationException v ? v.code() : "malformed_json";
    String organization = organizationOf(payload);
    String transactionId = TransactionIds.newId();
    try (RequestLog log = logger.open(LogType.HUB, organization, transactionId)) {
      log.failure(
          "rejectPayload",
          "the payload is not a connector call; not retried: " + e.getMessage(),
          Map.of("code", code));
    }
    LOG.error("rejected payload ({}): {}", code, e.getMessage());
    return new CallOutcome(CallOutcome.Status.REJECTED, transactionId, null, null, e.getMessage());
  }

  /** The organization of a payload that failed validation, if it names a valid one. */
  private static String organizationOf(String payload) {
    try {
      String org = Json.tree(payload).path("organizationId").asText(null);
      return org != null && org.matches("[a-z0-9-]{2,32}") ? org : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
