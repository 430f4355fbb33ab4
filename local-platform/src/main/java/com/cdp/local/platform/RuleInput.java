package com.cdp.local.platform;

import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an EventBridge target receives for an event: the whole event, the constant {@code Input},
 * the part {@code InputPath} selects, or the {@code InputTransformer}'s template filled from its
 * {@code InputPathsMap}. As in EventBridge, a placeholder inside a JSON string is replaced by the
 * value's text, and one outside a string by the value as JSON (a string keeps its quotes; a path
 * that matches nothing is {@code null}).
 */
final class RuleInput {
  private static final Pattern PATH_SEGMENT = Pattern.compile("\\.([^.\\[\\]]+)|\\[(\\d+)\\]");
  private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.-]+)>");

  private final LocalTemplate.Target target;
  private final String ruleName;
  private final Map<String, JsonPointer> paths = new java.util.LinkedHashMap<>();
  private final JsonPointer inputPath;

  /**
   * @throws IllegalArgumentException naming the rule and target when a path is not the simple
   *     JSONPath EventBridge accepts ({@code $.detail.x}, {@code $.resources[0]})
   */
  RuleInput(String ruleName, LocalTemplate.Target target) {
    this.ruleName = ruleName;
    this.target = target;
    this.inputPath = target.inputPath().map(p -> pointer(p, "InputPath")).orElse(null);
    target
        .inputTransformer()
        .ifPresent(
            t ->
                t.inputPathsMap()
                    .forEach(
                        (name, path) -> paths.put(name, pointer(path, "InputPathsMap." + name))));
  }

  private JsonPointer pointer(String path, String property) {
    if (!path.startsWith("$")) {
      throw refused(property, path, "is not a JSONPath");
    }
    String rest = path.substring(1);
    StringBuilder pointer = new StringBuilder();
    Matcher m = PATH_SEGMENT.matcher(rest);
    int at = 0;
    while (m.find()) {
      if (m.start() != at) {
        break;
      }
      String segment = m.group(1) != null ? m.group(1) : m.group(2);
      pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
      at = m.end();
    }
    if (at != rest.length()) {
      throw refused(property, path, "is not a simple JSONPath ($.a.b, $.a[0])");
    }
    return JsonPointer.compile(pointer.toString());
  }

  private IllegalArgumentException refused(String property, String path, String why) {
    return new IllegalArgumentException(
        "rule " + ruleName + " target " + target.id() + ": " + property + " " + path + " " + why);
  }

  /** The bytes the target is invoked with for this event (the event's JSON). */
  String apply(String eventJson) {
    if (target.input().isPresent()) {
      return target.input().get();
    }
    JsonNode event = Json.tree(eventJson);
    if (inputPath != null) {
      JsonNode selected = event.at(inputPath);
      return selected.isMissingNode() ? "null" : Json.write(selected);
    }
    if (target.inputTransformer().isEmpty()) {
      return eventJson;
    }
    Map<String, JsonNode> values = new java.util.HashMap<>();
    paths.forEach((name, p) -> values.put(name, event.at(p)));
    values.put("aws.events.rule-name", Json.mapper().getNodeFactory().textNode(ruleName));
    values.put("aws.events.event", event);
    values.put("aws.events.event.json", event);
    values.put(
        "aws.events.event.ingestion-time",
        Json.mapper().getNodeFactory().textNode(event.path("time").asText()));
    return fill(target.inputTransformer().get().inputTemplate(), values);
  }

  static String fill(String template, Map<String, JsonNode> values) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\\' && inString && i + 1 < template.length()) {
        out.append(c).append(template.charAt(++i));
        continue;
      }
      if (c == '"') {
        inString = !inString;
        out.append(c);
        continue;
      }
      if (c == '<') {
        Matcher m = PLACEHOLDER.matcher(template).region(i, template.length());
        if (m.lookingAt() && values.containsKey(m.group(1))) {
          JsonNode value = values.get(m.group(1));
          out.append(inString ? text(value) : json(value));
          i = m.end() - 1;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String json(JsonNode value) {
    return value == null || value.isMissingNode() ? "null" : Json.write(value);
  }

  /** The value's text as it may stand inside a JSON string. */
  private static String text(JsonNode value) {
    String raw =
        value == null || value.isMissingNode()
            ? ""
            : value.isTextual() ? value.asText() : Json.write(value);
    String quoted = Json.write(Json.mapper().getNodeFactory().textNode(raw));
    return quoted.substring(1, quoted.length() - 1);
  }
}
