package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.local.iam.AccessLog;
import com.cdp.local.iam.IamPolicies;
import com.cdp.local.iam.IamReader;
import com.cdp.local.template.CloudAssembly;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./cdp iam}: what the local IAM front door saw. {@code denials} lists the calls it refused
 * (or, in soft mode, would have) while the platform runs; {@code unused} lists the template's
 * grants that no recorded call used (least privilege: run the end-to-end suite first).
 */
@Command(
    name = "iam",
    mixinStandardHelpOptions = true,
    description = "The local IAM front door's denials and the template's unused grants.",
    subcommands = {IamCommand.Denials.class, IamCommand.Unused.class})
public final class IamCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Path accessLogDir(Path dataDir) {
    return (dataDir == null ? LocalEndpoints.dataDir() : dataDir.toAbsolutePath()).resolve("iam");
  }

  /** What both subcommands share: the data directory option and reading the access log. */
  abstract static class AccessLogReport implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--data-dir",
        description = "The local platform's data directory (default: .cdp-local)")
    Path dataDir;

    /** Prints the report from the access log directory. */
    abstract void print(PrintWriter out, Path accessLog) throws IOException;

    @Override
    public void run() {
      try {
        print(spec.commandLine().getOut(), accessLogDir(dataDir));
      } catch (IOException e) {
        throw new CliException("cannot read the IAM access log: " + e.getMessage());
      }
    }
  }

  @Command(
      name = "denials",
      mixinStandardHelpOptions = true,
      description = "Calls the front door denied: function, action, resource, count.")
  static final class Denials extends AccessLogReport {
    @Override
    void print(PrintWriter out, Path accessLog) throws IOException {
      List<AccessLog.Denial> denials = AccessLog.readDenials(accessLog);
      if (denials.isEmpty()) {
        out.println("no denied calls recorded");
        return;
      }
      for (AccessLog.Denial d : denials) {
        out.printf("%-28s %-36s %s (%dx)%n", d.function(), d.action(), d.resource(), d.count());
      }
    }
  }

  @Command(
      name = "unused",
      mixinStandardHelpOptions = true,
      description = "Grants in the template (role, action, resource) that no recorded call used.")
  static final class Unused extends AccessLogReport {
    @Override
    void print(PrintWriter out, Path accessLog) throws IOException {
      Path repoRoot = LocalEndpoints.repoRoot();
      Path assembly = repoRoot.resolve("infra-cdk/target/cdk-local");
      CloudAssembly.ensure(repoRoot, assembly);
      IamPolicies policies = IamReader.read(assembly);
      List<AccessLog.UnusedGrant> unused =
          AccessLog.unusedGrants(policies, AccessLog.readUsage(accessLog));
      for (AccessLog.UnusedGrant g : unused) {
        out.printf("%-60s %-32s %s%n", g.role(), g.action(), g.resource());
      }
      out.printf("%d grants unused%n", unused.size());
    }
  }
}
