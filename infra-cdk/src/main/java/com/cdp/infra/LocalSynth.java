package com.cdp.infra;

import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * Synthesizes the {@code local} environment's stack into a cloud assembly for {@code ./cdp local}:
 * {@code java -cp ... com.cdp.infra.LocalSynth REPO_ROOT OUT_DIR}. Asset staging is disabled, so
 * the assembly's asset manifest names each function's shaded {@code -lambda.jar} where the build
 * left it (the local platform runs that very file) instead of a copy.
 */
public final class LocalSynth {
  /** The stack name of the local environment in the assembly. */
  public static final String STACK = "cdp-local";

  /** The account the local platform answers for (pseudo parameter {@code AWS::AccountId}). */
  public static final String ACCOUNT = "000000000000";

  private LocalSynth() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: LocalSynth REPO_ROOT OUT_DIR");
      System.exit(2);
    }
    Path repoRoot = Path.of(args[0]).toAbsolutePath();
    synthesize(
        repoRoot, Path.of(args[1]).toAbsolutePath(), FunctionCode.built(repoRoot, CdpApp.VERSION));
  }

  /** Writes the local stack's template and asset manifest into {@code outDir}. */
  public static void synthesize(Path repoRoot, Path outDir, FunctionCode code) {
    App app =
        new App(
            AppProps.builder()
                .outdir(outDir.toString())
                .context(Map.of("aws:cdk:disable-asset-staging", true))
                .build());
    EnvironmentConfig config =
        EnvironmentConfig.load(repoRoot.resolve("infra-cdk").resolve("environments"), "local");
    new PlatformStack(
        app,
        STACK,
        StackProps.builder()
            .env(Environment.builder().account(ACCOUNT).region(config.region()).build())
            .build(),
        config,
        code);
    app.synth();
  }
}
