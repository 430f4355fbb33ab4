package com.cdp.links;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.aws.SnapStartPriming;
import com.cdp.model.config.EnvReader;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /links} and {@code GET /{code}} behind the short domain's HTTP API (payload 2.0).
 * Creating needs an {@code x-api-key}; redirecting answers 302, 403 (expired) or 404 (unknown, or
 * not a link of this host). Logs every request as an {@code app} request log; never the API key.
 */
public final class UrlShortenerHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  static final String CREATE_ROUTE = "POST /links";
  static final String REDIRECT_ROUTE = "GET /{code}";

  /** Bodies larger than this are refused before parsing. */
  static final int MAX_BODY_BYTES = 8 * 1024;

  private final LinkService service;
  private final PlatformLogger logger;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public UrlShortenerHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "url-shortener", this::prime);
  }

  /** SnapStart priming: resolving a code nobody has on the bare short domain (one read). */
  void prime() {
    service.resolve(service.hosts().domain(), "snapStartPriming");
  }

  private UrlShortenerHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.logger());
  }

  /** Used by tests and the local platform. */
  public UrlShortenerHandler(LinkService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return handle(event);
  }

  /** Handles one request; never throws. */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    try {
      String route = routeOf(event);
      if (CREATE_ROUTE.equals(route)) {
        return create(event);
      }
      if (REDIRECT_ROUTE.equals(route)) {
        return redirect(event);
      }
      return error(404, "not_found", "no such route");
    } finally {
      logger.flush();
    }
  }

  private APIGatewayV2HTTPResponse create(APIGatewayV2HTTPEvent event) {
    Map<String, String> headers = lowerCased(event.getHeaders());
    String body = body(event);
    // Authenticate and validate first, so the log is filed under an organization only when the
    // caller is known and the organization exists.
    ApiKeys.ApiKey caller = null;
    LinkService.CreateLink request = null;
    RuntimeException refused = null;
    try {
      if (body != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
        throw new LinkException(413, "body_too_large", "the body must be at most 8 KB");
      }
      caller = service.authenticate(headers.get("x-api-key"));
      request = service.parse(body);
    } catch (RuntimeException e) {
      refused = e;
    }
    String organization =
        request == null ? null : request.scope().organization().map(o -> o.value()).orElse(null);
    try (RequestLog log = logger.open(LogType.APP, organization, transactionId(headers))) {
      log.put("route", CREATE_ROUTE);
      try {
        if (caller != null) {
          log.event(
              "authenticate",
              "API key accepted",
              Map.of("apiKeyId", caller.id(), "service", caller.service()));
        }
        if (refused != null) {
          throw refused;
        }
        LinkService.Created created = service.create(caller, request);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("code", created.code());
        detail.put("host", service.hosts().hostOf(created.scope()));
        detail.put("custom", created.custom());
        detail.put("expiresAt", created.expiresAt().toString());
        log.event("createLink", "created a short link", detail);
        log.put("httpStatus", 201);
        ObjectNode response = Json.object();
        response.put("code", created.code());
        response.put("shortUrl", created.shortUrl());
        response.put("expiresAt", created.expiresAt().toString());
        return response(201, Json.write(response), Map.of("Location", created.shortUrl()));
      } catch (LinkException e) {
        log.put("httpStatus", e.status());
        log.failure("createLink", e.getMessage(), Map.of("code", e.code()));
        return error(e.status(), e.code(), e.getMessage());
      } catch (RuntimeException e) {
        log.put("httpStatus", 500);
        log.failure("createLink", "unexpected failure", Map.of("error", e.getClass().getName()));
        return error(500, "internal_error", "the link could not be created");
      }
    }
  }

  private APIGatewayV2HTTPResponse redirect(APIGatewayV2HTTPEvent event) {
    Map<String, String> headers = lowerCased(event.getHeaders());
    String host = hostOf(event, headers);
    String code = event.getPathParameters() == null ? null : event.getPathParameters().get("code");
    String organization =
        service
            .hosts()
            .scopeOf(host)
            .flatMap(LinkScope::organization)
            .map(o -> o.value())
            .orElse(null);
    try (RequestLog log = logger.open(LogType.APP, organization, transactionId(headers))) {
      log.put("route", REDIRECT_ROUTE);
      try {
        LinkService.Resolution resolution = service.resolve(host, code);
        if (resolution instanceof LinkService.Resolution.Found found) {
          log.put("httpStatus", 302);
          log.event("redirect", "redirected", Map.of("code", code));
          return response(
              302, null, Map.of("Location", found.link().url(), "Cache-Control", "no-store"));
        }
        if (resolution instanceof LinkService.Resolution.Expired expired) {
          log.put("httpStatus", 403);
          log.failure("redirect", "link expired", Map.of("code", code));
          ObjectNode body = Json.object();
          body.put("code", "link_expired");
          body.put("message", "This link expired at " + expired.link().expiresAt() + ".");
          body.put("expiredAt", expired.link().expiresAt().toString());
          return response(403, Json.write(body), Map.of("Cache-Control", "no-store"));
        }
        LinkService.Resolution.NotFound notFound = (LinkService.Resolution.NotFound) resolution;
        log.put("httpStatus", 404);
        log.failure("redirect", notFound.reason(), Map.of());
        return error(404, "not_found", "There is no such link.");
      } catch (RuntimeException e) {
        log.put("httpStatus", 500);
        log.failure("redirect", "unexpected failure", Map.of("error", e.getClass().getName()));
        return error(500, "internal_error", "the link could not be resolved");
      }
    }
  }

  static String routeOf(APIGatewayV2HTTPEvent event) {
    String routeKey = event.getRouteKey();
    if (CREATE_ROUTE.equals(routeKey) || REDIRECT_ROUTE.equals(routeKey)) {
      return routeKey;
    }
    // $default stage routes or a proxy: decide from the method and the path.
    String method =
        event.getRequestContext() != null && event.getRequestContext().getHttp() != null
            ? event.getRequestContext().getHttp().getMethod()
            : null;
    String path = event.getRawPath();
    if ("POST".equalsIgnoreCase(method) && "/links".equals(path)) {
      return CREATE_ROUTE;
    }
    if ("GET".equalsIgnoreCase(method) && path != null && path.matches("/[^/]+")) {
      if (event.getPathParameters() == null || !event.getPathParameters().containsKey("code")) {
        event.setPathParameters(Map.of("code", path.substring(1)));
      }
      return REDIRECT_ROUTE;
    }
    return null;
  }

  private static String hostOf(APIGatewayV2HTTPEvent event, Map<String, String> headers) {
    if (event.getRequestContext() != null && event.getRequestContext().getDomainName() != null) {
      return event.getRequestContext().getDomainName();
    }
    return headers.get("host");
  }

  private static String transactionId(Map<String, String> headers) {
    return TransactionIds.fromHeaders(headers);
  }

  private static String body(APIGatewayV2HTTPEvent event) {
    if (event.getBody() == null) {
      return null;
    }
    if (event.getIsBase64Encoded()) {
      try {
        return new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return event.getBody();
  }

  private static Map<String, String> lowerCased(Map<String, String> headers) {
    Map<String, String> lower = new LinkedHashMap<>();
    if (headers != null) {
      headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    }
    return lower;
  }

  private static APIGatewayV2HTTPResponse error(int status, String code, String message) {
    ObjectNode body = Json.object();
    body.put("code", code);
    body.put("message", message);
    return response(status, Json.write(body), Map.of());
  }

  private static APIGatewayV2HTTPResponse response(
      int status, String body, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    headers.putAll(extra);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(body)
        .withIsBase64Encoded(false)
        .build();
  }
}
