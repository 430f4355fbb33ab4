package com.cdp.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Path placeholder;
    try {
      placeholder = Files.createTempDirectory("cdk-code");
      Files.writeString(placeholder.resolve("README"), "placeholder asset for synthesis tests");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EnvironmentConfig config = EnvironmentConfig.load(Path.of("environments"), env);
    return new PlatformStack(
        new App(),
        "cdp-" + env,
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
