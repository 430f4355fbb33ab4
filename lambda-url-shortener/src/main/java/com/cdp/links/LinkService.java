package com.cdp.links;

import com.cdp.http.ApiError;
import com.cdp.http.SignedCursors;
import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Creates, resolves and manages short links. Every code is reserved for good when it is issued
 * ({@link LinkStore}), so neither a random code nor a slug is ever issued twice. Management is
 * scoped by the caller key's organizations: a link the key may not see is unknown (404), so codes
 * cannot be probed; creating a link for an organization the key may not act for is 403.
 */
public final class LinkService {
  public static final int DEFAULT_EXPIRY_DAYS = 10;
  public static final int MAX_EXPIRY_DAYS = 365;
  public static final long MAX_VISITS_LIMIT = 1_000_000_000L;
  public static final int MAX_PAGE = 100;

  /** Random-code attempts before giving up (a collision at 62^8 codes is already rare). */
  static final int MAX_CODE_ATTEMPTS = 5;

  private static final Set<String> FIELDS =
      Set.of("url", "organizationId", "expiresInDays", "slug", "maxVisits");

  /** What a caller asked for, validated. */
  public record CreateLink(
      String url,
      LinkScope scope,
      int expiresInDays,
      Optional<String> slug,
      OptionalLong maxVisits) {}

  /** The contract's 201 body. */
  public record Created(
      String code, String shortUrl, Instant expiresAt, LinkScope scope, boolean custom) {}

  /** A managed link as the API shows it: the link, or only its reservation once TTL removed it. */
  public record View(LinkStore.Reservation reservation, Optional<Link> link) {}

  /** A page of {@code GET /links}. */
  public record ListPage(List<View> links, Optional<String> nextCursor) {}

  /** What {@code GET /{code}} finds. */
  public sealed interface Resolution {
    record Found(Link link) implements Resolution {}

    /** Expired (the link, unless TTL removed it); {@code page} is the org's expired-link page. */
    record Expired(Optional<Link> link, Optional<String> page) implements Resolution {}

    /** Revoked, or past its visit limit: 410. */
    record Gone(String reason) implements Resolution {}

    /** Unknown code, or a code that exists only in another scope than the host's. */
    record NotFound(String reason) implements Resolution {}
  }

  /** Optional parts: the redirect cache, the list cursors, per-organization expired-link pages. */
  public record Options(
      LinkCache cache, Optional<SignedCursors> cursors, Map<String, String> expiredLinkPages) {
    public Options {
      Objects.requireNonNull(cache, "cache");
      expiredLinkPages = Map.copyOf(expiredLinkPages);
    }
  }

  private final LinkStore store;
  private final ApiKeys apiKeys;
  private final OrganizationDirectory organizations;
  private final ShortHosts hosts;
  private final CodeSource codes;
  private final VisitCounter visits;
  private final Clock clock;
  private final Options options;

  public LinkService(
      LinkStore store,
      ApiKeys apiKeys,
      OrganizationDirectory organizations,
      ShortHosts hosts,
      CodeSource codes,
      VisitCounter visits,
      Clock clock,
      Options options) {
    this.store = Objects.requireNonNull(store, "store");
    this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    this.organizations = Objects.requireNonNull(organizations, "organizations");
    this.hosts = Objects.requireNonNull(hosts, "hosts");
    this.codes = Objects.requireNonNull(codes, "codes");
    this.visits = Objects.requireNonNull(visits, "visits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The API key behind a request, or a 401. */
  public ApiKeys.ApiKey authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isBlank()) {
      throw new ApiError(401, "missing_api_key", "an x-api-key header is required");
    }
    return apiKeys
        .verify(presentedKey)
        .orElseThrow(
            () -> new ApiError(401, "invalid_api_key", "the API key is not valid or was revoked"));
  }

