package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.id.EnvironmentName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every environment file has its own short domain and realtime domain: two environments answering
 * on one host would resolve each other's links (and a link's organization host {@code ORG.<short
 * domain>} must not be another environment's bare short domain either).
 */
class EnvironmentDomainsTest {
  private static List<EnvironmentConfig> allEnvironmentFiles() throws IOException {
    List<EnvironmentConfig> configs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("environments"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        configs.add(EnvironmentConfig.load(file.getParent(), name));
      }
    }
    return configs;
  }

  @Test
  void environmentFiles_coverEveryAwsEnvironment() throws IOException {
    assertThat(allEnvironmentFiles().stream().map(EnvironmentConfig::name))
        .containsAll(EnvironmentName.AWS);
  }

  @Test
  void everyEnvironment_hasItsOwnShortDomain() throws IOException {
    Map<String, String> owner = new HashMap<>();
    for (EnvironmentConfig config : allEnvironmentFiles()) {
      String domain = config.shortDomain().toLowerCase(Locale.ROOT);
      assertThat(owner.putIfAbsent(domain, config.name()))
          .as("short domain %s of %s is also used by", domain, config.name())
          .isNull();
    }
  }

  @Test
  void everyEnvironment_hasItsOwnRealtimeDomain() throws IOException {
    Map<String, String> owner = new HashMap<>();
    for (EnvironmentConfig config : allEnvironmentFiles()) {
      String domain = config.realtimeDomain().toLowerCase(Locale.ROOT);
      assertThat(owner.putIfAbsent(domain, config.name()))
          .as("realtime domain %s of %s is also used by", domain, config.name())
          .isNull();
    }
  }

  @Test
  void noOrganizationHost_isAnotherEnvironmentsShortDomain() throws IOException {
    List<EnvironmentConfig> configs = allEnvironmentFiles();
    for (EnvironmentConfig a : configs) {
      for (EnvironmentConfig b : configs) {
        if (a == b) {
          continue;
        }
        for (String org : b.organizations()) {
          assertThat(a.shortDomain().toLowerCase(Locale.ROOT))
              .as("%s's short domain is the host of organization %s in %s", a.name(), org, b.name())
              .isNotEqualTo(org + "." + b.shortDomain().toLowerCase(Locale.ROOT));
        }
      }
    }
  }
}
