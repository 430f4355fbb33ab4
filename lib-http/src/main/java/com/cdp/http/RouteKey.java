package com.cdp.http;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A route key such as {@code GET /links/{code}}: the method and the path's segments. */
record RouteKey(String text, String method, List<String> segments, int literals) {
  static RouteKey parse(String text) {
    int space = text == null ? -1 : text.indexOf(' ');
    if (space <= 0 || !text.startsWith("/", space + 1)) {
      throw new IllegalArgumentException("a route key is 'METHOD /path' (got " + text + ")");
    }
    List<String> segments = segments(text.substring(space + 1));
    int literals = (int) segments.stream().filter(s -> !isVariable(s)).count();
    return new RouteKey(
        text, text.substring(0, space).toUpperCase(Locale.ROOT), segments, literals);
  }

  /** The variables a request's method and path give this route, or {@code null}: no match. */
  Map<String, String> match(String requestMethod, String path) {
    if (!method.equals(requestMethod)) {
      return null;
    }
    List<String> given = segments(path);
    if (given.size() != segments.size()) {
      return null;
    }
    Map<String, String> variables = new HashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String template = segments.get(i);
      String value = given.get(i);
      if (isVariable(template)) {
        if (value.isEmpty()) {
          return null;
        }
        variables.put(template.substring(1, template.length() - 1), value);
      } else if (!template.equals(value)) {
        return null;
      }
    }
    return variables;
  }

  private static boolean isVariable(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
  }

  private static List<String> segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    return List.of(trimmed.split("/", -1));
  }
}
