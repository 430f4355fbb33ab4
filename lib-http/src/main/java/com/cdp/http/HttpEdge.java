package com.cdp.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The one HTTP edge of the API functions (payload format 2.0): everything a handler would otherwise
 * repeat. It matches the route, refuses bodies over the limit, gives the route an {@link Exchange},
 * turns the route's {@link HttpResponse} or {@link ApiError} into the response, answers a throttled
 * AWS call with 503 and anything else unexpected with a 500 that shows no internals, files every
 * request in a request log (with its {@code httpStatus}, and the refusal as a failure event) and
 * flushes the logs before answering. {@link #handle} never throws.
 */
public final class HttpEdge {
  /** The default body limit: the APIs take small JSON documents only. */
  public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024;

  /** One route: the request in, the answer (or an {@link ApiError}) out. */
  @FunctionalInterface
  public interface Route {
    HttpResponse handle(Exchange exchange);
  }

  private record Entry(RouteKey key, String action, Route route) {}

  private final PlatformLogger logger;
  private final Map<String, Entry> routes;
  private final int maxBodyBytes;

  private HttpEdge(Builder builder) {
    this.logger = builder.logger;
    this.routes = Map.copyOf(builder.routes);
    this.maxBodyBytes = builder.maxBodyBytes;
  }

  public static Builder builder(PlatformLogger logger) {
    return new Builder(logger);
  }

  /** The Lambda entry point: ties the request logs to the invocation, then {@link #handle}. */
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    return handle(event);
  }

  /** Handles one request; never throws. */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    try {
      return serve(event).toEvent();
    } catch (RuntimeException e) {
      // Only reached when opening or publishing the log failed; the caller still gets an answer.
      return HttpResponse.error(internalError()).toEvent();
    } finally {
      logger.flush();
    }
  }

  private HttpResponse serve(APIGatewayV2HTTPEvent event) {
    Map<String, String> path = new LinkedHashMap<>();
    if (event.getPathParameters() != null) {
      path.putAll(event.getPathParameters());
    }
    Entry entry = match(event, path);
    Exchange exchange = new Exchange(request(event, entry, path), logger);
    String action = entry == null ? "route" : entry.action();
    try {
      HttpResponse response = answer(entry, exchange, action);
      exchange.log().put("httpStatus", response.status());
      return response;
    } finally {
      exchange.close();
    }
  }

  private HttpResponse answer(Entry entry, Exchange exchange, String action) {
    try {
      if (entry == null) {
        throw new ApiError(404, "not_found", "no such route");
      }
      String body = exchange.request().body();
      if (body != null && body.getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
        throw new ApiError(
            413, "body_too_large", "the body must be at most " + maxBodyBytes / 1024 + " KB");
      }
      return entry.route().handle(exchange);
    } catch (ApiError refused) {
      RequestLog log = exchange.log();
      if (log.success()) { // a service that logged its own refusal is not logged twice
        log.failure(action, refused.getMessage(), Map.of("code", refused.code()));
      }
      return HttpResponse.error(refused);
    } catch (RuntimeException e) {
      if (e instanceof SdkServiceException aws && aws.isThrottlingException()) {
        exchange
            .log()
            .failure(action, "AWS throttled the request", Map.of("error", e.getClass().getName()));
        return HttpResponse.error(
            new ApiError(503, "service_unavailable", "too many requests right now; retry shortly")
                .withHeader("Retry-After", "1"));
      }
      exchange
          .log()
          .failure(action, "unexpected failure: " + e, Map.of("error", e.getClass().getName()));
      return HttpResponse.error(internalError());
    }
  }

  private static ApiError internalError() {
    return new ApiError(500, "internal_error", "the request could not be completed");
  }

  /**
   * The route: the event's route key when it is one of ours; otherwise (a {@code $default} route or
   * a proxy) the method and raw path, matched as API Gateway does (the template with the most
   * literal segments wins). Variables the path fills are added to {@code path}.
   */
  private Entry match(APIGatewayV2HTTPEvent event, Map<String, String> path) {
    Entry byKey = event.getRouteKey() == null ? null : routes.get(event.getRouteKey());
    if (byKey != null) {
      return byKey;
    }
    String method = method(event);
    String rawPath = event.getRawPath() == null ? "" : event.getRawPath();
    Entry best = null;
    Map<String, String> bestVariables = null;
    for (Entry entry : routes.values()) {
      Map<String, String> variables = entry.key().match(method, rawPath);
      if (variables != null && (best == null || entry.key().literals() > best.key().literals())) {
        best = entry;
        bestVariables = variables;
      }
    }
    if (bestVariables != null) {
      bestVariables.forEach(path::putIfAbsent);
    }
    return best;
  }

  private static String method(APIGatewayV2HTTPEvent event) {
    return event.getRequestContext() != null
            && event.getRequestContext().getHttp() != null
            && event.getRequestContext().getHttp().getMethod() != null
        ? event.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT)
        : "";
  }

  private static HttpRequest request(
      APIGatewayV2HTTPEvent event, Entry entry, Map<String, String> path) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (event.getHeaders() != null) {
      event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    }
    String host =
        event.getRequestContext() != null && event.getRequestContext().getDomainName() != null
            ? event.getRequestContext().getDomainName()
            : headers.get("host");
    Map<String, String> query =
        event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    return new HttpRequest(
        entry == null ? null : entry.key().text(),
        method(event),
        host,
        headers,
        path,
        query,
        body(event));
  }

  private static String body(APIGatewayV2HTTPEvent event) {
    if (event.getBody() == null || !event.getIsBase64Encoded()) {
      return event.getBody();
    }
    try {
      return new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Collects the routes; the route key is API Gateway's ({@code "GET /links/{code}"}). */
  public static final class Builder {
    private final PlatformLogger logger;
    private final Map<String, Entry> routes = new LinkedHashMap<>();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    private Builder(PlatformLogger logger) {
      this.logger = Objects.requireNonNull(logger, "logger");
    }

    /**
     * Adds a route. {@code action} names the step in the request log's failure events (e.g. {@code
     * createLink}).
     */
    public Builder route(String routeKey, String action, Route route) {
      RouteKey key = RouteKey.parse(routeKey);
      if (routes.putIfAbsent(
              key.text(), new Entry(key, Objects.requireNonNull(action, "action"), route))
          != null) {
        throw new IllegalArgumentException("route declared twice: " + routeKey);
      }
      Objects.requireNonNull(route, "route");
      return this;
    }

    /** Bodies larger than this (UTF-8 bytes) are refused with 413 before any route runs. */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxBodyBytes must not be negative");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    public HttpEdge build() {
      return new HttpEdge(this);
    }
  }
}
