package com.cdp.cli.commands;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.cli.env.Target;
import com.cdp.cli.env.TargetOptions;
import com.cdp.model.ValidationException;
import com.cdp.model.json.Json;
import com.cdp.schedules.ConnectorSchedule;
import com.cdp.schedules.ConnectorSchedules;
import com.cdp.schedules.ScheduleExpression;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@code ./cdp hub calls|schedules|run}: the Connector Hub side of the local platform: the calls
 * the simulator recorded, the configured schedules, and firing one schedule now.
 */
@Command(
    name = "hub",
    mixinStandardHelpOptions = true,
    description =
        "Connector Hub calls on the local platform: recorded calls, schedules, run one now.",
    subcommands = {HubCommand.Calls.class, HubCommand.Schedules.class, HubCommand.Run.class})
public final class HubCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (calls, schedules, run)");
  }

  @Command(
      name = "calls",
      mixinStandardHelpOptions = true,
      description = "Print the calls the hub simulator recorded, oldest first.")
  static final class Calls implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--org", description = "Only this organization's calls")
    String org;

    @Option(names = "--connector", description = "Only this connector's calls")
    String connector;

    @Option(
        names = "--last",
        description = "Only the last N calls (default: all)",
        paramLabel = "N")
    Integer last;

    @Option(names = "--json", description = "Print the recorded JSON lines as they are")
    boolean json;

    @Option(
        names = "--data-dir",
        hidden = true,
        description = "The local platform's data directory")
    Path dataDir;

    @Override
    public void run() {
      Path file = LocalFiles.of(dataDir).hubCalls();
      List<JsonNode> calls = new ArrayList<>();
      if (Files.isRegularFile(file)) {
        try {
          for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
              continue;
            }
            JsonNode call = Json.tree(line);
            if ((org == null || org.equals(call.path("organizationId").asText()))
                && (connector == null || connector.equals(call.path("connector").asText()))) {
              calls.add(call);
            }
          }
        } catch (IOException | IllegalArgumentException e) {
          throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
      }
      if (last != null && calls.size() > last) {
        calls = calls.subList(calls.size() - last, calls.size());
      }
      PrintWriter out = spec.commandLine().getOut();
      for (JsonNode call : calls) {
        if (json) {
          out.println(Json.write(call));
        } else {
          out.printf(
              "%s  %-10s %s/%s/%s  tx=%s  %s%n",
              call.path("at").asText(),
              call.path("organizationId").asText(),
              call.path("connector").asText(),
              call.path("version").asText(),
              call.path("method").asText(),
              call.path("transactionId").asText("-"),
              Json.write(call.path("body")));
        }
      }
      if (calls.isEmpty() && !json) {
        spec.commandLine().getErr().println("no hub calls recorded yet (" + file + ")");
      }
      out.flush();
    }
  }

  @Command(
      name = "schedules",
      mixinStandardHelpOptions = true,
      description =
          "List the schedules of config/schedules.json that run locally, with their next fire time.")
  static final class Schedules implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--environment",
        description = "Show another environment's schedules (default: local)")
    String environment = "local";

    @Override
    public void run() {
      ConnectorSchedules config = load().forEnvironment(environment);
      PrintWriter out = spec.commandLine().getOut();
      Instant now = Instant.now();
      for (ConnectorSchedule s : config.schedules()) {
        String next;
        if (s.expression() instanceof ScheduleExpression.Rate rate) {
          next =
              "every "
                  + rate.period().toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                  + " from platform start";
        } else {
          try {
            next = "next " + s.expression().next(now, now, s.timezone());
          } catch (IllegalStateException e) {
            next = "never again";
          }
        }
        out.printf(
            "%-28s %-22s %-10s %-36s %s%n",
            s.name(),
            s.expression().expression(),
            s.request().organizationId(),
            s.request().path(),
            next);
      }
      config
          .eventCalls()
          .forEach(
              c ->
                  out.printf(
                      "%-28s %-22s %-10s %-36s on %s%n",
                      c.name(),
                      "event",
                      "(event)",
                      c.connector() + "/" + c.version() + "/" + c.method(),
                      c.pattern()));
      out.flush();
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Invoke the call-connector function now with a schedule's payload (Lambda Invoke API).")
  static final class Run implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "SCHEDULE",
        description = "A schedule name (see 'hub schedules')")
    String name;

    @Mixin TargetOptions targetOptions = new TargetOptions();

    @Override
    public void run() {
      ConnectorSchedule schedule =
          load()
              .schedule(name)
              .orElseThrow(
                  () ->
                      new CliException(
                          "no schedule named " + name + " in " + ConnectorSchedules.FILE));
      Target target = targetOptions.target(spec.commandLine().getErr());
      InvokeResponse response;
      try (LambdaClient lambda = lambda(target.aws("lambda"))) {
        response =
            lambda.invoke(
                r ->
                    r.functionName(target.callConnectorFunction())
                        .payload(
                            SdkBytes.fromByteArray(Json.writeBytes(schedule.request().toJson()))));
      }
      String body = response.payload().asUtf8String();
      if (response.functionError() != null) {
        throw new CliException(
            "the invocation failed (it would be retried): "
                + Json.tree(body).path("errorMessage").asText());
      }
      spec.commandLine().getOut().println(body);
    }
  }

  /**
   * A Lambda client that waits for a whole synchronous invoke (the function's timeout is longer
   * than the SDK defaults) and never retries it: a retried run would call the connector twice.
   */
  private static LambdaClient lambda(AwsTarget aws) {
    LambdaClientBuilder builder =
        LambdaClient.builder()
            .region(aws.region())
            .credentialsProvider(aws.credentials())
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(AwsClients.CONNECT_TIMEOUT)
                    .socketTimeout(INVOKE_TIMEOUT)
                    .build())
            .overrideConfiguration(
                c ->
                    c.apiCallTimeout(INVOKE_TIMEOUT)
                        .retryStrategy(DefaultRetryStrategy.doNotRetry()));
    aws.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** Longer than the call-connector function's own timeout. */
  static final Duration INVOKE_TIMEOUT = Duration.ofSeconds(90);

  static ConnectorSchedules load() {
    Path file = LocalEndpoints.repoRoot().resolve(ConnectorSchedules.FILE);
    if (!Files.isRegularFile(file)) {
      throw new CliException("no " + file);
    }
    try {
      return ConnectorSchedules.load(file);
    } catch (ValidationException e) {
      throw new CliException(e.getMessage());
    }
  }
}
