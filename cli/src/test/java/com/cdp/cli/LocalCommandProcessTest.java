package com.cdp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.testing.RepoRoot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./cdp local} as a real process: prints working endpoints, and SIGTERM stops everything.
 */
class LocalCommandProcessTest {
  private static final Pattern ENDPOINT =
      Pattern.compile("^export AWS_ENDPOINT_URL_(S3|DYNAMODB)=(\\S+)$");

  @Test
  void local_printsWorkingEndpoints_andSigtermLeavesNoProcessBehind(@TempDir Path data)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CdpCommand.class.getName(),
                "local",
                "--data-dir",
                data.toString(),
                "--gateway-port",
                "0",
                "--s3-port",
                "0",
                "--dynamodb-port",
                "0")
            .redirectErrorStream(true);
    builder.environment().put("CDP_HOME", RepoRoot.find().toString());
    Process process = builder.start();
    List<String> output = new ArrayList<>();
    URI s3 = null;
    URI dynamo = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl-C")) {
        output.add(line);
        Matcher m = ENDPOINT.matcher(line);
        if (m.matches()) {
          if (m.group(1).equals("S3")) {
            s3 = URI.create(m.group(2));
          } else {
            dynamo = URI.create(m.group(2));
          }
        }
      }
      assertThat(s3).as("output: %s", output).isNotNull();
      assertThat(dynamo).as("output: %s", output).isNotNull();
      assertThat(Files.exists(data.resolve("endpoints.json"))).isTrue();

      try (S3Client s3Client = S3Clients.s3(AwsTarget.local(s3));
          DynamoDbClient dynamoDb = AwsClients.dynamoDb(AwsTarget.local(dynamo))) {
        assertThat(s3Client.listBuckets().buckets())
            .extracting(b -> b.name())
            .contains("tcu-data-delivery", "cdp-local-logs");
        assertThat(dynamoDb.listTables().tableNames())
            .contains("cdp-local-warehouse", "cdp-local-sessions");
      }

      List<ProcessHandle> children = process.descendants().toList();
      assertThat(children).as("dynalite runs as a child process").isNotEmpty();

      process.destroy(); // SIGTERM, as Ctrl-C or a service manager would
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
        assertThat(child.isAlive()).as("child %s", child.pid()).isFalse();
      }
      assertThat(Files.exists(data.resolve("endpoints.json"))).isFalse();
    } finally {
      process.destroyForcibly();
    }
  }
}
