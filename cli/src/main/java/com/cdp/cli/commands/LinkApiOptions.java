package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.env.Target;
import com.cdp.cli.env.TargetOptions;
import com.cdp.links.client.LinksClient;
import com.cdp.links.client.LinksException;
import java.net.URI;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How link commands reach the short-link API (a picocli mixin): the environment's short domain
 * (locally the gateway) and an API key.
 */
final class LinkApiOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--api-key",
      description =
          "API key (default: $CDP_API_KEY, else locally the key ./cdp local issued to the CLI)")
  String apiKey;

  @Option(
      names = "--endpoint",
      description = "API base URL override (default: the environment's short domain)")
  URI endpoint;

  @Mixin TargetOptions targetOptions = new TargetOptions();

  /** Calls the API through {@link LinksClient}; its refusals become one-line CLI errors. */
  <T> T call(Function<LinksClient, T> action) {
    Target target = targetOptions.target(mixee.commandLine().getErr());
    URI base = endpoint != null ? endpoint : target.linksApi();
    String key = apiKey;
    if (key == null) {
      String env = System.getenv("CDP_API_KEY");
      if (env != null && !env.isBlank()) {
        key = env.strip();
      } else if (target.isLocal()) {
        key = LocalFiles.of(targetOptions.dataDir()).cliApiKey();
      } else {
        throw new CliException(
            "an API key is required for " + target.environment() + ": --api-key or CDP_API_KEY");
      }
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
