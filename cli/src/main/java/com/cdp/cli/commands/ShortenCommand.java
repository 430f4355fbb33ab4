package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.target.Target;
import com.cdp.cli.target.TargetOptions;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./cdp shorten URL}: creates a short link through {@code POST /links}. */
@Command(
    name = "shorten",
    mixinStandardHelpOptions = true,
    description = {
      "Create a short link (POST /links) and print its short URL.",
      "Locally: http://localhost:PORT/CODE, or http://ORG.localhost:PORT/CODE with --org."
    })
public final class ShortenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The http(s) URL to shorten")
  String url;

  @Option(names = "--org", description = "Organization whose host serves the link, e.g. tcu")
  String org;

  @Option(names = "--expires-in-days", description = "1-365 (default: 10)", paramLabel = "N")
  Integer expiresInDays;

  @Option(names = "--slug", description = "A custom code instead of a random one")
  String slug;

  @Option(
      names = "--api-key",
      description = "API key (default: $CDP_API_KEY, else the key ./cdp local issued to the CLI)")
  String apiKey;

  @Option(
      names = "--endpoint",
      description = "API base URL override (default: the environment's short domain)")
  URI endpoint;

  @Mixin TargetOptions targetOptions = new TargetOptions();

  @Override
  public void run() {
    Target target = targetOptions.target(spec.commandLine().getErr());
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
    ObjectNode body = Json.object();
    body.put("url", url);
    if (org != null) {
      body.put("organizationId", org);
    }
    if (expiresInDays != null) {
      body.put("expiresInDays", expiresInDays);
    }
    if (slug != null) {
      body.put("slug", slug);
    }
    ApiCall api = new ApiCall(base);
    JsonNode answer =
        api.send(
            api.request("/links")
                .header("content-type", "application/json")
                .header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build(),
            201);
    spec.commandLine().getOut().println(answer.path("shortUrl").asText());
    spec.commandLine().getOut().flush();
  }
}
