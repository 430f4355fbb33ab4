package com.cdp.local.api;

import com.cdp.local.template.LocalTemplate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the route of an HTTP API (from the template) that serves a request, as API Gateway does:
 * the most specific route wins — literal path segments before {@code {variables}}, variables before
 * a greedy {@code {name+}}, a route's own method before {@code ANY} — and {@code $default} serves
 * what no route matches. Paths match case-sensitively; a variable matches one non-empty segment, a
 * greedy variable the rest of the path (at least one segment).
 */
public final class HttpApiRouter {
  /** A route of the API with its parsed key. */
  private record Parsed(LocalTemplate.Route route, String method, List<String> segments) {}

  /** The route chosen for a request and the values of its path variables. */
  public record Match(LocalTemplate.Route route, Map<String, String> pathParameters) {
    public Match {
      Objects.requireNonNull(route, "route");
      pathParameters = Map.copyOf(pathParameters);
    }
  }

  private final LocalTemplate.Api api;
  private final List<Parsed> routes = new ArrayList<>();
  private final Optional<LocalTemplate.Route> defaultRoute;

  public HttpApiRouter(LocalTemplate.Api api) {
    this.api = Objects.requireNonNull(api, "api");
    if (!"HTTP".equals(api.protocol())) {
      throw new IllegalArgumentException(api.name() + " is a " + api.protocol() + " API");
    }
    Optional<LocalTemplate.Route> fallback = Optional.empty();
    for (LocalTemplate.Route route : api.routes()) {
      String key = route.routeKey();
      if (key.equals("$default")) {
        fallback = Optional.of(route);
        continue;
      }
      int space = key.indexOf(' ');
      if (space < 0 || !key.substring(space + 1).startsWith("/")) {
        throw new IllegalArgumentException(
            "route key '" + key + "' of " + api.name() + " is not 'METHOD /path' or $default");
      }
      routes.add(
          new Parsed(
              route,
              key.substring(0, space).toUpperCase(Locale.ROOT),
              segments(key.substring(space + 1))));
    }
    this.defaultRoute = fallback;
    // Most specific first; the sort is stable, so equal keys keep the template's order.
    routes.sort(SPECIFICITY);
  }

  public LocalTemplate.Api api() {
    return api;
  }

  /** The route that serves {@code METHOD path}, if any (the path without its query string). */
  public Optional<Match> match(String method, String path) {
    List<String> requested = segments(path);
    for (Parsed p : routes) {
      if (!p.method().equals("ANY") && !p.method().equalsIgnoreCase(method)) {
        continue;
      }
      Map<String, String> parameters = bind(p.segments(), requested);
      if (parameters != null) {
        return Optional.of(new Match(p.route(), parameters));
      }
    }
    return defaultRoute.map(r -> new Match(r, Map.of()));
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      out.add(s);
    }
    // "/a/b" -> ["", "a", "b"]: drop the leading empty part; keep a trailing one ("/a/").
    return out.subList(1, out.size());
  }

  /** The variables' values if the template matches the path; null otherwise. */
  private static Map<String, String> bind(List<String> template, List<String> path) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      if (isGreedy(t)) {
        if (i >= path.size() || path.get(i).isEmpty()) {
          return null;
        }
        values.put(t.substring(1, t.length() - 2), String.join("/", path.subList(i, path.size())));
        return values;
      }
      if (i >= path.size()) {
        return null;
      }
      String segment = path.get(i);
      if (isVariable(t)) {
        if (segment.isEmpty()) {
          return null;
        }
        values.put(t.substring(1, t.length() - 1), segment);
      } else if (!t.equals(segment)) {
        return null;
      }
    }
    return template.size() == path.size() ? values : null;
  }

  private static boolean isGreedy(String segment) {
    return segment.startsWith("{") && segment.endsWith("+}");
  }

  private static boolean isVariable(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  /** 0 literal, 1 variable, 2 greedy variable, 3 past the end of a greedy route. */
  private static int rank(List<String> segments, int i) {
    if (i >= segments.size()) {
      return segments.isEmpty() || !isGreedy(segments.get(segments.size() - 1)) ? -1 : 3;
    }
    String s = segments.get(i);
    return isGreedy(s) ? 2 : isVariable(s) ? 1 : 0;
  }

  private static final Comparator<Parsed> SPECIFICITY =
      (a, b) -> {
        int n = Math.max(a.segments().size(), b.segments().size());
        for (int i = 0; i < n; i++) {
          int c = Integer.compare(rank(a.segments(), i), rank(b.segments(), i));
          if (c != 0) {
            return c;
          }
        }
        return Boolean.compare(a.method().equals("ANY"), b.method().equals("ANY"));
      };
}
