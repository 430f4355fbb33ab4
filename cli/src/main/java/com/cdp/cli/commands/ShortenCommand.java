package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
    HttpResponse<String> response;
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      response =
          http.send(
              HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + "/links"))
                  .timeout(Duration.ofSeconds(30))
                  .header("content-type", "application/json")
                  .header("x-api-key", key)
                  .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException("cannot reach " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    JsonNode answer;
    try {
      answer = Json.tree(response.body());
    } catch (IllegalArgumentException e) {
      throw new CliException("unexpected answer (HTTP " + response.statusCode() + ") from " + base);
    }
    if (response.statusCode() != 201) {
      throw new CliException(
          answer.path("message").asText("HTTP " + response.statusCode())
              + " (HTTP "
              + response.statusCode()
              + " "
              + answer.path("code").asText("error")
              + ")");
    }
    spec.commandLine().getOut().println(answer.path("shortUrl").asText());
    spec.commandLine().getOut().flush();
  }
}
