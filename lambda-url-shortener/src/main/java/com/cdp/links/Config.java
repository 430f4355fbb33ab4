package com.cdp.links;

import com.cdp.model.config.EnvReader;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The function's configuration, read once from its environment: {@code CDP_ENV}, {@code
 * TABLE_LINKS} (default: the environment's physical name), {@code SHORT_DOMAIN} (e.g. {@code
 * cdp.link}), {@code SHORT_URL_SCHEME} (default https), {@code SHORT_URL_PORT} (default: the
 * scheme's), {@code SHORT_URL_ORIGIN} (optional, e.g. {@code http://127.0.0.1:4510}: short URLs
 * take this origin's scheme and port instead; the local environment names its gateway so, and the
 * local platform moves that origin to the gateway's actual port), {@code ORGANIZATIONS}
 * (comma-separated ids that may own links) and {@code API_KEY_PEPPER_SECRET_ARN} (the Secrets
 * Manager secret the API-key hashes are keyed with), {@code CURSOR_SECRET_ARN} (the secret {@code
 * GET /links} cursors are signed with) and the optional {@code EXPIRED_LINK_PAGES} ({@code
 * org=https://...,org2=https://...}: where expired links of an organization send visitors instead
 * of answering 403).
 */
record Config(
    String environment,
    String linksTable,
    ShortHosts hosts,
    Set<String> organizations,
    String pepperSecretArn,
    String cursorSecretArn,
    Map<String, String> expiredLinkPages) {

  public Config {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(linksTable, "linksTable");
    Objects.requireNonNull(hosts, "hosts");
    organizations = Set.copyOf(organizations);
    organizations.forEach(OrganizationId::of);
    Objects.requireNonNull(pepperSecretArn, "pepperSecretArn");
    Objects.requireNonNull(cursorSecretArn, "cursorSecretArn");
    expiredLinkPages = Map.copyOf(expiredLinkPages);
  }

  /** Parses {@code org=https://...,org2=https://...}; each page must be an http(s) URL. */
  static Map<String, String> expiredLinkPages(String value) {
    Map<String, String> pages = new LinkedHashMap<>();
    for (String entry : value.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] kv = entry.strip().split("=", 2);
      if (kv.length != 2 || !kv[1].matches("https?://\\S+")) {
        throw new IllegalStateException(
            "configuration: EXPIRED_LINK_PAGES entries are org=https://... (got " + entry + ")");
      }
      pages.put(OrganizationId.of(kv[0]).value(), kv[1]);
    }
    return pages;
  }

  public static Config from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    Set<String> orgs = new LinkedHashSet<>();
    Arrays.stream(env.optional("ORGANIZATIONS", "").split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(orgs::add);
    String domain = env.required("SHORT_DOMAIN");
    ShortHosts hosts =
        env.optional("SHORT_URL_ORIGIN")
            .filter(s -> !s.isBlank())
            .map(origin -> originHosts(domain, origin))
            .orElseGet(
                () ->
                    new ShortHosts(
                        domain,
                        env.optional("SHORT_URL_SCHEME", "https"),
                        env.integer("SHORT_URL_PORT", -1, -1, 65535)));
    return new Config(
        environment,
        env.optional("TABLE_LINKS", Tables.LINKS.physicalName(environment)),
        hosts,
        orgs,
        env.required("API_KEY_PEPPER_SECRET_ARN"),
        env.required("CURSOR_SECRET_ARN"),
        expiredLinkPages(env.optional("EXPIRED_LINK_PAGES", "")));
  }

  /** The short domain with the scheme and port of {@code SHORT_URL_ORIGIN} ({@code http://h:p}). */
  static ShortHosts originHosts(String domain, String origin) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(origin.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("configuration: SHORT_URL_ORIGIN is not a URL: " + origin);
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null) {
      throw new IllegalStateException(
          "configuration: SHORT_URL_ORIGIN must be an http(s) origin like http://127.0.0.1:4510"
              + " (got "
              + origin
              + ")");
    }
    return new ShortHosts(domain, scheme, uri.getPort());
  }
}
