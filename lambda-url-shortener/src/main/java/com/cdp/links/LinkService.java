package com.cdp.links;

import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Creates and resolves short links. Random codes come from a {@link CodeSource} and are stored with
 * a conditional write, drawing a new code on a collision; custom slugs are unique per scope (an
 * expired one may be reused). Expiry is checked on every read; the table's TTL only cleans up.
 */
public final class LinkService {
  public static final int DEFAULT_EXPIRY_DAYS = 10;
  public static final int MAX_EXPIRY_DAYS = 365;

  /** Random-code attempts before giving up (a collision at 62^8 codes is already rare). */
  static final int MAX_CODE_ATTEMPTS = 5;

  private static final Set<String> FIELDS =
      Set.of("url", "organizationId", "expiresInDays", "slug");

  /** What a caller asked for, validated. */
  public record CreateLink(String url, LinkScope scope, int expiresInDays, Optional<String> slug) {}

  /** The contract's 201 body. */
  public record Created(
      String code, String shortUrl, Instant expiresAt, LinkScope scope, boolean custom) {}

  /** What {@code GET /{code}} finds. */
  public sealed interface Resolution {
    record Found(Link link) implements Resolution {}

    record Expired(Link link) implements Resolution {}

    /** Unknown code, or a code that exists only in another scope than the host's. */
    record NotFound(String reason) implements Resolution {}
  }

  private final LinkStore store;
  private final ApiKeys apiKeys;
  private final OrganizationDirectory organizations;
  private final ShortHosts hosts;
  private final CodeSource codes;
  private final VisitCounter visits;
  private final Clock clock;

  public LinkService(
      LinkStore store,
      ApiKeys apiKeys,
      OrganizationDirectory organizations,
      ShortHosts hosts,
      CodeSource codes,
      VisitCounter visits,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    this.organizations = Objects.requireNonNull(organizations, "organizations");
    this.hosts = Objects.requireNonNull(hosts, "hosts");
    this.codes = Objects.requireNonNull(codes, "codes");
    this.visits = Objects.requireNonNull(visits, "visits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The API key behind a request, or a 401. */
  public ApiKeys.ApiKey authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isBlank()) {
      throw new LinkException(401, "missing_api_key", "an x-api-key header is required");
    }
    return apiKeys
        .verify(presentedKey)
        .orElseThrow(
            () ->
                new LinkException(
                    401, "invalid_api_key", "the API key is not valid or was revoked"));
  }

  /** Parses and validates a {@code POST /links} body. */
  public CreateLink parse(String body) {
    if (body == null || body.isBlank()) {
      throw LinkException.badRequest("invalid_body", "a JSON body is required");
    }
    JsonNode node;
    try {
      node = Json.tree(body);
    } catch (IllegalArgumentException e) {
      throw LinkException.badRequest("invalid_body", "the body is not valid JSON");
    }
    if (!node.isObject()) {
      throw LinkException.badRequest("invalid_body", "the body must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw LinkException.badRequest(
            "unknown_field",
            "unknown field '" + field + "' (allowed: " + new java.util.TreeSet<>(FIELDS) + ")");
      }
    }
    JsonNode url = node.get("url");
    if (url != null && !url.isNull() && !url.isTextual()) {
      throw LinkException.badRequest("invalid_url", "url must be a string");
    }
    String target =
        TargetUrls.validate(url == null || url.isNull() ? null : url.asText(), hosts).toString();
    LinkScope scope = LinkScope.BARE;
    JsonNode org = node.get("organizationId");
    if (org != null && !org.isNull()) {
      if (!org.isTextual()) {
        throw LinkException.badRequest(
            "invalid_organization_id", "organizationId must be a string");
      }
      OrganizationId id;
      try {
        id = OrganizationId.of(org.asText());
      } catch (ValidationException e) {
        throw LinkException.badRequest(e.code(), e.getMessage());
      }
      if (!organizations.exists(id)) {
        throw LinkException.badRequest(
            "unknown_organization", "organization '" + id.value() + "' is not known here");
      }
      scope = LinkScope.of(id);
    }
    int days = DEFAULT_EXPIRY_DAYS;
    JsonNode expires = node.get("expiresInDays");
    if (expires != null && !expires.isNull()) {
      if (!expires.isIntegralNumber()
          || expires.asLong() < 1
          || expires.asLong() > MAX_EXPIRY_DAYS) {
        throw LinkException.badRequest(
            "invalid_expiry", "expiresInDays must be a whole number from 1 to " + MAX_EXPIRY_DAYS);
      }
      days = expires.asInt();
    }
    Optional<String> slug = Optional.empty();
    JsonNode s = node.get("slug");
    if (s != null && !s.isNull()) {
      if (!s.isTextual()) {
        throw LinkException.badRequest("invalid_slug", "slug must be a string");
      }
      slug = Optional.of(Slugs.validate(s.asText()));
    }
    return new CreateLink(target, scope, days, slug);
  }

  /** Stores the link under its slug (409 when taken) or under a fresh random code. */
  public Created create(ApiKeys.ApiKey caller, CreateLink request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant expiresAt = now.plus(Duration.ofDays(request.expiresInDays()));
    if (request.slug().isPresent()) {
      String slug = request.slug().get();
      Link link =
          new Link(request.scope(), slug, request.url(), now, expiresAt, caller.id(), true, 0);
      if (!store.putIfAvailable(link, now)) {
        throw new LinkException(
            409,
            "slug_taken",
            "slug '" + slug + "' is already in use on " + hosts.hostOf(request.scope()));
      }
      return created(link);
    }
    for (int attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
      Link link =
          new Link(
              request.scope(), codes.next(), request.url(), now, expiresAt, caller.id(), false, 0);
      if (store.putIfAvailable(link, now)) {
        return created(link);
      }
    }
    throw new LinkException(503, "code_unavailable", "could not find a free code; try again");
  }

  private Created created(Link link) {
    return new Created(
        link.code(),
        hosts.shortUrl(link.scope(), link.code()),
        link.expiresAt(),
        link.scope(),
        link.custom());
  }

  /**
   * Resolves a code on a host: only the host's own scope is searched, so an organization's link is
   * unknown on the bare domain and on other organizations' hosts. Counts the visit when found.
   */
  public Resolution resolve(String host, String code) {
    Optional<LinkScope> scope = hosts.scopeOf(host);
    if (scope.isEmpty()) {
      return new Resolution.NotFound("host is not a short-link host");
    }
    if (!Slugs.isPossibleCode(code)) {
      return new Resolution.NotFound("not a code");
    }
    Optional<Link> link = store.get(scope.get(), code);
    if (link.isEmpty()) {
      return new Resolution.NotFound("unknown code");
    }
    if (link.get().isExpiredAt(clock.instant())) {
      return new Resolution.Expired(link.get());
    }
    visits.record(scope.get(), code);
    return new Resolution.Found(link.get());
  }

  public ShortHosts hosts() {
    return hosts;
  }
}
