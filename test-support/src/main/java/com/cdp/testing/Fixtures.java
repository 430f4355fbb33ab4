package com.cdp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads event JSON fixtures from the test classpath, e.g. {@code
 * Fixtures.text("events/s3-put.json")}.
 */
public final class Fixtures {
  private Fixtures() {}

  public static String text(String resource) {
    try (InputStream in =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture on the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture with {@code ${name}} placeholders replaced, for ids that differ per test. */
  public static String text(String resource, java.util.Map<String, String> values) {
    String text = text(resource);
    for (var e : values.entrySet()) {
      text = text.replace("${" + e.getKey() + "}", e.getValue());
    }
    return text;
  }
}
