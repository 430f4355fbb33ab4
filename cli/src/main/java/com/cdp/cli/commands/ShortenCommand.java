package com.cdp.cli.commands;

import com.cdp.links.client.ShortenRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./cdp shorten URL}: creates a short link with the links client ({@code POST /links}). */
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
      names = "--max-visits",
      description = "The link answers 410 after this many visits",
      paramLabel = "N")
  Long maxVisits;

  @Mixin LinkApiOptions api;

  @Override
  public void run() {
    ShortenRequest request = ShortenRequest.of(url).organization(org);
    if (expiresInDays != null) {
      request = request.expiresInDays(expiresInDays);
    }
    if (slug != null) {
      request = request.slug(slug);
    }
    if (maxVisits != null) {
      request = request.maxVisits(maxVisits);
    }
    ShortenRequest finalRequest = request;
    String shortUrl = api.call(client -> client.shorten(finalRequest).shortUrl());
    spec.commandLine().getOut().println(shortUrl);
    spec.commandLine().getOut().flush();
  }
}
