package com.cdp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LocalCommandTest {
  @Test
  void local_whenTheS3PortIsInUse_exitsNonZeroWithOneLine() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      CommandLine cli = CdpCommand.commandLine();
      cli.setErr(new PrintWriter(err));
      int code =
          cli.execute(
              "local",
              "--data-dir",
              java.nio.file.Files.createTempDirectory("cdp").toString(),
              "--gateway-port",
              "0",
              "--dynamodb-port",
              "0",
              "--s3-port",
              String.valueOf(busy.getLocalPort()));

      assertThat(code).isEqualTo(1);
      assertThat(err.toString().strip())
          .isEqualTo(
              "cdp: port "
                  + busy.getLocalPort()
                  + " (S3 stand-in) is already in use: stop the other process or choose another port");
    }
  }

  @Test
  void unknownCommand_andMissingOptions_areUsageErrors() {
    CommandLine cli = CdpCommand.commandLine();
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("nonsense")).isEqualTo(2);
    assertThat(cli.execute("session", "create", "--org", "tcu")).isEqualTo(2);
  }

  @Test
  void sessionCreate_withInvalidOrg_saysWhy() {
    StringWriter err = new StringWriter();
    CommandLine cli = CdpCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("session", "create", "--org", "TCU!", "--member", "m1");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("cdp: organization id must be 2-32 lowercase letters");
  }
}
