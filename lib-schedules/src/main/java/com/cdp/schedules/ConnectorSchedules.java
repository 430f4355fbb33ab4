package com.cdp.schedules;

import com.cdp.model.ValidationException;
import com.cdp.model.connector.ConnectorCallRequest;
import com.cdp.model.connector.ConnectorEventCall;
import com.cdp.model.id.EnvironmentName;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The declarative configuration of Connector Hub calls, {@code config/schedules.json} in the
 * repository root, read by both the CDK app and the local platform so the two cannot drift:
 *
 * <pre>{@code
 * {
 *   "schedules": [
 *     {"name": "tcu-sync-transfers", "expression": "rate(15 minutes)", "timezone": "UTC",
 *      "organizationId": "tcu", "connector": "cdp-transfer", "version": "1",
 *      "method": "syncTransfers", "params": {}, "environments": ["dev", "prod", "local"]}
 *   ],
 *   "eventCalls": [
 *     {"name": "...", "pattern": {...EventBridge pattern...}, "connector": "...", "version": "1",
 *      "method": "...", "params": {}, "detailParams": {"accountId": "accountId"}}
 *   ]
 * }
 * }</pre>
 *
 * Unknown fields are refused (a typo must not silently drop a schedule).
 */
public record ConnectorSchedules(
    List<ConnectorSchedule> schedules, List<ConnectorEventCall> eventCalls) {
  /** Where the file lives, relative to the repository root. */
  public static final Path FILE = Path.of("config", "schedules.json");

  private static final Set<String> SCHEDULE_FIELDS =
      Set.of(
          "name",
          "description",
          "expression",
          "timezone",
          "organizationId",
          "connector",
          "version",
          "method",
          "params",
          "environments");
  private static final Set<String> EVENT_CALL_FIELDS =
      Set.of(
          "name",
          "description",
          "pattern",
          "connector",
          "version",
          "method",
          "params",
          "detailParams",
          "environments");

  public ConnectorSchedules {
    schedules = List.copyOf(schedules);
    eventCalls = List.copyOf(eventCalls);
    Set<String> names = new HashSet<>();
    for (ConnectorSchedule s : schedules) {
      if (!names.add(s.name())) {
        throw new ValidationException(
            "duplicate_schedule", "schedule name " + s.name() + " is used twice");
      }
    }
    for (ConnectorEventCall c : eventCalls) {
      if (!names.add(c.name())) {
        throw new ValidationException("duplicate_schedule", "name " + c.name() + " is used twice");
      }
    }
  }

  public static ConnectorSchedules empty() {
    return new ConnectorSchedules(List.of(), List.of());
  }

  /** Finds {@code config/schedules.json} in {@code start} or the nearest directory above it. */
  public static Path locate(Path start) {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve(FILE);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException(
        "cannot find " + FILE + " in " + start.toAbsolutePath() + " or above");
  }

  public static ConnectorSchedules load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses the file's text; errors name the source and the entry. */
  public static ConnectorSchedules parse(String text, String source) {
    JsonNode root;
    try {
      root = Json.tree(text);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("invalid_schedules", source + ": " + e.getMessage());
    }
    if (!root.isObject()) {
      throw new ValidationException("invalid_schedules", source + ": expected a JSON object");
    }
    try {
      unknownFields(root, Set.of("schedules", "eventCalls", "$comment"));
    } catch (ValidationException e) {
      throw new ValidationException(e.code(), source + ": " + e.getMessage());
    }
    List<ConnectorSchedule> schedules = new ArrayList<>();
    for (JsonNode node : array(root, "schedules", source)) {
      String where = source + ": schedule " + node.path("name").asText("#" + schedules.size());
      try {
        unknownFields(node, SCHEDULE_FIELDS);
        ConnectorCallRequest request =
            new ConnectorCallRequest(
                OrganizationId.of(node.path("organizationId").asText(null)),
                node.path("connector").asText(null),
                node.path("version").asText(null),
                node.path("method").asText(null),
                object(node, "params", where),
                null);
        schedules.add(
            new ConnectorSchedule(
                node.path("name").asText(null),
                node.path("description").asText(""),
                ScheduleExpression.parse(node.path("expression").asText(null)),
                zone(node.path("timezone").asText("UTC"), where),
                request,
                environments(node, where)));
      } catch (ValidationException e) {
        throw new ValidationException(e.code(), where + ": " + e.getMessage());
      }
    }
    List<ConnectorEventCall> calls = new ArrayList<>();
    for (JsonNode node : array(root, "eventCalls", source)) {
      String where = source + ": event call " + node.path("name").asText("#" + calls.size());
      try {
        unknownFields(node, EVENT_CALL_FIELDS);
        JsonNode pattern = node.get("pattern");
        if (pattern == null || !pattern.isObject()) {
          throw new ValidationException("invalid_event_pattern", "pattern must be a JSON object");
        }
        Map<String, String> detailParams = new LinkedHashMap<>();
        ObjectNode mapping = object(node, "detailParams", where);
        mapping.fields().forEachRemaining(e -> detailParams.put(e.getKey(), e.getValue().asText()));
        calls.add(
            new ConnectorEventCall(
                node.path("name").asText(null),
                Json.write(pattern),
                node.path("connector").asText(null),
                node.path("version").asText(null),
                node.path("method").asText(null),
                object(node, "params", where),
                detailParams,
                environments(node, where)));
      } catch (ValidationException e) {
        throw new ValidationException(e.code(), where + ": " + e.getMessage());
      }
    }
    return new ConnectorSchedules(schedules, calls);
  }

  /** The schedules and event calls that apply to one environment. */
  public ConnectorSchedules forEnvironment(String environment) {
    return new ConnectorSchedules(
        schedules.stream().filter(s -> s.appliesTo(environment)).toList(),
        eventCalls.stream().filter(c -> c.appliesTo(environment)).toList());
  }

  public java.util.Optional<ConnectorSchedule> schedule(String name) {
    return schedules.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private static List<JsonNode> array(JsonNode root, String field, String source) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ValidationException(
          "invalid_schedules", source + ": " + field + " must be an array");
    }
    List<JsonNode> items = new ArrayList<>();
    node.forEach(items::add);
    return items;
  }

  private static ObjectNode object(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Json.object();
    }
    if (!value.isObject()) {
      throw new ValidationException("invalid_" + field, field + " must be a JSON object");
    }
    return (ObjectNode) value;
  }

  private static List<String> environments(JsonNode node, String where) {
    JsonNode value = node.get("environments");
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray() || value.isEmpty()) {
      throw new ValidationException(
          "invalid_environments", "environments must be a non-empty array (or absent for all)");
    }
    List<String> envs = new ArrayList<>();
    value.forEach(v -> envs.add(EnvironmentName.of(v.asText()).value()));
    return envs;
  }

  private static ZoneId zone(String id, String where) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new ValidationException(
          "invalid_timezone", "timezone '" + id + "' is not a time zone id");
    }
  }

  private static void unknownFields(JsonNode node, Set<String> allowed) {
    if (!node.isObject()) {
      throw new ValidationException("invalid_schedules", "expected a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw new ValidationException(
            "unknown_field",
            "unknown field '" + field + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
  }
}
