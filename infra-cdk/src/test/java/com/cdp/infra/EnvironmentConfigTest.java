package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.id.EnvironmentName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentConfigTest {
  private static EnvironmentConfig withReserved(Map<String, Integer> reserved) {
    return new EnvironmentConfig(
        "dev",
        "us-east-1",
        List.of("tcu"),
        "dev.cdp.link",
        "dev.cdp-realtime.com",
        "https://dev.cdp-hub.com",
        30,
        "oncall@example.com",
        reserved,
        null,
        null,
        null,
        null,
        null);
  }

  private static EnvironmentConfig withSources(Map<String, List<String>> sources) {
    return new EnvironmentConfig(
        "dev",
        "us-east-1",
        List.of("tcu", "demo"),
        "dev.cdp.link",
        "dev.cdp-realtime.com",
        "https://dev.cdp-hub.com",
        30,
        "oncall@example.com",
        null,
        null,
        sources,
        null,
        null,
        null);
  }

  @Test
  void connectorSources_whenAbsent_acceptNoAnnouncement() {
    assertThat(withSources(null).connectorSourceMap().allows("tcu", "cdp.connector.cdp-transfer"))
        .isFalse();
  }

  @Test
  void connectorSources_allowOnlyTheListedSourceForItsOrganization() {
    var map =
        withSources(Map.of("tcu", List.of("cdp.connector.cdp-transfer"))).connectorSourceMap();
    assertThat(map.allows("tcu", "cdp.connector.cdp-transfer")).isTrue();
    assertThat(map.allows("demo", "cdp.connector.cdp-transfer")).isFalse();
    assertThat(map.allows("tcu", "cdp.connector.other")).isFalse();
  }

  @Test
  void connectorSources_whenAnEntryIsInvalid_failsSynthNamingIt() {
    assertThatThrownBy(() -> withSources(Map.of("acme", List.of("cdp.connector.x"))))
        .hasMessageContaining("'acme' is not one of the environment's organizations");
    assertThatThrownBy(() -> withSources(Map.of("tcu", List.of("cdp.platform"))))
        .hasMessageContaining("lists 'cdp.platform'");
    assertThatThrownBy(() -> withSources(Map.of("tcu", List.of())))
        .hasMessageContaining("lists no source");
  }

  @Test
  void everyEnvironmentFile_listsConnectorSourcesOnlyForItsOwnOrganizations() throws Exception {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("environments"))) {
      for (var file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String name = file.getFileName().toString().replace(".json", "");
        EnvironmentConfig config =
            EnvironmentConfig.load(java.nio.file.Path.of("environments"), name);
        assertThat(config.organizations()).containsAll(config.connectorSources().keySet());
      }
    }
  }

  @Test
  void reservedConcurrency_whenAbsent_capsNothing() {
    EnvironmentConfig config = withReserved(null);
    assertThat(config.reservedConcurrency()).isEmpty();
    assertThat(config.reservedConcurrency("txn-loader")).isEqualTo(OptionalInt.empty());
  }

  @Test
  void reservedConcurrency_isLookedUpByFunctionName() {
    EnvironmentConfig config = withReserved(Map.of("txn-loader", 20, "relay-message", 7));
    assertThat(config.reservedConcurrency("txn-loader")).isEqualTo(OptionalInt.of(20));
    assertThat(config.reservedConcurrency("relay-message")).isEqualTo(OptionalInt.of(7));
    assertThat(config.reservedConcurrency("txn-chunker")).isEmpty();
  }

  @Test
  void reservedConcurrency_whenNegative_failsNamingTheFunction() {
    assertThatThrownBy(() -> withReserved(Map.of("txn-loader", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'txn-loader' must be at least 1 (got -1)");
  }

  @Test
  void reservedConcurrency_whenZero_failsBecauseItWouldStopTheFunction() {
    assertThatThrownBy(() -> withReserved(Map.of("txn-cleanser", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'txn-cleanser' must be at least 1 (got 0)")
        .hasMessageContaining("would stop the function");
  }

  @Test
  void reservedConcurrency_whenNull_fails() {
    Map<String, Integer> reserved = new HashMap<>();
    reserved.put("txn-loader", null);
    assertThatThrownBy(() -> withReserved(reserved))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'txn-loader' must be at least 1 (got null)");
  }

  @Test
  void reservedConcurrency_whenFunctionIsUnknown_failsListingTheFunctions() {
    assertThatThrownBy(() -> withReserved(Map.of("txn-lodaer", 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown function 'txn-lodaer'")
        .hasMessageContaining("txn-loader");
  }

  @Test
  void reservedConcurrency_whenFunctionAnswersRequests_failsBecauseCapsBecome429s() {
    for (String function : EnvironmentConfig.REQUEST_RESPONSE_FUNCTIONS) {
      assertThatThrownBy(() -> withReserved(Map.of(function, 10)))
          .as(function)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + function + "' answers API requests")
          .hasMessageContaining("429");
    }
  }

  @Test
  void reservedConcurrency_whenTotalExceedsTheEnvironmentBudget_fails() {
    assertThatThrownBy(
            () ->
                withReserved(
                    Map.of("txn-loader", 150, "relay-message", 40, "group-assignment-trigger", 11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserves 201 in total, more than 200");
    assertThat(
            withReserved(Map.of("txn-loader", 150, "relay-message", 40, "call-connector", 10))
                .reservedConcurrency("call-connector"))
        .isEqualTo(OptionalInt.of(10));
  }

  @Test
  void load_whenReservedConcurrencyIsInvalid_failsNamingTheFile(@TempDir Path dir)
      throws Exception {
    String dev = Files.readString(Path.of("environments", "dev.json"));
    Files.writeString(
        dir.resolve("dev.json"), dev.replace("\"txn-loader\": 5", "\"txn-loader\": -3"));
    assertThatThrownBy(() -> EnvironmentConfig.load(dir, "dev"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(dir.resolve("dev.json") + ": reservedConcurrency: 'txn-loader'")
        .hasMessageContaining("(got -3)");
  }

  @Test
  void everyEnvironment_reservesOnlyForAsynchronousFunctions_andProductionCapsTheLoaderAt20() {
    for (String env : EnvironmentName.AWS) {
      EnvironmentConfig config = EnvironmentConfig.load(Path.of("environments"), env);
      assertThat(config.reservedConcurrency().keySet())
          .as(env)
          .isNotEmpty()
          .doesNotContainAnyElementsOf(EnvironmentConfig.REQUEST_RESPONSE_FUNCTIONS);
    }
    assertThat(
            EnvironmentConfig.load(Path.of("environments"), "prod")
                .reservedConcurrency("txn-loader"))
        .isEqualTo(OptionalInt.of(20));
    assertThat(
            EnvironmentConfig.load(Path.of("environments"), "dev")
                .reservedConcurrency("txn-loader"))
        .isEqualTo(OptionalInt.of(5));
  }

  @Test
  void segmint_isOptional_andWhenSetNeedsAnHttpsEndpointAPartnerIdAndTheCredentialsSecret() {
    assertThat(withReserved(null).segmintSettings()).isEmpty();
    EnvironmentConfig.Segmint defaults =
        new EnvironmentConfig.Segmint(
            "https://dataservices.segmint.net", "cu-42", "cdp/dev/segmint", null, null);
    assertThat(defaults.requestsPerSecond()).isEqualTo(5);
    assertThat(defaults.concurrency()).isEqualTo(4);
    assertThat(defaults.requestsPerSecondPerContainer(2)).isEqualTo(2);
    assertThat(defaults.requestsPerSecondPerContainer(10)).as("never zero").isEqualTo(1);
    assertThatThrownBy(
            () -> new EnvironmentConfig.Segmint("http://segmint.example", "p", "k", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https URL");
    assertThatThrownBy(() -> new EnvironmentConfig.Segmint("not a url", "p", "k", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new EnvironmentConfig.Segmint("https://segmint.example", "p/1", "k", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partnerId");
    assertThatThrownBy(
            () -> new EnvironmentConfig.Segmint("https://segmint.example", "p", " ", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentialsSecret");
    assertThatThrownBy(
            () -> new EnvironmentConfig.Segmint("https://segmint.example", "p", "k", 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestsPerSecond");
  }

  @Test
  void segmint_overPlainHttp_isAllowedOnlyOnALoopbackAddress_theLocalSimulator() {
    for (String local :
        List.of(
            "http://127.0.0.1:4510/segmint",
            "http://localhost:4510/segmint",
            "http://127.1.2.3/segmint",
            "http://[::1]:4510/segmint")) {
      assertThat(new EnvironmentConfig.Segmint(local, "p", "k", null, null).endpoint())
          .isEqualTo(local);
    }
    for (String remote :
        List.of(
            "http://segmint.example/",
            "http://localhost.segmint.example/",
            "http://127.0.0.1.nip.io/",
            "http://128.0.0.1/",
            "http://10.0.0.1/",
            "http://[::2]/",
            "ftp://127.0.0.1/")) {
      assertThatThrownBy(() -> new EnvironmentConfig.Segmint(remote, "p", "k", null, null))
          .as(remote)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("loopback");
    }
  }

  @Test
  void localEnvironment_cleansesWithTheLocalSegmintSimulator_overLoopbackHttp() {
    EnvironmentConfig local = EnvironmentConfig.load(Path.of("environments"), "local");
    EnvironmentConfig.Segmint segmint = local.segmintSettings().orElseThrow();
    assertThat(java.net.URI.create(segmint.endpoint()).getHost()).isEqualTo("127.0.0.1");
    assertThat(segmint.credentialsSecret()).isEqualTo("cdp/local/segmint-credentials");
    assertThat(local.reservedConcurrency(com.cdp.model.wiring.Triggers.Functions.TXN_CLEANSER))
        .hasValue(1);
  }

  @Test
  void segmint_withoutACapOnTheCleanser_isRefused_becauseTheRateLimitCouldNotBeSplit() {
    EnvironmentConfig dev = EnvironmentConfig.load(Path.of("environments"), "dev");
    EnvironmentConfig.Segmint segmint =
        new EnvironmentConfig.Segmint("https://dataservices.segmint.net", "p", "k", 10, 4);
    assertThatThrownBy(
            () ->
                new EnvironmentConfig(
                    dev.name(),
                    dev.region(),
                    dev.organizations(),
                    dev.shortDomain(),
                    dev.realtimeDomain(),
                    dev.connectorHubUrl(),
                    dev.logRetentionDays(),
                    dev.alarmEmail(),
                    Map.of("txn-loader", 5),
                    segmint,
                    dev.connectorSources(),
                    dev.logging(),
                    dev.realtimeReplayWindowHours(),
                    dev.expiredLinkPages()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("txn-cleanser");
  }

  @Test
  void expiredLinkPages_mustBeHttpsPagesOfTheEnvironmentsOrganizations() {
    EnvironmentConfig dev = EnvironmentConfig.load(Path.of("environments"), "dev");
    java.util.function.Function<Map<String, String>, EnvironmentConfig> with =
        pages ->
            new EnvironmentConfig(
                dev.name(),
                dev.region(),
                dev.organizations(),
                dev.shortDomain(),
                dev.realtimeDomain(),
                dev.connectorHubUrl(),
                dev.logRetentionDays(),
                dev.alarmEmail(),
                dev.reservedConcurrency(),
                dev.segmint(),
                dev.connectorSources(),
                dev.logging(),
                dev.realtimeReplayWindowHours(),
                pages);
    assertThat(with.apply(Map.of("tcu", "https://a.example/x")).expiredLinkPagesSetting())
        .isEqualTo("tcu=https://a.example/x");
    assertThatThrownBy(() -> with.apply(Map.of("nobody", "https://a.example/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody");
    assertThatThrownBy(() -> with.apply(Map.of("tcu", "http://a.example/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(() -> with.apply(Map.of("tcu", "https://a.example/x,y")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
