package com.cdp.cli.commands;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import picocli.CommandLine.Command;
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
      description = "API base URL (default: the running local platform's gateway)")
  URI endpoint;

  @Option(names = "--data-dir", hidden = true, description = "The local platform's data directory")
  Path dataDir;

  @Override
  public void run() {
    LocalFiles local = LocalFiles.of(dataDir);
    URI base = endpoint != null ? endpoint : local.endpoints().gatewayUrl();
    String key = apiKey;
    if (key == null) {
      String env = System.getenv("CDP_API_KEY");
      key = env != null && !env.isBlank() ? env.strip() : local.cliApiKey();
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
