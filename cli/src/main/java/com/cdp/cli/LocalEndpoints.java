package com.cdp.cli;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the running local platform listens, as {@code ./cdp local} wrote it to {@code
 * .cdp-local/endpoints.json}. Commands use it to reach the platform's public interfaces.
 */
public record LocalEndpoints(URI gatewayUrl, URI s3Url, URI dynamoDbUrl) {
  public static final String FILE = "endpoints.json";

  /** The data directory: {@code $CDP_LOCAL_DIR}, or {@code .cdp-local} in the repository root. */
  public static Path dataDir() {
    String configured = System.getenv("CDP_LOCAL_DIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return repoRoot().resolve(".cdp-local");
  }

  /** The repository root: {@code $CDP_HOME} (set by the ./cdp wrapper) or the working directory. */
  public static Path repoRoot() {
    String home = System.getenv("CDP_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath();
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path dir = cwd; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("package.json"))
          && Files.isRegularFile(dir.resolve("cdp"))) {
        return dir;
      }
    }
    return cwd;
  }

  public static LocalEndpoints load() {
    return load(dataDir());
  }

  /** The endpoints of the platform running with data directory {@code dataDir}. */
  public static LocalEndpoints load(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          "the local platform is not running (no " + file + "): start it with './cdp local'");
    }
    try {
      JsonNode node = Json.tree(Files.readString(file));
      return new LocalEndpoints(
          URI.create(node.path("gateway").asText()),
          URI.create(node.path("s3").asText()),
          URI.create(node.path("dynamodb").asText()));
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  void write(Path dataDir, long pid) throws IOException {
    Files.createDirectories(dataDir);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    Files.writeString(
        tmp,
        Json.write(
            Map.of(
                "gateway",
                gatewayUrl.toString(),
                "s3",
                s3Url.toString(),
                "dynamodb",
                dynamoDbUrl.toString(),
                "pid",
                pid)));
    Files.move(
        tmp,
        dataDir.resolve(FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static void delete(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE));
    } catch (IOException ignored) {
      // a stale file is detected by the next command
    }
  }
}
