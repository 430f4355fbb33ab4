package com.cdp.model.groups;

import com.cdp.model.ValidationException;
import java.util.Locale;

/**
 * How far a member is enrolled in the platform. A member without an enrollment item is {@link
 * #NONE}; a group assignment partially enrolls such a member before changing their groups.
 */
public enum Enrollment {
  NONE,
  PARTIAL,
  FULL;

  /** The lowercase name used in files and output: {@code none}, {@code partial}, {@code full}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Enrollment parse(String value) {
    if (value != null) {
      for (Enrollment e : values()) {
        if (e.name().equalsIgnoreCase(value.strip())) {
          return e;
        }
      }
    }
    throw new ValidationException(
        "invalid_enrollment", "enrollment must be none, partial or full (got " + value + ")");
  }
}
