package com.cdp.links;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.links.LinkRequest.Reply;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.aws.SnapStartPriming;
import com.cdp.model.config.EnvReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The short-link HTTP API (payload 2.0): {@code GET /{code}} redirects (302, 403 expired, 410
 * revoked or used up, 404); the {@code /links} routes, behind an {@code x-api-key}, create and
 * manage links (docs/links-and-connectors.md). Logs every request as an {@code app} request log;
 * never the API key.
 */
public final class UrlShortenerHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  static final String REDIRECT_ROUTE = "GET /{code}";

  /** Bodies larger than this are refused before parsing. */
  static final int MAX_BODY_BYTES = 8 * 1024;

  private final LinkService service;
  private final PlatformLogger logger;
  private final LinkApi api;
  private final Map<String, Function<LinkApi.Call, Reply>> routes;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public UrlShortenerHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "url-shortener", this::prime);
  }

  /** SnapStart priming: resolving a code nobody has on the bare short domain (two reads). */
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
    this.api = new LinkApi(service);
    this.routes =
        Map.of(
            "POST /links", api::create,
            "GET /links", api::list,
            "GET /links/{code}", api::get,
            "PATCH /links/{code}", api::extend,
            "DELETE /links/{code}", api::revoke,
            "GET /links/{code}/stats", api::stats,
            "GET /links/{code}/qr", api::qr);
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    return handle(event);
  }

  /** Handles one request; never throws. */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    try {
      LinkRequest request = LinkRequest.of(event);
      if (request.route() == null) {
        return Reply.error(404, "not_found", "no such route").toResponse();
      }
      if (REDIRECT_ROUTE.equals(request.route())) {
        return redirect(request).toResponse();
      }
      return manage(request).toResponse();
    } finally {
      logger.flush();
    }
  }

  private Reply manage(LinkRequest request) {
    // Authenticate and validate first, so the log is filed under an organization only when the
    // caller is known, may act for it and the organization exists.
    ApiKeys.ApiKey caller = null;
    Object parsed = null;
    String organization = null;
    RuntimeException refused = null;
    try {
      if (request.body() != null
          && request.body().getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
        throw new LinkException(413, "body_too_large", "the body must be at most 8 KB");
      }
      caller = service.authenticate(request.headers().get("x-api-key"));
      parsed = api.parse(request);
      organization = api.organizationOf(request, parsed, caller);
    } catch (RuntimeException e) {
      refused = e;
    }
    String action = request.route().equals("POST /links") ? "createLink" : request.route();
    try (RequestLog log = logger.open(LogType.APP, organization, transactionId(request))) {
      log.put("route", request.route());
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
        Reply reply =
            routes.get(request.route()).apply(new LinkApi.Call(caller, request, log, parsed));
        log.put("httpStatus", reply.status());
        return reply;
      } catch (LinkException e) {
        log.put("httpStatus", e.status());
        log.failure(action, e.getMessage(), Map.of("code", e.code()));
        return Reply.error(e.status(), e.code(), e.getMessage());
      } catch (RuntimeException e) {
        log.put("httpStatus", 500);
        log.failure(action, "unexpected failure", Map.of("error", e.getClass().getName()));
        return Reply.error(500, "internal_error", "the request could not be completed");
      }
    }
  }

  private Reply redirect(LinkRequest request) {
    String organization =
        service
            .hosts()
            .scopeOf(request.host())
            .flatMap(LinkScope::organization)
            .map(o -> o.value())
            .orElse(null);
    try (RequestLog log = logger.open(LogType.APP, organization, transactionId(request))) {
      log.put("route", REDIRECT_ROUTE);
      try {
        Reply reply = api.redirect(request, log);
        log.put("httpStatus", reply.status());
        return reply;
      } catch (RuntimeException e) {
        log.put("httpStatus", 500);
        log.failure("redirect", "unexpected failure", Map.of("error", e.getClass().getName()));
        return Reply.error(500, "internal_error", "the link could not be resolved");
      }
    }
  }

  private static String transactionId(LinkRequest request) {
    return TransactionIds.fromHeaders(request.headers());
  }
}
