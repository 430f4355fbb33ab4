package com.cdp.transactions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys accepted for cursors at one moment: the current key signs new cursors; it and the
 * previous keys verify. Keeping the previous key lets cursors issued just before a rotation keep
 * working until they expire.
 */
public record CursorKeys(CursorKey current, List<CursorKey> previous) {
  public CursorKeys {
    Objects.requireNonNull(current, "current");
    List<CursorKey> others = new ArrayList<>();
    for (CursorKey key : previous) {
      if (!key.equals(current) && !others.contains(key)) {
        others.add(key);
      }
    }
    previous = List.copyOf(others);
  }

  /** One key that signs and verifies (the local platform: one secret per data directory). */
  public static CursorKeys of(String secret) {
    return new CursorKeys(CursorKey.fromSecret(secret), List.of());
  }

  /** The accepted key with this id, if any. */
  public Optional<CursorKey> find(String id) {
    if (current.id().equals(id)) {
      return Optional.of(current);
    }
    return previous.stream().filter(k -> k.id().equals(id)).findFirst();
  }
}