  /** Parses and validates a {@code POST /links} body. */
  public CreateLink parse(JsonNode node) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw ApiError.badRequest(
            "unknown_field",
            "unknown field '" + field + "' (allowed: " + new java.util.TreeSet<>(FIELDS) + ")");
      }
    }
    JsonNode url = node.get("url");
    if (url != null && !url.isNull() && !url.isTextual()) {
      throw ApiError.badRequest("invalid_url", "url must be a string");
    }
    String target =
        TargetUrls.validate(url == null || url.isNull() ? null : url.asText(), hosts).toString();
    LinkScope scope = LinkScope.BARE;
    JsonNode org = node.get("organizationId");
    if (org != null && !org.isNull()) {
      if (!org.isTextual()) {
        throw ApiError.badRequest("invalid_organization_id", "organizationId must be a string");
      }
      scope = LinkScope.of(organization(org.asText()));
    }
    int days = expiresInDays(node, DEFAULT_EXPIRY_DAYS);
    Optional<String> slug = Optional.empty();
    JsonNode s = node.get("slug");
    if (s != null && !s.isNull()) {
      if (!s.isTextual()) {
        throw ApiError.badRequest("invalid_slug", "slug must be a string");
      }
      slug = Optional.of(Slugs.validate(s.asText()));
    }
    OptionalLong maxVisits = OptionalLong.empty();
    JsonNode max = node.get("maxVisits");
    if (max != null && !max.isNull()) {
      if (!max.isIntegralNumber()
          || !max.canConvertToLong()
          || max.longValue() < 1
          || max.longValue() > MAX_VISITS_LIMIT) {
        throw ApiError.badRequest(
            "invalid_max_visits", "maxVisits must be a whole number from 1 to " + MAX_VISITS_LIMIT);
      }
      maxVisits = OptionalLong.of(max.longValue());
    }
    return new CreateLink(target, scope, days, slug, maxVisits);
  }

  /** Parses a {@code PATCH /links/{code}} body: {@code {"expiresInDays": N}}. */
  public int parseExtension(JsonNode node) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("expiresInDays")) {
        throw ApiError.badRequest(
            "unknown_field",
            "unknown field '" + field + "': only expiresInDays can change (never the target)");
      }
    }
    if (!node.has("expiresInDays")) {
      throw ApiError.badRequest("invalid_expiry", "expiresInDays is required");
    }
    return expiresInDays(node, DEFAULT_EXPIRY_DAYS);
  }

  /** A JSON integer 1..365: not a string, not a fraction, not a number that wraps around. */
  private static int expiresInDays(JsonNode node, int fallback) {
    JsonNode expires = node.get("expiresInDays");
    if (expires == null || expires.isNull()) {
      return fallback;
    }
    if (!expires.isIntegralNumber()
        || !expires.canConvertToInt()
        || expires.intValue() < 1
        || expires.intValue() > MAX_EXPIRY_DAYS) {
      throw ApiError.badRequest(
          "invalid_expiry", "expiresInDays must be a whole number from 1 to " + MAX_EXPIRY_DAYS);
    }
    return expires.intValue();
  }

  /** A known organization, or a 400. */
  public OrganizationId organization(String value) {
    OrganizationId id;
    try {
      id = OrganizationId.of(value);
    } catch (ValidationException e) {
      throw ApiError.badRequest(e.code(), e.getMessage());
    }
    if (!organizations.exists(id)) {
      throw ApiError.badRequest(
          "unknown_organization", "organization '" + id.value() + "' is not known here");
    }
    return id;
  }

  /** Stores the link under its slug (409 when ever issued) or under a fresh random code. */
  public Created create(ApiKeys.ApiKey caller, CreateLink request) {
    if (!caller.scope().allows(request.scope())) {
      throw new ApiError(
          403,
          "organization_not_allowed",
          request.scope().organization().isPresent()
              ? "this API key may not create links for organization '"
                  + request.scope().organization().get().value()
                  + "'"
              : "links without an organization need a key scoped to all organizations");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant expiresAt = now.plus(Duration.ofDays(request.expiresInDays()));
    if (request.slug().isPresent()) {
      String slug = request.slug().get();
      Link link =
          Link.created(
              request.scope(),
              slug,
              request.url(),
              now,
              expiresAt,
              caller.id(),
              true,
              request.maxVisits());
      if (!store.putIfAvailable(link, now)) {
        throw new ApiError(
            409,
            "slug_taken",
            "slug '"
                + slug
                + "' was already issued on "
                + hosts.hostOf(request.scope())
                + " (codes are never reissued, even after they expire)");
      }
      return created(link);
    }
    for (int attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
      Link link =
          Link.created(
              request.scope(),
              codes.next(),
              request.url(),
              now,
              expiresAt,
              caller.id(),
              false,
              request.maxVisits());
      if (store.putIfAvailable(link, now)) {
        return created(link);
      }
    }
    throw new ApiError(503, "code_unavailable", "could not find a free code; try again");
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
   * unknown on the bare domain and on other organizations' hosts. Counts the visit when found. A
   * cached link costs no read; an uncached one costs one (two when TTL removed it).
   */
  public Resolution resolve(String host, String code) {
    Optional<LinkScope> scope = hosts.scopeOf(host);
    if (scope.isEmpty()) {
      return new Resolution.NotFound("host is not a short-link host");
    }
    if (!Slugs.isPossibleCode(code)) {
      return new Resolution.NotFound("not a code");
    }
    Instant now = clock.instant();
    Optional<Link> cached = options.cache().get(scope.get(), code);
    Optional<Link> link = cached.isPresent() ? cached : store.get(scope.get(), code);
    Optional<String> page =
        scope.get().organization().map(o -> options.expiredLinkPages().get(o.value()));
    if (link.isEmpty()) {
      Optional<LinkStore.Reservation> reserved = store.reservation(scope.get(), code);
      if (reserved.isEmpty()) {
        return new Resolution.NotFound("unknown code");
      }
      return reserved.get().revoked()
          ? new Resolution.Gone("revoked")
          : new Resolution.Expired(Optional.empty(), page);
    }
    Link found = link.get();
    if (found.revokedAt().isPresent()) {
      return new Resolution.Gone("revoked");
    }
    if (found.isExhausted()) {
      return new Resolution.Gone("exhausted");
    }
    if (found.isExpiredAt(now)) {
      return new Resolution.Expired(link, page);
    }
    if (cached.isEmpty()) {
      options.cache().put(found);
    }
    visits.record(scope.get(), code);
    return new Resolution.Found(found);
  }

  /** The scope a management request names: {@code organizationId}, else the host's, else bare. */
  public LinkScope scopeOf(Optional<String> organizationId, String host) {
    if (organizationId.isPresent()) {
      return LinkScope.of(organization(organizationId.get()));
    }
    return hosts.scopeOf(host).orElse(LinkScope.BARE);
  }

  /** A link the caller's key may see, or 404 (the same answer as for an unknown code). */
  public View view(ApiKeys.ApiKey caller, LinkScope scope, String code) {
    if (!caller.scope().allows(scope) || !Slugs.isPossibleCode(code)) {
      throw notFound();
    }
    Optional<Link> link = store.get(scope, code);
    Optional<LinkStore.Reservation> reservation =
        link.isPresent()
            ? Optional.of(
                new LinkStore.Reservation(
                    scope,
                    code,
                    link.get().createdAt(),
                    link.get().createdBy(),
                    link.get().revokedAt().isPresent()))
            : store.reservation(scope, code);
    return new View(reservation.orElseThrow(LinkService::notFound), link);
  }

  /** Sets the expiry to {@code days} from now; the target never changes. */
  public View extend(ApiKeys.ApiKey caller, LinkScope scope, String code, int days) {
    View view = view(caller, scope, code);
    if (view.link().isEmpty()) {
      throw new ApiError(409, "link_purged", "the link expired long ago and only its code is kept");
    }
    if (view.reservation().revoked()) {
      throw new ApiError(409, "link_revoked", "a revoked link cannot be extended");
    }
    Instant expiresAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofDays(days));
    if (!store.extend(scope, code, expiresAt)) {
      throw new ApiError(409, "link_revoked", "the link was revoked meanwhile");
    }
    options.cache().invalidate(scope, code);
    return view(caller, scope, code);
  }

  /** Revokes the link: it answers 410 from now on (within 30 s in other containers). */
  public View revoke(ApiKeys.ApiKey caller, LinkScope scope, String code) {
    view(caller, scope, code);
    store.revoke(scope, code, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    options.cache().invalidate(scope, code);
    return view(caller, scope, code);
  }

  /** A page of the links of one scope the caller may see, optionally only one key's. */
  public ListPage list(
      ApiKeys.ApiKey caller,
      LinkScope scope,
      Optional<String> createdBy,
      Optional<String> cursor,
      int limit) {
    if (!caller.scope().allows(scope)) {
      throw new ApiError(
          403, "organization_not_allowed", "this API key may not list links of " + scope);
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw ApiError.badRequest("invalid_limit", "limit must be 1-" + MAX_PAGE);
    }
    SignedCursors cursors =
        options
            .cursors()
            .orElseThrow(() -> new IllegalStateException("no cursor-signing key configured"));
    Optional<String> after = Optional.empty();
    if (cursor.isPresent()) {
      ObjectNode payload;
      try {
        payload = cursors.verify(cursor.get());
      } catch (ValidationException e) {
        throw ApiError.badRequest(e.code(), e.getMessage());
      }
      if (!payload.path("s").asText().equals(scope.key())
          || !payload.path("b").asText().equals(createdBy.orElse(""))) {
        throw ApiError.badRequest(
            "cursor_mismatch", "the cursor was issued for another organization or filter");
      }
      after = Optional.of(payload.path("a").asText());
    }
    LinkStore.Page page = store.list(scope, createdBy, after, limit);
    List<View> views = new ArrayList<>();
    for (LinkStore.Reservation r : page.items()) {
      views.add(new View(r, store.get(scope, r.code())));
    }
    Optional<String> next =
        page.lastCode()
            .map(
                last -> {
                  ObjectNode payload = Json.object();
                  payload.put("s", scope.key());
                  payload.put("b", createdBy.orElse(""));
                  payload.put("a", last);
                  return cursors.sign(payload);
                });
    return new ListPage(views, next);
  }

  /** Visits per day for the last {@link LinkStore#STATS_DAYS} days (UTC), oldest first. */
  public Map<LocalDate, Long> stats(ApiKeys.ApiKey caller, LinkScope scope, String code) {
    view(caller, scope, code);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return store.dailyVisits(scope, code, today.minusDays(LinkStore.STATS_DAYS - 1L), today);
  }

  static ApiError notFound() {
    return new ApiError(404, "not_found", "There is no such link.");
  }

  public ShortHosts hosts() {
    return hosts;
  }

  public Instant now() {
    return clock.instant();
  }
}
