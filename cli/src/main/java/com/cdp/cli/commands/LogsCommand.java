package com.cdp.cli.commands;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.cli.CliException;
import com.cdp.cli.env.Target;
import com.cdp.cli.env.TargetOptions;
import com.cdp.cli.logging.AthenaLogEngine;
import com.cdp.cli.logging.DuckDbLogEngine;
import com.cdp.cli.logging.LogQueryEngine;
import com.cdp.cli.logging.LogQueryException;
import com.cdp.cli.logging.LogQueryResult;
import com.cdp.cli.logging.LogTrace;
import com.cdp.cli.logging.ResultPrinter;
import com.cdp.cli.logging.TraceReport;
import com.cdp.local.platform.logging.LocalLogStore;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * {@code ./cdp logs query "SQL"} and {@code ./cdp logs trace TRANSACTION_ID}: SQL over the platform
 * logs, one table per log type, with DuckDB over the local store or, with {@code --athena}, Athena.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Query the platform logs: one table per log type (web, app, agw, hub, connector, container)"
          + " with the same columns locally (DuckDB over the local store) and in AWS (Athena).",
      "Columns: time, transactionId, server, success, durationMs, trimmed, fields (map), events"
          + " (list of {action, description, detail, caller, server, success, time, transactionId,"
          + " type}), cold_start, function_name, function_version, function_request_id,"
          + " xray_trace_id, and the partition columns environment, organizationID, logType, year, month,"
          + " day, hour (zero-padded strings)."
    },
    subcommands = {LogsCommand.Query.class, LogsCommand.Trace.class})
public final class LogsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (query, trace)");
  }

  /** Where a query runs: the local store (default) or Athena. */
  static final class EngineOptions {
    @Option(
        names = "--athena",
        description = "Run the query with Athena instead of the local store (needs --workgroup).")
    boolean athena;

    @Option(
        names = "--workgroup",
        paramLabel = "W",
        description =
            "Athena workgroup, e.g. cdp-dev-logs (it sets the results location and the bytes-scanned limit).")
    String workGroup;

    @Option(
        names = "--database",
        description =
            "Glue database (default: the workgroup's name with '_' for '-', e.g. cdp_dev_logs).")
    String database;

    @Option(
        names = "--timeout",
        defaultValue = "PT10M",
        description =
            "How long to wait for an Athena query (ISO-8601 duration, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
        names = "--athena-endpoint",
        hidden = true,
        description = "Athena endpoint override (tests).")
    URI athenaEndpoint;

    @Mixin TargetOptions targetOptions = new TargetOptions();

    /**
     * The local store for the local platform; Athena with {@code --athena} or for a deployed
     * environment (its workgroup unless {@code --workgroup} names another).
     */
    LogQueryEngine open(java.io.PrintWriter err) {
      Target target = targetOptions.target(err);
      if (!athena && target.isLocal()) {
        if (workGroup != null) {
          throw new CliException("--workgroup needs --athena");
        }
        return DuckDbLogEngine.open(LocalLogStore.directory(targetOptions.dataDir()));
      }
      String group = workGroup;
      if (group == null || group.isBlank()) {
        if (target.isLocal()) {
          throw new CliException(
              "--athena needs --workgroup W (e.g. cdp-dev-logs) or --env ENV (its workgroup)");
        }
        group = target.logsWorkGroup();
      }
      AwsTarget aws;
      if (athenaEndpoint != null) {
        aws = AwsTarget.local(athenaEndpoint);
      } else if (target.isLocal()) {
        // --athena without --env: Athena in the region and account of the caller's AWS chain.
        aws = AwsTarget.fromEnvironment();
      } else {
        aws = target.aws("athena");
      }
      AthenaClient client = AwsClients.build(AthenaClient.builder(), aws);
      return new AthenaLogEngine(
          client,
          group,
          database != null ? database : AthenaLogEngine.defaultDatabase(group),
          timeout);
    }
  }

  static LogQueryResult execute(EngineOptions options, String sql, java.io.PrintWriter err) {
    try (LogQueryEngine engine = options.open(err)) {
      return engine.query(sql);
    } catch (LogQueryException e) {
      // Athena's failures name the environment and endpoint; the local store's are plain.
      throw new CliException(
          TargetOptions.currentCall()
                  .map(call -> "[" + TargetOptions.currentEnvironment() + "] " + call + ": ")
                  .orElse("")
              + e.getMessage());
    }
  }

  @Command(
      name = "query",
      mixinStandardHelpOptions = true,
      description = {
        "Run SQL over the log tables and print the result.",
        "Example: ./cdp logs query \"SELECT organizationID, count(*) AS n FROM web"
            + " WHERE year='2026' AND month='11' GROUP BY 1\""
      })
  static final class Query implements Runnable {
    @Spec CommandSpec spec;
    @Mixin EngineOptions engine = new EngineOptions();

    @Parameters(index = "0", paramLabel = "SQL", description = "The statement to run.")
    String sql;

    @Option(
        names = "--format",
        defaultValue = "table",
        description = "table, csv or json (one object per line); default ${DEFAULT-VALUE}.")
    String format;

    @Override
    public void run() {
      ResultPrinter.Format output;
      try {
        output = ResultPrinter.Format.parse(format);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
      if (sql == null || sql.isBlank()) {
        throw new CliException("the SQL statement is empty");
      }
      LogQueryResult result = execute(engine, sql, spec.commandLine().getErr());
      ResultPrinter.print(result, output, spec.commandLine().getOut());
    }
  }

  @Command(
      name = "trace",
      mixinStandardHelpOptions = true,
      description =
          "Print the event timeline of one transaction across all services, in time order.")
  static final class Trace implements Runnable {
    @Spec CommandSpec spec;
    @Mixin EngineOptions engine = new EngineOptions();

    @Parameters(
        index = "0",
        paramLabel = "TRANSACTION_ID",
        description = "The transactionId (x-transaction-id).")
    String transactionId;

    @Option(
        names = "--from",
        description = "First UTC day (YYYY-MM-DD) to search; recommended with --athena.")
    String from;

    @Option(names = "--to", description = "Last UTC day (YYYY-MM-DD) to search (default: --from).")
    String to;

    @Option(
        names = "--format",
        defaultValue = "text",
        description =
            "text (steps with duration and success, their events, a summary line) or json (one"
                + " object: transactionId, summary, steps); default ${DEFAULT-VALUE}.")
    String format;

    @Override
    public void run() {
      LocalDate first = day(from, "--from");
      LocalDate last = to == null ? first : day(to, "--to");
      if (engine.athena && first == null) {
        throw new CliException(
            "--athena needs --from (and --to): without a day range Athena would project every partition");
      }
      String sql;
      try {
        sql = LogTrace.sql(transactionId, first, last);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
      LogQueryResult result = execute(engine, sql, spec.commandLine().getErr());
      PrintWriter out = spec.commandLine().getOut();
      if (result.rows().isEmpty()) {
        throw new CliException("no log messages with transactionId " + transactionId);
      }
      TraceReport report = TraceReport.of(transactionId, result);
      switch (format.toLowerCase(java.util.Locale.ROOT)) {
        case "json" -> report.printJson(out);
        case "text" -> report.printText(out);
        default -> throw new CliException("--format must be text or json (got " + format + ")");
      }
      out.flush();
    }

    private static LocalDate day(String text, String option) {
      if (text == null) {
        return null;
      }
      try {
        return LocalDate.parse(text);
      } catch (DateTimeParseException e) {
        throw new CliException(option + " must be a day like 2026-11-28 (got " + text + ")");
      }
    }
  }
}
