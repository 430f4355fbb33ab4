package com.cdp.model.groups;

import com.cdp.model.ValidationException;

/**
 * The name of one of an organization's pre-defined tile groups, e.g. {@code Savers}: 1-64
 * characters, no control characters, no leading or trailing whitespace. Names are matched exactly
 * (case-sensitive).
 */
public record TileGroupName(String value) {
  public static final int MAX_LENGTH = 64;

  public TileGroupName {
    if (value == null || value.isEmpty()) {
      throw new ValidationException("missing_tile_group", "tile group is required");
    }
    if (value.length() > MAX_LENGTH
        || !value.strip().equals(value)
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new ValidationException(
          "invalid_tile_group",
          "tile group must be 1-"
              + MAX_LENGTH
              + " characters without control characters or surrounding spaces");
    }
  }

  public static TileGroupName of(String value) {
    return new TileGroupName(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
