package com.cdp.cli.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.cli.CdpCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MockTransactionsCommandTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = CdpCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void sameSeed_givesTheSameBytes_andAnotherSeedDoesNot() {
    Run a = run("mock-transactions", "--org", "tcu", "--members", "5", "--seed", "7");
    Run b = run("mock-transactions", "--org", "tcu", "--members", "5", "--seed", "7");
    Run c = run("mock-transactions", "--org", "tcu", "--members", "5", "--seed", "8");
    assertThat(a.exit()).isZero();
    assertThat(a.out()).isEqualTo(b.out()).isNotEqualTo(c.out());
    assertThat(a.out())
        .startsWith("memberId,accountId,transactionId,postedDate,amount,description");
  }

  @Test
  void badRows_injectsExactlyThatManyRows_andTheSummarySaysSo() {
    Run r =
        run(
            "mock-transactions",
            "--org",
            "tcu",
            "--members",
            "4",
            "--days",
            "3",
            "--bad-rows",
            "9",
            "--summary");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().filter(l -> l.contains("INJECTED BAD ROW"))).hasSize(9);
    long rows = r.out().lines().count() - 1;
    assertThat(r.err()).contains("rows=" + rows).contains("bad=9");
  }

  @Test
  void missingOrganization_failsWithOneLine() {
    Run r = run("mock-transactions");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("--org");
  }

  @Test
  void invalidOrganization_failsWithTheReason() {
    Run r = run("mock-transactions", "--org", "Not An Org");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("cdp: organization id must be");
  }
}
