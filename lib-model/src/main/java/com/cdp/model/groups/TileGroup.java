package com.cdp.model.groups;

import java.time.Instant;
import java.util.Objects;

/** A pre-defined tile group of an organization. */
public record TileGroup(TileGroupName name, String description, Instant createdAt) {
  public TileGroup {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
