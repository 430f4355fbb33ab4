package com.cdp.groups.task;

import java.util.Locale;
import java.util.Optional;

/** What a row asks for. */
enum Action {
  ADD,
  REMOVE;

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code add} or {@code remove}, case-insensitive. */
  static Optional<Action> parse(String value) {
    for (Action a : values()) {
      if (a.name().equalsIgnoreCase(value)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
