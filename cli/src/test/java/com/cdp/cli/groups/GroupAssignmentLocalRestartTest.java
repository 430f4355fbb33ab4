package com.cdp.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.cli.EndpointsFile;
import com.cdp.cli.LocalEndpoints;
import com.cdp.groups.task.GroupDirectory;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.groups.GroupAssignmentLocal;
import com.cdp.local.platform.groups.GroupSeed;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Seed loading across restarts, the task in a JVM of its own and the {@code ./cdp groups} commands.
 */
class GroupAssignmentLocalRestartTest {
  private static final OrganizationId ORG = OrganizationId.of("tcu");

  private static LocalPlatform start(Path data, Path seed) {
    return LocalPlatform.start(
        LocalOptions.forTests(data, RepoRoot.find()), List.of(new GroupAssignmentLocal(seed)));
  }

  private static GroupDirectory directory(LocalPlatform platform) {
    return new GroupDirectory(
        platform.dynamoDb(), platform.tableName(Tables.GROUPS), Clock.systemUTC());
  }

  @Test
  void theRepositorysSeed_isValid() {
    GroupSeed seed = GroupSeed.read(RepoRoot.find().resolve(GroupAssignmentLocal.DEFAULT_SEED));
    assertThat(seed.organizationIds()).contains(OrganizationId.of("tcu"));
  }

