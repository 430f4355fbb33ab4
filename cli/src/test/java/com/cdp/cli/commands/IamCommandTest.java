package com.cdp.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IamCommandTest {
  @TempDir Path dataDir;

  private String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new IamCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    int exit = cli.execute(args);
    assertThat(exit).as(out.toString()).isZero();
    return out.toString();
  }

  @Test
  void denials_readsTheAccessLogOfTheGivenDataDirectory() throws Exception {
    Files.createDirectories(dataDir.resolve("iam"));
    Files.writeString(
        dataDir.resolve("iam/denials.json"),
        "[{\"function\":\"txn-loader\",\"action\":\"dynamodb:PutItem\","
            + "\"resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/x\",\"count\":3}]",
        StandardCharsets.UTF_8);

    String out = run("denials", "--data-dir", dataDir.toString());

    assertThat(out).contains("txn-loader").contains("dynamodb:PutItem").contains("(3x)");
  }

  @Test
  void denials_withoutRecordedDenials_saysSo() {
    assertThat(run("denials", "--data-dir", dataDir.toString()))
        .contains("no denied calls recorded");
  }
}
