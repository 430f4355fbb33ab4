package com.cdp.cli.local;

import java.nio.file.Path;

/**
 * How to start the local platform: the data directory (everything persists below it), the repo root
 * (for node_modules), and the three ports (0 picks a free one).
 */
public record LocalOptions(
    Path dataDir, Path repoRoot, int gatewayPort, int s3Port, int dynamoDbPort) {
  public static final int DEFAULT_GATEWAY_PORT = 4510;
  public static final int DEFAULT_S3_PORT = 4511;
  public static final int DEFAULT_DYNAMODB_PORT = 4512;

  /** A platform on free ports over a fresh directory: for tests. */
  public static LocalOptions forTests(Path dataDir, Path repoRoot) {
    return new LocalOptions(dataDir, repoRoot, 0, 0, 0);
  }
}