  @Test
  void restart_doesNotPutBackAMembershipAnUploadRemoved_butAChangedSeedIsLoaded(@TempDir Path dir)
      throws Exception {
    Path seed = GroupAssignmentLocalTest.writeSeed(dir);
    Path data = dir.resolve("data");
    try (LocalPlatform platform = start(data, seed)) {
      platform
          .s3()
          .putObject(
              r -> r.bucket("tcu-data-delivery").key("group-assignments/out.csv"),
              RequestBody.fromString("memberId,tileGroup,action\ns-1,Gold,remove\n"));
      assertThat(platform.awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(directory(platform).isMember(ORG, TileGroupName.of("Gold"), MemberId.of("s-1")))
          .isFalse();
    }
    try (LocalPlatform platform = start(data, seed)) {
      assertThat(directory(platform).isMember(ORG, TileGroupName.of("Gold"), MemberId.of("s-1")))
          .isFalse();
    }
    Files.writeString(
        seed,
        Files.readString(seed)
            .replace("\"name\": \"Gold\"}", "\"name\": \"Gold\"}, {\"name\": \"Silver\"}"));
    try (LocalPlatform platform = start(data, seed)) {
      assertThat(directory(platform).tileGroups(ORG))
          .extracting(g -> g.name().value())
          .contains("Silver");
    }
  }

  @Test
  void theTask_runsAsAContainerWould_inAJvmOfItsOwn(@TempDir Path dir) throws Exception {
    Path seed = GroupAssignmentLocalTest.writeSeed(dir);
    try (LocalPlatform platform = start(dir.resolve("data"), seed)) {
      platform
          .s3()
          .putObject(
              r -> r.bucket("tcu-data-delivery").key("group-assignments/jvm.csv"),
              RequestBody.fromString("memberId,tileGroup,action\nj-1,Savers,add\n"));
      assertThat(platform.awaitIdle(Duration.ofSeconds(90))).isTrue();

      String report =
          platform
              .s3()
              .getObjectAsBytes(
                  r ->
                      r.bucket("tcu-data-delivery")
                          .key("group-assignments/reports/jvm.report.json"))
              .asString(StandardCharsets.UTF_8);
      assertThat(report).contains("\"status\" : \"completed\"");
      assertThat(directory(platform).isMember(ORG, TileGroupName.of("Savers"), MemberId.of("j-1")))
          .isTrue();
    }
  }

  @Test
  void groupsCommands_defineEnrollListAndShowOnTheRunningPlatform(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    try (LocalPlatform platform = start(data, dir.resolve("no-seed.json"))) {
      EndpointsFile.write(
          new LocalEndpoints(
              platform.gatewayUrl(),
              platform.s3Target().endpoint().orElseThrow(),
              platform.dynamoDbTarget().endpoint().orElseThrow()),
          data,
          ProcessHandle.current().pid());

      assertThat(
              cdp(
                  data,
                  "groups",
                  "define",
                  "--org",
                  "demo",
                  "--group",
                  "Savers",
                  "--group",
                  "Gold Club"))
          .contains("defined demo / Savers", "defined demo / Gold Club");
      assertThat(
              cdp(
                  data,
                  "groups",
                  "enroll",
                  "--org",
                  "demo",
                  "--member",
                  "a-1",
                  "--enrollment",
                  "partial"))
          .contains("demo / a-1: partial");
      platform
          .s3()
          .putObject(
              r -> r.bucket("demo-data-delivery").key("group-assignments/demo.csv"),
              RequestBody.fromString("memberId,tileGroup,action\na-1,Gold Club,add\n"));
      assertThat(platform.awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(cdp(data, "groups", "list", "--org", "demo"))
          .anyMatch(l -> l.matches("Gold Club\\s+1 member .*"));
      assertThat(cdp(data, "groups", "show", "--org", "demo", "--member", "a-1"))
          .containsExactly("enrollment: partial", "groups:     Gold Club");
      assertThat(cdp(data, "groups", "show", "--org", "demo", "--group", "Nope"))
          .containsExactly("cdp: unknown tile group 'Nope' for demo");
    }
  }

  @Test
  void uploadCommand_printsTheTransactionId_theTriggerAndTheTaskLogUnder(@TempDir Path dir)
      throws Exception {
    Path seed = GroupAssignmentLocalTest.writeSeed(dir);
    Path data = dir.resolve("data");
    Path file =
        Files.writeString(dir.resolve("traced.csv"), "memberId,tileGroup,action\nt-1,Savers,add\n");
    String transactionId;
    try (LocalPlatform platform = start(data, seed)) {
      EndpointsFile.write(
          new LocalEndpoints(
              platform.gatewayUrl(),
              platform.s3Target().endpoint().orElseThrow(),
              platform.dynamoDbTarget().endpoint().orElseThrow()),
          data,
          ProcessHandle.current().pid());
      String printed =
          inProcess(
              "upload",
              "--data-dir",
              data.toString(),
              "--org",
              "tcu",
              "group-assignments",
              file.toString(),
              "--no-wait");
      Matcher m = Pattern.compile("transactionId: (\\S+)").matcher(printed);
      assertThat(m.find()).as(printed).isTrue();
      transactionId = m.group(1);
      assertThat(platform.awaitIdle(Duration.ofSeconds(60))).isTrue();
      assertThat(directory(platform).isMember(ORG, TileGroupName.of("Savers"), MemberId.of("t-1")))
          .isTrue();
    } // closing delivers the buffered log messages to the local store

    JsonNode trace =
        Json.tree(
            inProcess(
                "logs", "trace", "--data-dir", data.toString(), "--format", "json", transactionId));
    // The trigger's message and the task's, both under the id the upload printed.
    assertThat(trace.get("steps")).hasSize(2);
    assertThat(trace.get("steps").findValuesAsText("logType")).containsOnly("web");
    assertThat(trace.get("steps").get(1).get("events").findValuesAsText("action"))
        .contains("validate", "plan", "report");
  }

  private static String inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = com.cdp.cli.CdpCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args)).as(err.toString()).isZero();
    return out.toString();
  }

  /**
   * Runs {@code ./cdp ARGS} as a process against the platform whose endpoints are in {@code data}.
   */
  private static List<String> cdp(Path data, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "com.cdp.cli.CdpCommand"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("CDP_LOCAL_DIR", data.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.lines().filter(l -> !l.contains("SLF4J") && !l.startsWith("[")).toList();
  }
}
