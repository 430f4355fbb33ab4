package com.cdp.infra;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An environment file with one field changed, read the way the app reads it (so a test does not
 * depend on the order or number of {@link EnvironmentConfig}'s components).
 */
public final class EnvironmentFiles {
  private EnvironmentFiles() {}

  public static EnvironmentConfig withField(String env, String field, String value) {
    try {
      ObjectNode tree =
          (ObjectNode) Json.tree(Files.readString(Path.of("environments", env + ".json")));
      tree.put(field, value);
      return Json.mapper().treeToValue(tree, EnvironmentConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
