package com.cdp.cli;

import java.io.IOException;
import java.nio.file.Path;

/** Writes and removes {@code endpoints.json} for {@code ./cdp local}. */
public final class EndpointsFile {
  private EndpointsFile() {}

  public static void write(LocalEndpoints endpoints, Path dataDir, long pid) throws IOException {
    endpoints.write(dataDir, pid);
  }

  public static void delete(Path dataDir) {
    LocalEndpoints.delete(dataDir);
  }
}
