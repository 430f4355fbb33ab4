package com.cdp.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.id.OrganizationId;
import com.cdp.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LinkCacheTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final LinkScope scope = LinkScope.of(OrganizationId.of("tcu"));

  private Link link(String code, Duration life, OptionalLong max) {
    return new Link(
        scope,
        code,
        "https://example.com",
        clock.instant(),
        clock.instant().plus(life),
        "k",
        false,
        0,
        max,
        Optional.empty());
  }

  @Test
  void entry_livesAtMostMaxAge() {
    LinkCache cache = new LinkCache(clock, Duration.ofSeconds(30), 10);
    cache.put(link("abc", Duration.ofDays(1), OptionalLong.empty()));
    clock.advance(Duration.ofSeconds(29));
    assertThat(cache.get(scope, "abc")).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get(scope, "abc")).isEmpty();
  }

  @Test
  void entry_neverOutlivesTheLinksExpiry() {
    LinkCache cache = new LinkCache(clock, Duration.ofSeconds(30), 10);
    cache.put(link("abc", Duration.ofSeconds(5), OptionalLong.empty()));
    clock.advance(Duration.ofSeconds(5));
    assertThat(cache.get(scope, "abc")).isEmpty();
  }

  @Test
  void isBounded_leastRecentlyUsedGoesFirst() {
    LinkCache cache = new LinkCache(clock, Duration.ofSeconds(30), 2);
    cache.put(link("aaa", Duration.ofDays(1), OptionalLong.empty()));
    cache.put(link("bbb", Duration.ofDays(1), OptionalLong.empty()));
    cache.get(scope, "aaa");
    cache.put(link("ccc", Duration.ofDays(1), OptionalLong.empty()));
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(scope, "bbb")).isEmpty();
    assertThat(cache.get(scope, "aaa")).isPresent();
  }

  @Test
  void linksWithAVisitLimit_areNotCached() {
    LinkCache cache = new LinkCache(clock, Duration.ofSeconds(30), 10);
    cache.put(link("abc", Duration.ofDays(1), OptionalLong.of(3)));
    assertThat(cache.get(scope, "abc")).isEmpty();
  }
}
