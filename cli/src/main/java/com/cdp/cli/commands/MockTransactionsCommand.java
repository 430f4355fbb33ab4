package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import com.cdp.warehouse.mock.MockTransactions;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./cdp mock-transactions}: writes a realistic transactions CSV (CONTRACTS 1a) to standard
 * output, the same bytes for the same options and seed, streamed row by row.
 */
@Command(
    name = "mock-transactions",
    mixinStandardHelpOptions = true,
    description = {
      "Write a realistic, deterministic transactions CSV to standard output.",
      "Example: ./cdp mock-transactions --org tcu --members 50 --bad-rows 3 > /tmp/t.csv"
    })
public final class MockTransactionsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--org",
      required = true,
      description =
          "Organization the file is for (the bucket it is uploaded to decides; not written)")
  String org;

  @Option(
      names = "--members",
      defaultValue = "20",
      description = "Members (default ${DEFAULT-VALUE})")
  int members;

  @Option(
      names = "--accounts-per-member",
      defaultValue = "2",
      description = "Accounts per member (default ${DEFAULT-VALUE})")
  int accountsPerMember;

  @Option(
      names = "--days",
      defaultValue = "7",
      description = "Days of history (default ${DEFAULT-VALUE})")
  int days;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--bad-rows",
      defaultValue = "0",
      description = "Malformed rows to inject, each with one defect the chunker rejects")
  int badRows;

  @Option(
      names = "--end-date",
      description = "Last posted date, ISO (default 2026-11-27, fixed so output is reproducible)")
  String endDate;

  @Option(names = "--summary", description = "Print row counts to standard error when done")
  boolean summary;

  @Override
  public void run() {
    try {
      OrganizationId.of(org);
    } catch (ValidationException e) {
      throw new CliException(e.getMessage());
    }
    LocalDate end;
    try {
      end = endDate == null ? MockTransactions.DEFAULT_END_DATE : LocalDate.parse(endDate);
    } catch (DateTimeParseException e) {
      throw new CliException("--end-date must be an ISO date like 2026-11-27");
    }
    if (members < 1 || accountsPerMember < 1 || days < 1 || badRows < 0) {
      throw new CliException("--members, --accounts-per-member and --days must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    BufferedWriter writer = new BufferedWriter(out, 1 << 16);
    MockTransactions.Summary s =
        MockTransactions.write(
            new MockTransactions.Options(members, accountsPerMember, days, seed, badRows, end),
            writer);
    out.flush();
    if (summary) {
      spec.commandLine()
          .getErr()
          .printf(
              "rows=%d good=%d bad=%d accounts=%d%n",
              s.rows(), s.goodRows(), s.badRows(), s.accounts().size());
    }
  }
}
