package com.cdp.links.client;

import java.util.Objects;

/**
 * What to shorten: the target URL and the optional organization (its host serves the link), expiry
 * in days (1-365, default 10), custom slug and visit limit.
 */
public record ShortenRequest(
    String url, String organizationId, Integer expiresInDays, String slug, Long maxVisits) {
  public ShortenRequest {
    Objects.requireNonNull(url, "url");
  }

  public static ShortenRequest of(String url) {
    return new ShortenRequest(url, null, null, null, null);
  }

  public ShortenRequest organization(String organizationId) {
    return new ShortenRequest(url, organizationId, expiresInDays, slug, maxVisits);
  }

  public ShortenRequest expiresInDays(int days) {
    return new ShortenRequest(url, organizationId, days, slug, maxVisits);
  }

  public ShortenRequest slug(String customSlug) {
    return new ShortenRequest(url, organizationId, expiresInDays, customSlug, maxVisits);
  }

  public ShortenRequest maxVisits(long visits) {
    return new ShortenRequest(url, organizationId, expiresInDays, slug, visits);
  }
}
