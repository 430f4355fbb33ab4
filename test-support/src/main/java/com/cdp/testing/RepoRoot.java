package com.cdp.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (where package.json and node_modules live) from a test JVM. */
public final class RepoRoot {
  private RepoRoot() {}

  public static Path find() {
    String configured = System.getProperty("cdp.repoRoot");
    if (configured != null && Files.isRegularFile(Path.of(configured, "package.json"))) {
      return Path.of(configured).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("package.json"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "cannot find the repository root (no package.json above "
            + Path.of("").toAbsolutePath()
            + ")");
  }
}
