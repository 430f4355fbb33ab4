package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.local.platform.links.LinksLocal;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the link and hub commands read from the local platform's data directory ({@code --data-dir},
 * else {@code $CDP_LOCAL_DIR} or {@code .cdp-local}): its endpoints, the CLI's API key, the API-key
 * pepper and the hub simulator's call log.
 */
final class LocalFiles {
  /** Written by the Connector Hub simulator: one JSON line per call. */
  static final String HUB_CALLS = "hub-calls.ndjson";

  private final Path dataDir;

  private LocalFiles(Path dataDir) {
    this.dataDir = dataDir;
  }

  static LocalFiles of(Path override) {
    return new LocalFiles(override == null ? LocalEndpoints.dataDir() : override.toAbsolutePath());
  }

  Path dataDir() {
    return dataDir;
  }

  LocalEndpoints endpoints() {
    Path file = dataDir.resolve(LocalEndpoints.FILE);
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

  /** The API key {@code ./cdp local} issued to the CLI. */
  String cliApiKey() {
    return read(
        dataDir.resolve(LinksLocal.CLI_KEY_FILE),
        "no API key for the CLI yet: start the platform with './cdp local' (or pass --api-key)");
  }

  /** The API-key pepper: the template's secret, kept by the local secrets store in its file. */
  String pepper() {
    return read(
        dataDir
            .resolve("secrets")
            .resolve(com.cdp.local.platform.LocalSecrets.fileName(LinksLocal.PEPPER_SECRET)),
        "no API-key pepper yet: start the platform once with './cdp local'");
  }

  Path hubCalls() {
    return dataDir.resolve(HUB_CALLS);
  }

  private static String read(Path file, String missing) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(missing);
    }
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
