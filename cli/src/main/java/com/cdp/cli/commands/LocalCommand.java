package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.standin.StandInException;
import com.cdp.model.id.OrganizationId;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./cdp local}: runs the whole platform on this machine until Ctrl-C or SIGTERM. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole platform locally in the foreground (Ctrl-C stops it).",
      "Data (DynamoDB, S3, secrets, logs) is kept under the data directory and survives restarts."
    })
public final class LocalCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--gateway-port",
      description = "HTTP/WebSocket gateway port (default ${DEFAULT-VALUE})")
  int gatewayPort = LocalOptions.DEFAULT_GATEWAY_PORT;

  @Option(names = "--s3-port", description = "S3 stand-in port (default ${DEFAULT-VALUE})")
  int s3Port = LocalOptions.DEFAULT_S3_PORT;

  @Option(
      names = "--dynamodb-port",
      description = "DynamoDB stand-in port (default ${DEFAULT-VALUE})")
  int dynamoDbPort = LocalOptions.DEFAULT_DYNAMODB_PORT;

  @Option(
      names = "--data-dir",
      description = "Where data is kept (default: .cdp-local in the repository)")
  Path dataDir;

  @Option(
      names = "--org",
      description = "Organizations to create data-delivery buckets for (default: tcu, demo, mcu)",
      split = ",")
  List<String> organizations = List.of("tcu", "demo", "mcu");

  @Option(
      names = "--iam",
      description =
          "IAM for function JVMs: enforce (default) refuses calls their role does not allow, soft only"
              + " logs and counts them, off checks nothing")
  String iam = "enforce";

  @Override
  public void run() {
    try {
      System.setProperty(
          LocalPlatform.IAM_MODE_PROPERTY,
          com.cdp.local.iam.IamMode.parse(iam).name().toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    Path data = dataDir == null ? LocalEndpoints.dataDir() : dataDir.toAbsolutePath();
    Path repoRoot = LocalEndpoints.repoRoot();
    refuseIfAlreadyRunning(data);
    List<OrganizationId> orgs = organizations.stream().map(OrganizationId::of).toList();
    long started = System.nanoTime();
    LocalPlatform platform;
    try {
      platform =
          LocalPlatform.start(new LocalOptions(data, repoRoot, gatewayPort, s3Port, dynamoDbPort));
    } catch (StandInException e) {
      throw new CliException(e.getMessage());
    } catch (com.cdp.local.template.TemplateException e) {
      throw new CliException("the local template cannot run: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new CliException(e.getMessage());
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  spec.commandLine().getOut().println("\nstopping the local platform...");
                  spec.commandLine().getOut().flush();
                  LocalEndpointsAccess.delete(data);
                  List<String> denials =
                      platform
                          .frontDoor()
                          .map(com.cdp.local.iam.FrontDoor::denialReport)
                          .orElse(List.of());
                  platform.close();
                  if (!denials.isEmpty()) {
                    spec.commandLine()
                        .getOut()
                        .println("IAM denials (function, action, resource):");
                    denials.forEach(spec.commandLine().getOut()::println);
                    spec.commandLine().getOut().flush();
                  }
                },
                "cdp-local-stop"));
    try {
      orgs.forEach(platform::ensureOrganization);
      LocalEndpointsAccess.write(
          new LocalEndpoints(
              platform.gatewayUrl(),
              platform.s3Target().endpoint().orElseThrow(),
              platform.dynamoDbTarget().endpoint().orElseThrow()),
          data);
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
    printBanner(platform, data, orgs, (System.nanoTime() - started) / 1_000_000);
    printTemplate(platform);
    // Run until the JVM is asked to stop; the shutdown hook then stops the platform. (Returning to
    // main, which calls System.exit, from inside a shutdown would block the JVM forever.)
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What the platform runs from the synthesized local CDK template: one line per resource type with
   * counts, the types it does not emulate, and the template triggers left to in-process areas or
   * not emulated.
   */
  private void printTemplate(LocalPlatform platform) {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Local CDK template (./cdp functions list|template|invoke|logs|failures):");
    platform.template().summary().forEach(out::println);
    platform.triggerReport().forEach(line -> out.println("  " + line));
    out.flush();
  }

  private void refuseIfAlreadyRunning(Path data) {
    Path file = data.resolve(LocalEndpoints.FILE);
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      long pid = com.cdp.model.json.Json.tree(Files.readString(file)).path("pid").asLong(-1);
      if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw new CliException(
            "the local platform is already running (pid " + pid + "); stop it first");
      }
    } catch (java.io.IOException | IllegalArgumentException stale) {
      // unreadable or stale: start anyway and overwrite it
    }
  }

  private void printBanner(
      LocalPlatform platform, Path data, List<OrganizationId> orgs, long millis) {
    PrintWriter out = spec.commandLine().getOut();
    String gateway = platform.gatewayUrl().toString();
    String s3 = platform.s3Target().endpoint().orElseThrow().toString();
    String dynamo = platform.dynamoDbTarget().endpoint().orElseThrow().toString();
    out.printf("CDP local platform is up in %.1f s (data in %s)%n", millis / 1000.0, data);
    out.printf(
        "  gateway      %s   (HTTP API; WebSocket %s/realtime)%n",
        gateway, gateway.replace("http:", "ws:"));
    out.printf("  S3           %s%n", s3);
    out.printf("  DynamoDB     %s%n", dynamo);
    out.printf("  EventBridge  %s/_aws/events%n", gateway);
    out.printf("  Hub (sim.)   %s%n", platform.hubBaseUrl());
    out.printf(
        "  buckets      %s%n",
        String.join(", ", orgs.stream().map(o -> platform.buckets().dataDelivery(o)).toList()));
    for (var service : platform.services()) {
      for (String hint : service.hints(platform)) {
        out.printf("  %-12s %s%n", service.name(), hint);
      }
    }
    out.println();
    out.println("To use the AWS CLI or an SDK against it:");
    out.println(
        "export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1");
    out.println("export AWS_ENDPOINT_URL_S3=" + s3);
    out.println("export AWS_ENDPOINT_URL_DYNAMODB=" + dynamo);
    out.println("export AWS_ENDPOINT_URL_EVENTBRIDGE=" + gateway + "/_aws/events");
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  /** Package bridge to the endpoints file (its writer is package-private in com.cdp.cli). */
  private static final class LocalEndpointsAccess {
    static void write(LocalEndpoints endpoints, Path data) {
      try {
        com.cdp.cli.EndpointsFile.write(endpoints, data, ProcessHandle.current().pid());
      } catch (java.io.IOException e) {
        throw new CliException(
            "cannot write " + data.resolve(LocalEndpoints.FILE) + ": " + e.getMessage());
      }
    }

    static void delete(Path data) {
      com.cdp.cli.EndpointsFile.delete(data);
    }
  }
}
