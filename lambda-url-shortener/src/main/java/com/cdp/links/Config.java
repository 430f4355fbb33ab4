package com.cdp.links;

import com.cdp.model.config.EnvReader;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The function's configuration, read once from its environment: {@code CDP_ENV}, {@code
 * TABLE_LINKS} (default: the environment's physical name), {@code SHORT_DOMAIN} (e.g. {@code
 * cdp.link}), {@code SHORT_URL_SCHEME} (default https), {@code SHORT_URL_PORT} (default: the
 * scheme's), {@code ORGANIZATIONS} (comma-separated ids that may own links) and {@code
 * API_KEY_PEPPER_SECRET_ARN} (the Secrets Manager secret the API-key hashes are keyed with).
 */
public record Config(
    String environment,
    String linksTable,
    ShortHosts hosts,
    Set<String> organizations,
    String pepperSecretArn) {

  public Config {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(linksTable, "linksTable");
    Objects.requireNonNull(hosts, "hosts");
    organizations = Set.copyOf(organizations);
    organizations.forEach(OrganizationId::of);
    Objects.requireNonNull(pepperSecretArn, "pepperSecretArn");
  }

  public static Config from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    Set<String> orgs = new LinkedHashSet<>();
    Arrays.stream(env.optional("ORGANIZATIONS", "").split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(orgs::add);
    return new Config(
        environment,
        env.optional("TABLE_LINKS", Tables.LINKS.physicalName(environment)),
        new ShortHosts(
            env.required("SHORT_DOMAIN"),
            env.optional("SHORT_URL_SCHEME", "https"),
            env.integer("SHORT_URL_PORT", -1, -1, 65535)),
        orgs,
        env.required("API_KEY_PEPPER_SECRET_ARN"));
  }
}
