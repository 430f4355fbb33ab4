package com.cdp.links;

import java.time.Instant;
import java.util.Objects;

/** A stored short link. {@code visits} is a lower bound (counted off the redirect's path). */
public record Link(
    LinkScope scope,
    String code,
    String url,
    Instant createdAt,
    Instant expiresAt,
    String createdBy,
    boolean custom,
    long visits) {
  public Link {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
