package com.cdp.infra;

import com.cdp.model.id.EnvironmentName;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One deployment environment's settings, read from {@code infra-cdk/environments/ENV.json}: the
 * organizations it serves (one data-delivery bucket each), domains, the Connector Hub URL, log
 * retention and the alarm address.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record EnvironmentConfig(
    String name,
    String region,
    List<String> organizations,
    String shortDomain,
    String realtimeDomain,
    String connectorHubUrl,
    int logRetentionDays,
    String alarmEmail) {

  public EnvironmentConfig {
    EnvironmentName.of(name);
    Objects.requireNonNull(region, "region");
    organizations = List.copyOf(organizations);
    organizations.forEach(OrganizationId::of);
    Objects.requireNonNull(shortDomain, "shortDomain");
    Objects.requireNonNull(realtimeDomain, "realtimeDomain");
    Objects.requireNonNull(connectorHubUrl, "connectorHubUrl");
    if (logRetentionDays < 1) {
      throw new IllegalArgumentException("logRetentionDays must be positive");
    }
  }

  public static EnvironmentConfig load(Path directory, String name) {
    Path file = directory.resolve(name + ".json");
    try {
      return Json.mapper().readValue(Files.readString(file), EnvironmentConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read environment configuration " + file, e);
    }
  }

  public boolean isProduction() {
    return name.startsWith("prod");
  }
}
