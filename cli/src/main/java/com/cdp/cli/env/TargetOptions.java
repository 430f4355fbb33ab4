package com.cdp.cli.env;

import picocli.CommandLine.Option;

/**
 * {@code --env ENV} and {@code --production}, mixed into every command that talks to the platform.
 * Without {@code --env} (and without {@code $CDP_ENV}) commands act on the local platform.
 */
public final class TargetOptions {
  @Option(
      names = "--env",
      paramLabel = "ENV",
      defaultValue = "${env:CDP_ENV}",
      description =
          "Environment to act on: dev qa hot xat cat prod devadp ... (default: $CDP_ENV, else the"
              + " local platform)")
  String environment;

  @Option(
      names = "--production",
      description = "Allow acting on prod or prodadp (refused without it)")
  boolean production;

  @Option(
      names = "--data-dir",
      description = "The local platform's data directory (default: $CDP_LOCAL_DIR or .cdp-local)")
  java.nio.file.Path dataDir;

  private static volatile Target current;

  /** The local platform's data directory ({@code --data-dir}, else the default). */
  public java.nio.file.Path dataDir() {
    return dataDir == null ? com.cdp.cli.LocalEndpoints.dataDir() : dataDir.toAbsolutePath();
  }

  /**
   * The target, resolved once per command. Says on stderr which environment it is when not local.
   */
  public Target target(java.io.PrintWriter err) {
    Target target = TargetResolver.standard(dataDir()).resolve(environment, production);
    if (!target.isLocal()) {
      err.println("cdp: environment " + target.environment() + " (" + target.region().id() + ")");
      err.flush();
    }
    current = target;
    return target;
  }

  /** The environment the running command acts on, for error messages ("local" before any). */
  public static String currentEnvironment() {
    Target t = current;
    return t == null ? "local" : t.environment();
  }

  /** The AWS service the running command called last and its endpoint, if any. */
  public static java.util.Optional<String> currentCall() {
    Target t = current;
    return t == null ? java.util.Optional.empty() : t.lastCall();
  }
}
