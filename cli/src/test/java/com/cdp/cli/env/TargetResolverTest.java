package com.cdp.cli.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.model.config.ResourceNames;
import com.cdp.model.id.EnvironmentName;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetResolverTest {
  static final Path ENVIRONMENTS = RepoRoot.find().resolve("infra-cdk").resolve("environments");
  static final LocalEndpoints RUNNING =
      new LocalEndpoints(
          URI.create("http://127.0.0.1:4510"),
          URI.create("http://127.0.0.1:4511"),
          URI.create("http://127.0.0.1:4512"));

  final AtomicInteger describeCalls = new AtomicInteger();

  TargetResolver resolver(Path environments) {
    return new TargetResolver(
        environments,
        () -> RUNNING,
        target -> {
          describeCalls.incrementAndGet();
          return Map.of(
              ResourceNames.OUTPUT_TRANSACTIONS_API,
              "https://abc123.execute-api." + target.region().id() + ".amazonaws.com",
              ResourceNames.OUTPUT_REALTIME_API,
              "https://def456.execute-api." + target.region().id() + ".amazonaws.com",
              ResourceNames.OUTPUT_CALL_CONNECTOR,
              "arn:aws:lambda:us-east-1:111111111111:function:cdp-call-connector:live");
        });
  }

  @Test
  void resolve_withoutEnvironment_isTheRunningLocalPlatform() {
    Target target = resolver(ENVIRONMENTS).resolve(null, false);

    assertThat(target.isLocal()).isTrue();
    assertThat(target.environment()).isEqualTo("local");
    assertThat(target.transactionsApi()).isEqualTo(RUNNING.gatewayUrl());
    assertThat(target.linksApi()).isEqualTo(RUNNING.gatewayUrl());
    assertThat(target.realtimeWebSocket()).hasToString("ws://127.0.0.1:4510/realtime");
    assertThat(target.aws("dynamodb").endpoint()).contains(RUNNING.dynamoDbUrl());
    assertThat(target.aws("s3").endpoint()).contains(RUNNING.s3Url());
    assertThat(target.aws("events").endpoint())
        .contains(URI.create("http://127.0.0.1:4510/_aws/events"));
    assertThat(target.table(Tables.SESSIONS)).isEqualTo(Tables.SESSIONS.physicalName("local"));
    assertThat(target.eventBus()).isEqualTo("local");
    assertThat(describeCalls).hasValue(0);
  }

  @Test
  void resolve_dev_takesDomainsFromItsFile_andApisFromTheStackOutputs_onlyWhenNeeded() {
    Target target = resolver(ENVIRONMENTS).resolve("dev", false);

    assertThat(target.isLocal()).isFalse();
    assertThat(target.region().id()).isEqualTo("us-east-1");
    assertThat(target.table(Tables.SESSIONS)).isEqualTo("cdp-dev-sessions");
    assertThat(target.buckets().dataDelivery(com.cdp.model.id.OrganizationId.of("tcu")))
        .isEqualTo("cdp-dev-tcu-data-delivery");
    assertThat(target.eventBus()).isEqualTo("cdp-dev-platform");
    assertThat(target.logsWorkGroup()).isEqualTo("cdp-dev-logs");
    // AWS services: the SDK's own endpoint resolution (AWS_ENDPOINT_URL_* included).
    assertThat(target.aws("dynamodb").endpoint()).isEmpty();
    assertThat(describeCalls).hasValue(0);

    assertThat(target.realtimeWebSocket()).hasToString("wss://dev.cdp-realtime.com");
    assertThat(target.linksApi()).hasToString("https://dev.cdp.link");
    assertThat(target.transactionsApi().getHost()).startsWith("abc123.execute-api");
    assertThat(target.realtimeApi().getHost()).startsWith("def456.execute-api");
    assertThat(target.callConnectorFunction()).endsWith(":live");
    assertThat(describeCalls).hasValue(1);
  }

  @Test
  void resolve_everyAwsEnvironment_hasItsOwnRegionAndDomains() {
    for (String name : EnvironmentName.AWS) {
      Target target = resolver(ENVIRONMENTS).resolve(name, true);
      assertThat(target.environment()).isEqualTo(name);
      assertThat(target.realtimeWebSocket().getScheme()).isEqualTo("wss");
      assertThat(target.linksApi().getScheme()).isEqualTo("https");
    }
  }

  @Test
  void resolve_production_isRefusedWithoutTheFlag() {
    for (String name : TargetResolver.PRODUCTION) {
      assertThatThrownBy(() -> resolver(ENVIRONMENTS).resolve(name, false))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("--production");
      assertThat(resolver(ENVIRONMENTS).resolve(name, true).environment()).isEqualTo(name);
    }
  }

  @Test
  void resolve_unknownEnvironment_isAClearError() {
    assertThatThrownBy(() -> resolver(ENVIRONMENTS).resolve("staging", false))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("environment must be one of");
  }

  @Test
  void resolve_missingOrBrokenEnvironmentFile_namesTheFile(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> resolver(dir).resolve("qa", false))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(dir.resolve("qa.json").toString());
    Files.writeString(dir.resolve("qa.json"), "{not json");
    assertThatThrownBy(() -> resolver(dir).resolve("qa", false))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("cannot read");
  }

  @Test
  void resolve_fileWithEndpoints_usesThemInsteadOfTheStack(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("qa.json"),
        """
        {"name":"qa","region":"us-west-2","shortDomain":"qa.cdp.link",
         "realtimeDomain":"qa.cdp-realtime.com",
         "endpoints":{"transactionsApi":"http://127.0.0.1:9000","realtimeApi":"http://127.0.0.1:9001",
                      "realtimeWebSocket":"ws://127.0.0.1:9000/realtime",
                      "callConnectorFunction":"call-connector"}}
        """);
    Target target = resolver(dir).resolve("qa", false);

    assertThat(target.isLocal()).isFalse();
    assertThat(target.region().id()).isEqualTo("us-west-2");
    assertThat(target.transactionsApi()).hasToString("http://127.0.0.1:9000");
    assertThat(target.realtimeWebSocket()).hasToString("ws://127.0.0.1:9000/realtime");
    assertThat(target.linksApi()).hasToString("https://qa.cdp.link");
    assertThat(target.callConnectorFunction()).isEqualTo("call-connector");
    assertThat(describeCalls).hasValue(0);
  }

  @Test
  void endpoint_missingFromTheStack_isAClearError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("hot.json"), "{\"region\":\"us-east-1\"}");
    Target target = new TargetResolver(dir, () -> RUNNING, t -> Map.of()).resolve("hot", false);

    assertThatThrownBy(target::transactionsApi)
        .isInstanceOf(CliException.class)
        .hasMessageContaining("hot has no " + ResourceNames.OUTPUT_TRANSACTIONS_API);
    assertThatThrownBy(target::realtimeWebSocket)
        .isInstanceOf(CliException.class)
        .hasMessageContaining("realtimeDomain");
  }
}
