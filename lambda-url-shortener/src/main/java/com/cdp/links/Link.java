package com.cdp.links;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A stored short link. {@code visits} is a lower bound (counted off the redirect's path); {@code
 * maxVisits}, when set, ends the link once that many visits are counted; a revoked link keeps its
 * record (and its code) and answers 410.
 */
public record Link(
    LinkScope scope,
    String code,
    String url,
    Instant createdAt,
    Instant expiresAt,
    String createdBy,
    boolean custom,
    long visits,
    OptionalLong maxVisits,
    Optional<Instant> revokedAt) {
  public Link {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    maxVisits = maxVisits == null ? OptionalLong.empty() : maxVisits;
    revokedAt = revokedAt == null ? Optional.empty() : revokedAt;
  }

  /** A new link: no visits, not revoked. */
  public static Link created(
      LinkScope scope,
      String code,
      String url,
      Instant createdAt,
      Instant expiresAt,
      String createdBy,
      boolean custom,
      OptionalLong maxVisits) {
    return new Link(
        scope, code, url, createdAt, expiresAt, createdBy, custom, 0, maxVisits, Optional.empty());
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public boolean isExhausted() {
    return maxVisits.isPresent() && visits >= maxVisits.getAsLong();
  }

  /** {@code active}, {@code revoked}, {@code exhausted} or {@code expired}. */
  public String statusAt(Instant now) {
    if (revokedAt.isPresent()) {
      return "revoked";
    }
    if (isExhausted()) {
      return "exhausted";
    }
    return isExpiredAt(now) ? "expired" : "active";
  }
}
