package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.cli.local.connectors.ConnectorsLocal;
import com.cdp.model.ValidationException;
import com.cdp.model.connector.ConnectorSchedule;
import com.cdp.model.connector.ConnectorSchedules;
import com.cdp.model.connector.ScheduleExpression;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

    @Option(
        names = "--data-dir",
        hidden = true,
        description = "The local platform's data directory")
    Path dataDir;

    @Override
    public void run() {
      ConnectorSchedule schedule =
          load()
              .schedule(name)
              .orElseThrow(
                  () ->
                      new CliException(
                          "no schedule named " + name + " in " + ConnectorSchedules.FILE));
      URI gateway = LocalFiles.of(dataDir).endpoints().gatewayUrl();
      HttpResponse<String> response;
      try {
        response =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()
                .send(
                    HttpRequest.newBuilder(URI.create(gateway + ConnectorsLocal.INVOKE_PATH))
                        .timeout(Duration.ofSeconds(60))
                        .header("content-type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                Json.write(schedule.request().toJson())))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new CliException("cannot reach " + gateway + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted");
      }
      if (response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
        throw new CliException(
            "the invocation failed (it would be retried): "
                + Json.tree(response.body()).path("errorMessage").asText());
      }
      if (response.statusCode() != 200) {
        throw new CliException("invoke answered HTTP " + response.statusCode());
      }
      spec.commandLine().getOut().println(response.body());
    }
  }

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
