package com.cdp.schedules;

import com.cdp.model.ValidationException;
import com.cdp.model.connector.ConnectorCallRequest;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A scheduled Connector Hub call declared in {@code config/schedules.json}: when (an EventBridge
 * expression in a time zone), what (the contract payload), and in which environments (empty: all of
 * them, including {@code local}). The CDK app turns it into an EventBridge Scheduler schedule; the
 * local platform fires it with the same expression.
 */
public record ConnectorSchedule(
    String name,
    String description,
    ScheduleExpression expression,
    ZoneId timezone,
    ConnectorCallRequest request,
    List<String> environments) {

  /** EventBridge Scheduler's schedule-name rule. */
  static final Pattern NAME = Pattern.compile("[0-9A-Za-z_.-]{1,64}");

  public ConnectorSchedule {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ValidationException(
          "invalid_schedule_name",
          "schedule name must be 1-64 letters, digits, '.', '_' or '-' (got '" + name + "')");
    }
    description = description == null ? "" : description;
    Objects.requireNonNull(expression, "expression");
    timezone = timezone == null ? ZoneId.of("UTC") : timezone;
    Objects.requireNonNull(request, "request");
    if (request.transactionId() != null) {
      throw new ValidationException(
          "invalid_schedule", "schedule " + name + ": a transactionId is made per call, not set");
    }
    environments = List.copyOf(environments == null ? List.of() : environments);
  }

  /**
   * The schedule target's input: the contract payload plus Scheduler's context attributes {@code
   * <aws.scheduler.schedule-arn>} and {@code <aws.scheduler.scheduled-time>}, which Scheduler
   * replaces at each fire (the local platform too). They identify the fire, the same on every
   * attempt of it, so the function derives the call's transactionId ({@code x-transaction-id}) from
   * them and the hub can tell a retry from a new call.
   */
  public com.fasterxml.jackson.databind.node.ObjectNode targetInput() {
    com.fasterxml.jackson.databind.node.ObjectNode input = request.toJson();
    input.put(ConnectorCallRequest.SCHEDULE_ARN_FIELD, "<aws.scheduler.schedule-arn>");
    input.put(ConnectorCallRequest.SCHEDULED_TIME_FIELD, "<aws.scheduler.scheduled-time>");
    return input;
  }

  /** Whether the schedule runs in the environment ({@code dev}, ..., {@code local}). */
  public boolean appliesTo(String environment) {
    return environments.isEmpty() || environments.contains(environment);
  }
}
