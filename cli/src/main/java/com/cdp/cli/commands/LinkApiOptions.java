package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.links.client.LinksClient;
import com.cdp.links.client.LinksException;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** How link commands reach the short-link API: endpoint and API key (a picocli mixin). */
final class LinkApiOptions {
  @Option(
      names = "--api-key",
      description = "API key (default: $CDP_API_KEY, else the key ./cdp local issued to the CLI)")
  String apiKey;

  @Option(
      names = "--endpoint",
      description = "API base URL (default: the running local platform's gateway)")
  URI endpoint;

  @Option(names = "--data-dir", hidden = true, description = "The local platform's data directory")
  Path dataDir;

  /** Calls the API through {@link LinksClient}; its refusals become one-line CLI errors. */
  <T> T call(Function<LinksClient, T> action) {
    LocalFiles local = endpoint == null || apiKey == null ? LocalFiles.of(dataDir) : null;
    URI base = endpoint != null ? endpoint : local.endpoints().gatewayUrl();
    String key = apiKey;
    if (key == null) {
      String env = System.getenv("CDP_API_KEY");
      key = env != null && !env.isBlank() ? env.strip() : local.cliApiKey();
    }
    try {
      return action.apply(LinksClient.create(base, key));
    } catch (LinksException e) {
      if (e.status() == 0) {
        throw new CliException(e.getMessage());
      }
      throw new CliException("HTTP " + e.status() + " " + e.code() + ": " + e.getMessage());
    }
  }
}
