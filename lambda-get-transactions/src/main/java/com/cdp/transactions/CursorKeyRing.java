package com.cdp.transactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Caches the cursor keys of a {@link CursorKeySource} for a container's lifetime, re-reading them
 * every {@link #REFRESH} so a rotation reaches running containers. A cursor signed with a key id
 * the ring does not know triggers one early re-read (at most every {@link #MIN_RELOAD_GAP}), so a
 * container that has not refreshed yet still accepts cursors another container signed with the new
 * key. If a re-read fails, the cached keys stay in use and the failure is kept for the caller to
 * log ({@link #takeReloadFailure()}).
 */
public final class CursorKeyRing {
  static final Duration REFRESH = Duration.ofMinutes(5);
  static final Duration MIN_RELOAD_GAP = Duration.ofSeconds(30);

  private final CursorKeySource source;
  private final Clock clock;
  private CursorKeys keys;
  private Instant loadedAt;
  private RuntimeException reloadFailure;

  public CursorKeyRing(CursorKeySource source, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A ring over fixed keys (tests, the local platform). */
  public static CursorKeyRing fixed(CursorKeys keys, Clock clock) {
    return new CursorKeyRing(() -> keys, clock);
  }

  /** The key that signs new cursors. */
  public synchronized CursorKey signingKey() {
    return current().current();
  }

  /** The accepted key with this id, re-reading the source once if the id is unknown. */
  public synchronized Optional<CursorKey> verifyingKey(String id) {
    Optional<CursorKey> key = current().find(id);
    if (key.isEmpty() && clock.instant().isAfter(loadedAt.plus(MIN_RELOAD_GAP))) {
      reload(false);
      key = keys.find(id);
    }
    return key;
  }

  /** The last failed re-read since this was last called, if any (for the request log). */
  public synchronized Optional<String> takeReloadFailure() {
    RuntimeException failure = reloadFailure;
    reloadFailure = null;
    return Optional.ofNullable(failure).map(RuntimeException::toString);
  }

  private CursorKeys current() {
    if (keys == null) {
      reload(true);
    } else if (!clock.instant().isBefore(loadedAt.plus(REFRESH))) {
      reload(false);
    }
    return keys;
  }

  private void reload(boolean mustSucceed) {
    try {
      keys = Objects.requireNonNull(source.load(), "cursor keys");
    } catch (RuntimeException e) {
      if (mustSucceed || keys == null) {
        throw e;
      }
      // Keep verifying with the cached keys; the next refresh tries again.
      reloadFailure = e;
    }
    loadedAt = clock.instant();
  }
}
