package com.cdp.infra;

import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app. {@code cdk synth -c env=dev} synthesizes one environment; without {@code env}, all
 * of them. Function jars must be built first ({@code mvn -B package -DskipTests}).
 */
public final class CdpApp {
  public static final String VERSION = "0.1.0-SNAPSHOT";

  private CdpApp() {}

  public static void main(String[] args) {
    App app = new App();
    Path infraDir = Path.of("").toAbsolutePath();
    Path repoRoot = infraDir.getParent();
    Object requested = app.getNode().tryGetContext("env");
    FunctionCode code = FunctionCode.built(repoRoot, VERSION);
    for (String name : com.cdp.model.id.EnvironmentName.AWS) {
      if (requested != null && !requested.equals(name)) {
        continue;
      }
      EnvironmentConfig config = EnvironmentConfig.load(infraDir.resolve("environments"), name);
      PlatformStack stack =
          new PlatformStack(
              app,
              com.cdp.model.config.ResourceNames.stack(name),
              StackProps.builder()
                  .env(
                      Environment.builder()
                          .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                          .region(config.region())
                          .build())
                  .build(),
              config,
              code);
      PlatformNag.apply(stack);
    }
    app.synth();
  }
}
