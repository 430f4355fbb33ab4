package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.local.runtime.FunctionPool;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import com.cdp.local.template.TemplateException;
import com.cdp.model.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./cdp functions list|template|invoke|logs|failures}: the functions of the synthesized
 * local template, run from their deployed {@code -lambda.jar} on the local Lambda Runtime API
 * (issue 14's template path), their logs and their on-failure records.
 */
@Command(
    name = "functions",
    mixinStandardHelpOptions = true,
    description =
        "The functions of the synthesized local CDK template: list, template summary, invoke one"
            + " from its -lambda.jar, tail its log, on-failure records.",
    subcommands = {
      FunctionsCommand.ListFunctions.class,
      FunctionsCommand.Template.class,
      FunctionsCommand.Invoke.class,
      FunctionsCommand.Logs.class,
      FunctionsCommand.Failures.class
    })
public final class FunctionsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (list, template, invoke, logs, failures)");
  }

  /** Where {@code ./cdp} keeps the local cloud assembly. */
  static Path assemblyDir(Path repoRoot) {
    return repoRoot.resolve("infra-cdk/target/cdk-local");
  }

  /** Synthesizes the local template if its sources changed, and reads it. */
  static LocalTemplate template(PrintWriter err) {
    Path repoRoot = LocalEndpoints.repoRoot();
    try {
      return com.cdp.local.platform.PlatformTemplate.load(
          repoRoot,
          line -> {
            err.println("cdp: " + line);
            err.flush();
          });
    } catch (TemplateException e) {
      throw new CliException("the local template cannot run: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new CliException(e.getMessage());
    }
  }

  /** A function by its name, its module ({@code lambda-txn-loader}) or its short name. */
  static LocalTemplate.Function find(LocalTemplate template, String name) {
    return template.functions().stream()
        .filter(
            f ->
                f.name().equals(name)
                    || f.module()
                        .map(m -> m.equals(name) || m.equals("lambda-" + name))
                        .orElse(false))
        .findFirst()
        .orElseThrow(
            () ->
                new CliException(
                    "no function '" + name + "' in the local template (see ./cdp functions list)"));
  }

  static String shortName(LocalTemplate.Function f) {
    return f.module().map(m -> m.replaceFirst("^lambda-", "")).orElse(f.name());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The template's functions.")
  static final class ListFunctions implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      LocalTemplate template = template(spec.commandLine().getErr());
      for (LocalTemplate.Function f : template.functions()) {
        out.printf(
            "%-26s %5d MB %4d s  %-34s %s%n",
            shortName(f), f.memoryMb(), f.timeoutSeconds(), f.name(), f.handler());
      }
      out.flush();
    }
  }

  @Command(
      name = "template",
      mixinStandardHelpOptions = true,
      description = "Resources of the local template by type: read and run, or not emulated.")
  static final class Template implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      template(spec.commandLine().getErr()).summary().forEach(out::println);
      out.flush();
    }
  }

  @Command(
      name = "invoke",
      mixinStandardHelpOptions = true,
      description = {
        "Invoke a function once from its -lambda.jar, in its own JVM on the local Runtime API,"
            + " against the running local platform (./cdp local). Prints the result; exits 1 when"
            + " the function fails."
      })
  static final class Invoke implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "function (e.g. url-shortener)")
    String name;

    @Option(names = "--payload", description = "the event as JSON (default {})")
    String payload = "{}";

    @Override
    public void run() {
      LocalTemplate template = template(spec.commandLine().getErr());
      LocalEndpoints endpoints = LocalEndpoints.load();
      Path dataDir = LocalEndpoints.dataDir();
      try (FunctionPool pool = pool(template, endpoints, dataDir, LocalEndpoints.repoRoot())) {
        LocalTemplate.Function function = runnable(template, endpoints, name);
        InvocationResult result = pool.invoke(function, payload.getBytes(StandardCharsets.UTF_8));
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.payloadText());
        out.flush();
        spec.commandLine()
            .getErr()
            .println("cdp: request " + result.requestId() + "; log: " + pool.logFile(function));
        if (result.failed()) {
          throw new CliException("the function failed (" + result.functionError().get() + ")");
        }
      }
    }

    /** The template's function with its gateway URLs pointed at the running platform's. */
    static LocalTemplate.Function runnable(
        LocalTemplate template, LocalEndpoints endpoints, String name) {
      String gatewayOrigin = endpoints.gatewayUrl().toString().replaceAll("/$", "");
      // local.json names the gateway at its default port (the hub URL); the running platform may
      // listen elsewhere.
      String templateOrigin =
          "http://127.0.0.1:" + com.cdp.local.platform.LocalOptions.DEFAULT_GATEWAY_PORT;
      LocalTemplate.Function declared = find(template, name);
      Map<String, String> environment = new java.util.TreeMap<>();
      declared
          .environment()
          .forEach(
              (k, v) ->
                  environment.put(
                      k,
                      v.startsWith(templateOrigin)
                          ? gatewayOrigin + v.substring(templateOrigin.length())
                          : v));
      return declared.withEnvironment(environment);
    }

    /**
     * A pool whose JVMs call AWS as the running platform's own function JVMs do: through its IAM
     * front door (the endpoints it wrote), signed as their execution role with keys derived from
     * the platform's master key.
     */
    static FunctionPool pool(
        LocalTemplate template, LocalEndpoints endpoints, Path dataDir, Path repoRoot) {
      Path ric = repoRoot.resolve("local-runtime/target/ric-classpath.txt");
      String ricClasspath;
      try {
        ricClasspath = Files.readString(ric).trim();
      } catch (IOException e) {
        throw new CliException("local-runtime is not built (" + ric + " missing)");
      }
      Path file = com.cdp.local.platform.LocalPlatform.functionEndpointsFile(dataDir);
      Map<String, String> env = new java.util.TreeMap<>();
      try {
        Json.tree(Files.readString(file))
            .fields()
            .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      } catch (IOException e) {
        throw new CliException(
            "the running platform wrote no function endpoints ("
                + file
                + "): restart it with './cdp local'");
      }
      com.cdp.local.iam.IamPolicies policies =
          com.cdp.local.iam.IamReader.read(assemblyDir(repoRoot));
      com.cdp.local.iam.LocalCredentials credentials =
          com.cdp.local.iam.LocalCredentials.load(dataDir.resolve("iam"));
      FunctionPool pool =
          new FunctionPool(
              FunctionPool.Settings.defaults(ricClasspath, env, dataDir), template.region());
      pool.signAsRoles(
          f ->
              policies
                  .roleOfFunction(f.name())
                  .map(r -> credentials.forFunction(r.name(), r.arn(), f.name()).environment()));
      return pool;
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "Print a function's log (.cdp-local/functions/NAME.log); --follow tails it.")
  static final class Logs implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "function (e.g. txn-loader)")
    String name;

    @Option(names = "--follow", description = "keep printing new lines (Ctrl-C stops)")
    boolean follow;

    @Override
    public void run() {
      LocalTemplate.Function function = find(template(spec.commandLine().getErr()), name);
      Path file = LocalEndpoints.dataDir().resolve("functions").resolve(function.name() + ".log");
      if (!Files.isRegularFile(file) && !follow) {
        throw new CliException("no log yet for " + function.name() + " (" + file + ")");
      }
      PrintWriter out = spec.commandLine().getOut();
      long position = 0;
      try {
        do {
          if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
              in.skipNBytes(Math.min(position, Files.size(file)));
              byte[] more = in.readAllBytes();
              position += more.length;
              out.print(new String(more, StandardCharsets.UTF_8));
              out.flush();
            }
          }
          if (follow) {
            Thread.sleep(500);
          }
        } while (follow);
      } catch (IOException e) {
        throw new CliException("cannot read " + file + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Command(
      name = "failures",
      mixinStandardHelpOptions = true,
      description =
          "On-failure destinations (.cdp-local/destinations/*.ndjson) with their record counts;"
              + " --show NAME prints one's records.")
  static final class Failures implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--show", description = "print the records of this destination")
    String show;

    @Override
    public void run() {
      Path dir = LocalEndpoints.dataDir().resolve("destinations");
      PrintWriter out = spec.commandLine().getOut();
      try {
        if (show != null) {
          Path file = dir.resolve(show.endsWith(".ndjson") ? show : show + ".ndjson");
          if (!Files.isRegularFile(file)) {
            throw new CliException("no destination '" + show + "' (" + file + ")");
          }
          Files.readAllLines(file).forEach(out::println);
        } else if (Files.isDirectory(dir)) {
          try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
              List<String> lines = Files.readAllLines(file);
              out.printf(
                  "%-50s %d%n",
                  file.getFileName().toString().replaceFirst("\\.ndjson$", ""), lines.size());
            }
          }
        }
      } catch (IOException e) {
        throw new CliException("cannot read " + dir + ": " + e.getMessage());
      }
      out.flush();
    }
  }
}
