package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.links.client.LinkInfo;
import com.cdp.links.client.LinkPage;
import com.cdp.links.client.LinkStats;
import com.cdp.links.client.QrImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./cdp links list|show|extend|revoke|qr|stats}: manage short links through the links client
 * (the same API a sending service uses), scoped by the API key's organizations.
 */
@Command(
    name = "links",
    mixinStandardHelpOptions = true,
    description = "List, show, extend, revoke short links; their QR codes and visit statistics.",
    subcommands = {
      LinksCommand.ListLinks.class,
      LinksCommand.Show.class,
      LinksCommand.Extend.class,
      LinksCommand.Revoke.class,
      LinksCommand.Qr.class,
      LinksCommand.Stats.class
    })
public final class LinksCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (list, show, extend, revoke, qr, stats)");
  }

  /** A link's organization (absent: the bare short domain) and the API options. */
  abstract static class OneLink implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CODE", description = "The link's code or slug")
    String code;

    @Option(names = "--org", description = "The link's organization (default: bare domain)")
    String org;

    @Mixin LinkApiOptions api;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    void print(LinkInfo link) {
      out().printf("code:       %s%n", link.code());
      out().printf("short URL:  %s%n", link.shortUrl());
      out().printf("status:     %s%n", link.status());
      out().printf("target:     %s%n", link.url() == null ? "-" : link.url());
      out().printf("created:    %s by key %s%n", link.createdAt(), link.createdBy());
      out().printf("expires:    %s%n", link.expiresAt() == null ? "-" : link.expiresAt());
      out()
          .printf(
              "visits:     %s%s%n",
              link.visits() == null ? "-" : link.visits(),
              link.maxVisits() == null ? "" : " of at most " + link.maxVisits());
      if (link.revokedAt() != null) {
        out().printf("revoked:    %s%n", link.revokedAt());
      }
      out().flush();
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one link.")
  static final class Show extends OneLink {
    @Override
    public void run() {
      print(api.call(c -> c.get(org, code)));
    }
  }

  @Command(
      name = "extend",
      mixinStandardHelpOptions = true,
      description = "Set the link's expiry to N days from now (the target never changes).")
  static final class Extend extends OneLink {
    @Option(names = "--days", required = true, paramLabel = "N", description = "1-365")
    int days;

    @Override
    public void run() {
      print(api.call(c -> c.extend(org, code, days)));
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke the link: it answers 410 Gone; its code is never reissued.")
  static final class Revoke extends OneLink {
    @Override
    public void run() {
      print(api.call(c -> c.revoke(org, code)));
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "Visits per day (UTC) over the last 90 days.")
  static final class Stats extends OneLink {
    @Override
    public void run() {
      LinkStats stats = api.call(c -> c.stats(org, code));
      stats.visitsPerDay().forEach((day, visits) -> out().printf("%s  %d%n", day, visits));
      out().printf("total       %d (last %d days)%n", stats.total(), stats.days());
      out().flush();
    }
  }

  @Command(
      name = "qr",
      mixinStandardHelpOptions = true,
      description = "Write the link's QR code (PNG or SVG) to a file.")
  static final class Qr extends OneLink {
    @Option(names = "--format", defaultValue = "png", description = "png or svg (default: png)")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write")
    Path file;

    @Override
    public void run() {
      QrImage image = api.call(c -> c.qr(org, code, format));
      try {
        Files.write(file, image.bytes());
      } catch (IOException e) {
        throw new CliException("cannot write " + file + ": " + e.getMessage());
      }
      out().printf("wrote %s (%s, %d bytes)%n", file, image.contentType(), image.bytes().length);
      out().flush();
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List an organization's links, one page at a time (--cursor for the next).")
  static final class ListLinks implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--org", description = "The organization (default: bare-domain links)")
    String org;

    @Option(names = "--created-by", paramLabel = "KEY_ID", description = "Only this key's links")
    String createdBy;

    @Option(names = "--cursor", description = "The cursor the previous page printed")
    String cursor;

    @Option(names = "--limit", paramLabel = "N", description = "1-100 (default: 25)")
    Integer limit;

    @Mixin LinkApiOptions api;

    @Override
    public void run() {
      LinkPage page = api.call(c -> c.list(org, createdBy, cursor, limit));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-16s  %-9s  %-24s  %8s  %s%n", "CODE", "STATUS", "EXPIRES", "VISITS", "TARGET");
      for (LinkInfo link : page.links()) {
        out.printf(
            "%-16s  %-9s  %-24s  %8s  %s%n",
            link.code(),
            link.status(),
            link.expiresAt() == null ? "-" : link.expiresAt(),
            link.visits() == null ? "-" : link.visits(),
            link.url() == null ? "-" : link.url());
      }
      if (page.nextCursor() != null) {
        out.println("next page: --cursor " + page.nextCursor());
      }
      out.flush();
    }
  }
}
