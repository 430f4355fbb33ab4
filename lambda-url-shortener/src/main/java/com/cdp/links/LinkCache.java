package com.cdp.links;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The container's cache of resolved links, so a hot link's redirect costs no read. Bounded (least
 * recently used entries go first); an entry lives no longer than {@code min(link expiry, maxAge)},
 * so a revoke or an expiry change made by another container shows within {@code maxAge} (30 s in
 * production), and an expired link is never served from it. Only active links without a visit limit
 * are cached: the limit is checked against the stored count on every visit.
 */
public final class LinkCache {
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  private record Entry(Link link, Instant until) {}

  private final Clock clock;
  private final Duration maxAge;
  private final int maxEntries;
  private final Map<String, Entry> entries;

  public LinkCache(Clock clock, Duration maxAge, int maxEntries) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be >= 0");
    }
    this.maxEntries = maxEntries;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > LinkCache.this.maxEntries;
          }
        };
  }

  /** A cache that keeps nothing (every redirect reads). */
  public static LinkCache disabled(Clock clock) {
    return new LinkCache(clock, Duration.ZERO, 0);
  }

  private static String key(LinkScope scope, String code) {
    return scope.key() + "/" + code;
  }

  /** The cached link, if it is there and still young enough. */
  public synchronized Optional<Link> get(LinkScope scope, String code) {
    String key = key(scope, code);
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.until())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(entry.link());
  }

  /** Caches an active link until min(now + maxAge, its expiry). */
  public synchronized void put(Link link) {
    if (maxEntries == 0 || link.revokedAt().isPresent() || link.maxVisits().isPresent()) {
      return;
    }
    Instant now = clock.instant();
    Instant until = now.plus(maxAge);
    if (link.expiresAt().isBefore(until)) {
      until = link.expiresAt();
    }
    if (now.isBefore(until)) {
      entries.put(key(link.scope(), link.code()), new Entry(link, until));
    }
  }

  /** Forgets a link this container changed (its revoke or extension shows at once here). */
  public synchronized void invalidate(LinkScope scope, String code) {
    entries.remove(key(scope, code));
  }

  public synchronized int size() {
    return entries.size();
  }
}
