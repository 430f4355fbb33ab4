package com.cdp.links;

import com.cdp.links.LinkRequest.Reply;
import com.cdp.logging.RequestLog;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The management routes and the redirect, as calls on {@link LinkService}: each takes the request
 * (and, behind an API key, the caller) and returns the reply; refusals are {@link LinkException}s.
 */
final class LinkApi {
  private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

  private final LinkService service;

  LinkApi(LinkService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  /** One authenticated call: the key, the request, its log and what was parsed up front. */
  record Call(ApiKeys.ApiKey caller, LinkRequest request, RequestLog log, Object parsed) {
    LinkScope scope(LinkService service) {
      return service.scopeOf(request.query("organizationId"), request.host());
    }
  }

  /** Parses what decides the log's organization, before the log opens (create: the body). */
  Object parse(LinkRequest request) {
    if (request.route().equals("POST /links")) {
      return service.parse(request.body());
    }
    return request.route().startsWith("PATCH ") ? service.parseExtension(request.body()) : null;
  }

  /** The organization the request log is filed under (null: the platform partition). */
  String organizationOf(LinkRequest request, Object parsed, ApiKeys.ApiKey caller) {
    LinkScope scope =
        parsed instanceof LinkService.CreateLink create
            ? create.scope()
            : service.scopeOf(request.query("organizationId"), request.host());
    return caller.scope().allows(scope)
        ? scope.organization().map(o -> o.value()).orElse(null)
        : null;
  }

  Reply create(Call call) {
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
    return Reply.json(201, response, Map.of("Location", created.shortUrl()));
  }

  Reply get(Call call) {
    return Reply.json(
        200, json(service.view(call.caller(), call.scope(service), code(call))), NO_STORE);
  }

  Reply extend(Call call) {
    LinkService.View view =
        service.extend(call.caller(), call.scope(service), code(call), (Integer) call.parsed());
    call.log().event("extendLink", "extended a short link", Map.of("code", code(call)));
    return Reply.json(200, json(view), NO_STORE);
  }

  Reply revoke(Call call) {
    LinkService.View view = service.revoke(call.caller(), call.scope(service), code(call));
    call.log().event("revokeLink", "revoked a short link", Map.of("code", code(call)));
    return Reply.json(200, json(view), NO_STORE);
  }

  Reply list(Call call) {
    int limit;
    try {
      limit = Integer.parseInt(call.request().query("limit").orElse("25"));
    } catch (NumberFormatException e) {
      throw LinkException.badRequest("invalid_limit", "limit must be 1-" + LinkService.MAX_PAGE);
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
    return Reply.json(200, body, NO_STORE);
  }

  Reply stats(Call call) {
    LinkScope scope = call.scope(service);
    Map<java.time.LocalDate, Long> days = service.stats(call.caller(), scope, code(call));
    ObjectNode body = Json.object();
    body.put("code", code(call));
    body.put("days", LinkStore.STATS_DAYS);
    body.put("total", days.values().stream().mapToLong(Long::longValue).sum());
    ObjectNode perDay = body.putObject("visitsPerDay");
    days.forEach((day, visits) -> perDay.put(day.toString(), visits));
    return Reply.json(200, body, NO_STORE);
  }

  Reply qr(Call call) {
    LinkScope scope = call.scope(service);
    LinkService.View view = service.view(call.caller(), scope, code(call));
    QrCodes.Format format =
        QrCodes.Format.choose(
            call.request().query("format").orElse(null), call.request().headers().get("accept"));
    byte[] image =
        QrCodes.render(service.hosts().shortUrl(scope, view.reservation().code()), format);
    return new Reply(
        200,
        Base64.getEncoder().encodeToString(image),
        Map.of("Content-Type", format.contentType(), "Cache-Control", "private, max-age=3600"),
        true);
  }

  /** {@code GET /{code}}: 302, 403 expired (or the org's expired-link page), 410, 404. */
  Reply redirect(LinkRequest request, RequestLog log) {
    String code = request.code();
    LinkService.Resolution resolution = service.resolve(request.host(), code);
    if (resolution instanceof LinkService.Resolution.Found found) {
      log.event("redirect", "redirected", Map.of("code", code));
      return new Reply(
          302, null, Map.of("Location", found.link().url(), "Cache-Control", "no-store"), false);
    }
    if (resolution instanceof LinkService.Resolution.Expired expired) {
      log.failure("redirect", "link expired", Map.of("code", code));
      if (expired.page().isPresent()) {
        return new Reply(
            302,
            null,
            Map.of("Location", expired.page().get(), "Cache-Control", "no-store"),
            false);
      }
      ObjectNode body = Json.object();
      body.put("code", "link_expired");
      Optional<Instant> at = expired.link().map(Link::expiresAt);
      body.put("message", "This link expired" + at.map(t -> " at " + t).orElse("") + ".");
      body.put("expiredAt", at.map(Instant::toString).orElse(null));
      return Reply.json(403, body, NO_STORE);
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
      return Reply.json(410, body, NO_STORE);
    }
    log.failure("redirect", ((LinkService.Resolution.NotFound) resolution).reason(), Map.of());
    return Reply.error(404, "not_found", "There is no such link.");
  }

  private static String code(Call call) {
    return call.request().code();
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
