package com.cdp.model.id;

import com.cdp.model.ValidationException;
import java.util.List;

/** A deployment environment ({@code dev}, {@code prod}, the ADP variants, or {@code local}). */
public record EnvironmentName(String value) {
  public static final List<String> AWS =
      List.of(
          "dev", "qa", "hot", "xat", "cat", "prod", "devadp", "qaadp", "hotadp", "xatadp", "catadp",
          "prodadp");
  public static final EnvironmentName LOCAL = new EnvironmentName("local");

  public EnvironmentName {
    if (value == null || !(AWS.contains(value) || value.equals("local"))) {
      throw new ValidationException(
          "invalid_environment",
          "environment must be one of " + AWS + " or local (got " + value + ")");
    }
  }

  public static EnvironmentName of(String value) {
    return new EnvironmentName(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
