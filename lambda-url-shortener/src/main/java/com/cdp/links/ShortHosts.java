package com.cdp.links;

import com.cdp.model.id.OrganizationId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The short domain and the hosts under it: the bare domain ({@code cdp.link}; locally {@code
 * localhost}) and one host per organization ({@code tcu.cdp.link}; locally {@code tcu.localhost}).
 * Builds short URLs ({@code scheme://host[:port]/code}) and tells which scope a request's host
 * serves.
 */
public record ShortHosts(String domain, String scheme, int port) {
  private static final Pattern ORG_LABEL = Pattern.compile("[a-z0-9-]{2,32}");

  /** {@code port} is -1 for the scheme's default port. */
  public ShortHosts {
    Objects.requireNonNull(domain, "domain");
    domain = domain.toLowerCase(Locale.ROOT);
    if (!domain.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
      throw new IllegalArgumentException("short domain must be a host name (got " + domain + ")");
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("short URL scheme must be http or https");
    }
    if (port != -1 && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("port must be -1 or 1-65535");
    }
  }

  /** The scope a host serves, or empty when the host is not the short domain or under it. */
  public Optional<LinkScope> scopeOf(String host) {
    if (host == null) {
      return Optional.empty();
    }
    String h = withoutPort(host.strip().toLowerCase(Locale.ROOT));
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals(domain)) {
      return Optional.of(LinkScope.BARE);
    }
    if (h.endsWith("." + domain)) {
      String label = h.substring(0, h.length() - domain.length() - 1);
      if (ORG_LABEL.matcher(label).matches()) {
        return Optional.of(LinkScope.of(OrganizationId.of(label)));
      }
    }
    return Optional.empty();
  }

  /** The host that serves a scope, e.g. {@code tcu.cdp.link}. */
  public String hostOf(LinkScope scope) {
    return scope.organization().map(o -> o.value() + "." + domain).orElse(domain);
  }

  public String shortUrl(LinkScope scope, String code) {
    return scheme + "://" + hostOf(scope) + (port == -1 ? "" : ":" + port) + "/" + code;
  }

  /** Whether a URL host is the short domain or under it (a link to a short link would loop). */
  public boolean isShortHost(String host) {
    // "tcu.cdp.link." (a fully qualified name) is the same host as "tcu.cdp.link".
    String h = host.toLowerCase(Locale.ROOT);
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.equals(domain) || h.endsWith("." + domain);
  }

  static String withoutPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(0, end + 1) : host;
    }
    int colon = host.lastIndexOf(':');
    return colon > 0 ? host.substring(0, colon) : host;
  }
}
