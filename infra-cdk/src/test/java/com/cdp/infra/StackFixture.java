package com.cdp.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes an environment's stack with placeholder function code, for Template assertions. */
public final class StackFixture {
  private static final java.util.Map<String, Template> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private StackFixture() {}

  public static PlatformStack stack(String env) {
    return stack(EnvironmentConfig.load(Path.of("environments"), env));
  }

  /** An environment's configuration with other organizations and Segmint settings. */
  public static EnvironmentConfig changed(
      EnvironmentConfig config, List<String> organizations, EnvironmentConfig.Segmint segmint) {
    return new EnvironmentConfig(
        config.name(),
        config.region(),
        organizations,
        config.shortDomain(),
        config.realtimeDomain(),
        config.connectorHubUrl(),
        config.logRetentionDays(),
        config.alarmEmail(),
        config.reservedConcurrency(),
        segmint,
        config.connectorSources().entrySet().stream()
            .filter(e -> organizations.contains(e.getKey()))
            .collect(java.util.stream.Collectors.toMap(e -> e.getKey(), e -> e.getValue())),
        config.logging(),
        config.realtimeReplayWindowHours(),
        config.expiredLinkPages());
  }

  /** A stack of a configuration a test made (for settings no environment file has yet). */
  public static PlatformStack stack(EnvironmentConfig config) {
    Path placeholder;
    try {
      placeholder = Files.createTempDirectory("cdk-code");
      Files.writeString(placeholder.resolve("README"), "placeholder asset for synthesis tests");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PlatformStack(
        new App(),
        "cdp-" + config.name(),
        StackProps.builder()
            .env(Environment.builder().account("123456789012").region(config.region()).build())
            .build(),
        config,
        FunctionCode.placeholder(placeholder));
  }

  /** The synthesized template of an environment (synthesized once per test JVM). */
  public static Template template(String env) {
    return CACHE.computeIfAbsent(env, e -> Template.fromStack(stack(e)));
  }
}
