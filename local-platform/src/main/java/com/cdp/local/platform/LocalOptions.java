package com.cdp.local.platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to start the local platform: the data directory (everything persists below it), the repo root
 * (for node_modules), the three ports (0 picks a free one), and environment overrides per function.
 *
 * @param functionEnvironment variables set on top of a template function's environment, by the
 *     function's short name ({@code txn-chunker}): the one explicit way to run a function locally
 *     with settings other than the template's (tests use smaller chunks, a fault stand-in as the
 *     DynamoDB endpoint). A name the template has no function for stops the start. Empty for {@code
 *     ./cdp local}.
 */
public record LocalOptions(
    Path dataDir,
    Path repoRoot,
    int gatewayPort,
    int s3Port,
    int dynamoDbPort,
    Map<String, Map<String, String>> functionEnvironment) {
  public static final int DEFAULT_GATEWAY_PORT = 4510;
  public static final int DEFAULT_S3_PORT = 4511;
  public static final int DEFAULT_DYNAMODB_PORT = 4512;

  public LocalOptions {
    Map<String, Map<String, String>> copy = new TreeMap<>();
    functionEnvironment.forEach((f, env) -> copy.put(f, Map.copyOf(env)));
    functionEnvironment = Map.copyOf(copy);
  }

  /** Without environment overrides: the template's functions as the template describes them. */
  public LocalOptions(Path dataDir, Path repoRoot, int gatewayPort, int s3Port, int dynamoDbPort) {
    this(dataDir, repoRoot, gatewayPort, s3Port, dynamoDbPort, Map.of());
  }

  /** A platform on free ports over a fresh directory: for tests. */
  public static LocalOptions forTests(Path dataDir, Path repoRoot) {
    return new LocalOptions(dataDir, repoRoot, 0, 0, 0);
  }

  /** These options with {@code variables} set on top of the function's template environment. */
  public LocalOptions withFunctionEnvironment(String function, Map<String, String> variables) {
    Map<String, Map<String, String>> all = new TreeMap<>(functionEnvironment);
    Map<String, String> merged = new TreeMap<>(all.getOrDefault(function, Map.of()));
    merged.putAll(variables);
    all.put(function, merged);
    return new LocalOptions(dataDir, repoRoot, gatewayPort, s3Port, dynamoDbPort, all);
  }
}
