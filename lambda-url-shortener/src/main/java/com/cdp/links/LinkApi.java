package com.cdp.links;

import com.cdp.http.ApiError;
import com.cdp.http.Exchange;
import com.cdp.http.HttpRequest;
import com.cdp.http.HttpResponse;
import com.cdp.logging.RequestLog;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The short-link routes, as calls on {@link LinkService}: each takes the exchange (behind an API
 * key: the caller too) and returns the response; refusals are {@link ApiError}s.
 */
final class LinkApi {
  private final LinkService service;

  LinkApi(LinkService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  /** One authenticated call: the key, the request, its log and what was parsed up front. */
  record Call(ApiKeys.ApiKey caller, HttpRequest request, RequestLog log, Object parsed) {
    LinkScope scope(LinkService service) {
      return service.scopeOf(request.query("organizationId"), request.host());
    }
  }

  /**
   * Authenticates and validates first, so that the log is filed under an organization only when the
   * caller is known, may act for it and the organization exists; then opens it.
   */
  private Call begin(Exchange exchange, Function<HttpRequest, Object> parse) {
    HttpRequest request = exchange.request();
    ApiKeys.ApiKey caller = service.authenticate(request.header("x-api-key"));
    Object parsed;
    String organization;
    try {
      parsed = parse.apply(request);
      LinkScope scope =
          parsed instanceof LinkService.CreateLink create
              ? create.scope()
              : service.scopeOf(request.query("organizationId"), request.host());
      organization =
          caller.scope().allows(scope)
              ? scope.organization().map(o -> o.value()).orElse(null)
              : null;
    } catch (RuntimeException refused) {
      authenticated(exchange.open(null), caller);
      throw refused;
    }
    return new Call(caller, request, authenticated(exchange.open(organization), caller), parsed);
  }

  private static RequestLog authenticated(RequestLog log, ApiKeys.ApiKey caller) {
    return log.event(
        "authenticate",
        "API key accepted",
        Map.of("apiKeyId", caller.id(), "service", caller.service()));
  }

  private Call begin(Exchange exchange) {
    return begin(exchange, r -> null);
  }

  HttpResponse create(Exchange exchange) {
    Call call = begin(exchange, r -> service.parse(r.jsonObject()));
    LinkService.Created created =
        service.create(call.caller(), (LinkService.CreateLink) call.parsed());
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("code", created.code());
    detail.put("host", service.hosts().hostOf(created.scope()));
    detail.put("custom", created.custom());
    detail.put("expiresAt", created.expiresAt().toString());
    call.log().event("createLink", "created a short link", detail);
    ObjectNode response = Json.object();
    response.put("code", created.code());
    response.put("shortUrl", created.shortUrl());
    response.put("expiresAt", created.expiresAt().toString());
    return HttpResponse.json(201, response).header("Location", created.shortUrl());
  }

  HttpResponse get(Exchange exchange) {
    Call call = begin(exchange);
    return HttpResponse.ok(json(service.view(call.caller(), call.scope(service), code(call))))
        .noStore();
  }

  HttpResponse extend(Exchange exchange) {
    Call call = begin(exchange, r -> service.parseExtension(r.jsonObject()));
    LinkService.View view =
        service.extend(call.caller(), call.scope(service), code(call), (Integer) call.parsed());
    call.log().event("extendLink", "extended a short link", Map.of("code", code(call)));
    return HttpResponse.ok(json(view)).noStore();
  }

  HttpResponse revoke(Exchange exchange) {
    Call call = begin(exchange);
    LinkService.View view = service.revoke(call.caller(), call.scope(service), code(call));
    call.log().event("revokeLink", "revoked a short link", Map.of("code", code(call)));
    return HttpResponse.ok(json(view)).noStore();
  }

  HttpResponse list(Exchange exchange) {
    Call call = begin(exchange);
    int limit;
    try {
      limit = Integer.parseInt(call.request().query("limit").orElse("25"));
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("invalid_limit", "limit must be 1-" + LinkService.MAX_PAGE);
    }
    LinkService.ListPage page =
        service.list(
            call.caller(),
            call.scope(service),
            call.request().query("createdBy"),
            call.request().query("cursor"),
            limit);
    ObjectNode body = Json.object();
    ArrayNode links = body.putArray("links");
    page.links().forEach(v -> links.add(json(v)));
    body.put("nextCursor", page.nextCursor().orElse(null));
    return HttpResponse.ok(body).noStore();
  }

  HttpResponse stats(Exchange exchange) {
    Call call = begin(exchange);
    LinkScope scope = call.scope(service);
    Map<java.time.LocalDate, Long> days = service.stats(call.caller(), scope, code(call));
    ObjectNode body = Json.object();
    body.put("code", code(call));
    body.put("days", LinkStore.STATS_DAYS);
    body.put("total", days.values().stream().mapToLong(Long::longValue).sum());
    ObjectNode perDay = body.putObject("visitsPerDay");
    days.forEach((day, visits) -> perDay.put(day.toString(), visits));
    return HttpResponse.ok(body).noStore();
  }

  HttpResponse qr(Exchange exchange) {
    Call call = begin(exchange);
    LinkScope scope = call.scope(service);
    LinkService.View view = service.view(call.caller(), scope, code(call));
    QrCodes.Format format =
        QrCodes.Format.choose(
            call.request().query("format").orElse(null), call.request().headers().get("accept"));
    byte[] image =
        QrCodes.render(service.hosts().shortUrl(scope, view.reservation().code()), format);
    return HttpResponse.binary(200, image, format.contentType())
        .header("Cache-Control", "private, max-age=3600");
  }

  /** {@code GET /{code}}: 302, 403 expired (or the org's expired-link page), 410, 404. */
  HttpResponse redirect(Exchange exchange) {
    HttpRequest request = exchange.request();
    RequestLog log =
        exchange.open(
            service
                .hosts()
                .scopeOf(request.host())
                .flatMap(LinkScope::organization)
                .map(o -> o.value())
                .orElse(null));
    String code = request.path("code");
    LinkService.Resolution resolution = service.resolve(request.host(), code);
    if (resolution instanceof LinkService.Resolution.Found found) {
      log.event("redirect", "redirected", Map.of("code", code));
      return HttpResponse.redirect(302, found.link().url()).noStore();
    }
    if (resolution instanceof LinkService.Resolution.Expired expired) {
      log.failure("redirect", "link expired", Map.of("code", code));
      if (expired.page().isPresent()) {
        return HttpResponse.redirect(302, expired.page().get()).noStore();
      }
      ObjectNode body = Json.object();
      body.put("code", "link_expired");
      Optional<Instant> at = expired.link().map(Link::expiresAt);
      body.put("message", "This link expired" + at.map(t -> " at " + t).orElse("") + ".");
      body.put("expiredAt", at.map(Instant::toString).orElse(null));
      return HttpResponse.json(403, body).noStore();
    }
    if (resolution instanceof LinkService.Resolution.Gone gone) {
      log.failure("redirect", "link " + gone.reason(), Map.of("code", code));
      ObjectNode body = Json.object();
      body.put("code", "link_" + gone.reason());
      body.put(
          "message",
          gone.reason().equals("revoked")
              ? "This link was revoked by its sender and no longer works."
              : "This link reached its maximum number of visits and no longer works.");
      return HttpResponse.json(410, body).noStore();
    }
    log.failure("redirect", ((LinkService.Resolution.NotFound) resolution).reason(), Map.of());
    return HttpResponse.error(new ApiError(404, "not_found", "There is no such link."));
  }

  private static String code(Call call) {
    return call.request().path("code");
  }

  private ObjectNode json(LinkService.View view) {
    LinkStore.Reservation r = view.reservation();
    Instant now = service.now();
    ObjectNode node = Json.object();
    node.put("code", r.code());
    node.put("shortUrl", service.hosts().shortUrl(r.scope(), r.code()));
    node.put("host", service.hosts().hostOf(r.scope()));
    node.put("organizationId", r.scope().organization().map(o -> o.value()).orElse(null));
    node.put("createdAt", r.createdAt().toString());
    node.put("createdBy", r.createdBy());
    if (view.link().isEmpty()) {
      node.put("status", r.revoked() ? "revoked" : "purged");
      return node;
    }
    Link link = view.link().get();
    node.put("status", link.statusAt(now));
    node.put("url", link.url());
    node.put("expiresAt", link.expiresAt().toString());
    node.put("visits", link.visits());
    link.maxVisits().ifPresent(max -> node.put("maxVisits", max));
    link.revokedAt().ifPresent(t -> node.put("revokedAt", t.toString()));
    return node;
  }
}
