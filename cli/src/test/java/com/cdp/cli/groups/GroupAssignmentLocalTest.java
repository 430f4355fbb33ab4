package com.cdp.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.groups.task.GroupDirectory;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.groups.GroupAssignmentLocal;
import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * End to end on the local platform: files uploaded to S3 under {@code group-assignments/} run the
 * production trigger and task; state and reports are checked through the stand-ins.
 */
class GroupAssignmentLocalTest {
  static final String ORG = "tcu";
  static final String HEADER = "memberId,tileGroup,action\n";

  @TempDir static Path data;
  static LocalPlatform platform;
  static GroupDirectory groups;
  static final OrganizationId org = OrganizationId.of(ORG);

  static Path writeSeed(Path dir) throws Exception {
    Path seed = dir.resolve("groups.json");
    Files.writeString(
        seed,
        """
        {"organizations": [{"id": "tcu",
          "tileGroups": [{"name": "Savers", "description": "saving"}, {"name": "Gold"}, {"name": "Young Adults"}],
          "members": [{"id": "s-1", "enrollment": "full", "groups": ["Gold"]},
                      {"id": "s-2", "enrollment": "partial"},
                      {"id": "s-3", "enrollment": "full", "groups": ["Gold"]}]}]}
        """);
    return seed;
  }

  @BeforeAll
  static void start() throws Exception {
    Path seed = writeSeed(Files.createDirectories(data.resolve("seed")));
    platform =
        LocalPlatform.start(
            LocalOptions.forTests(data.resolve("platform"), RepoRoot.find()),
            List.of(new GroupAssignmentLocal(seed)));
    groups =
        new GroupDirectory(
            platform.dynamoDb(), platform.tableName(Tables.GROUPS), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static JsonNode uploadAndReport(String name, String content) throws Exception {
    String bucket = platform.buckets().dataDelivery(org);
    platform
        .s3()
        .putObject(
            r -> r.bucket(bucket).key("group-assignments/" + name),
            RequestBody.fromString(content));
    assertThat(platform.awaitIdle(Duration.ofSeconds(60))).isTrue();
    String base =
        name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
            ? name.substring(0, name.length() - ".csv".length())
            : name;
    return Json.tree(
        platform
            .s3()
            .getObjectAsBytes(
                r -> r.bucket(bucket).key("group-assignments/reports/" + base + ".report.json"))
            .asString(StandardCharsets.UTF_8));
  }

  static boolean member(String group, String member) {
    return groups.isMember(org, TileGroupName.of(group), MemberId.of(member));
  }

  @Test
  void start_loadsTheSeedAndCreatesTheOrganizationsBucket() {
    assertThat(groups.tileGroups(org))
        .extracting(g -> g.name().value())
        .containsExactlyInAnyOrder("Savers", "Gold", "Young Adults");
    assertThat(groups.enrollment(org, MemberId.of("s-1"))).isEqualTo(Enrollment.FULL);
    assertThat(groups.enrollment(org, MemberId.of("s-2"))).isEqualTo(Enrollment.PARTIAL);
    assertThat(member("Gold", "s-1")).isTrue();
    assertThat(platform.s3().listBuckets().buckets())
        .extracting(b -> b.name())
        .contains("tcu-data-delivery");
  }

  @Test
  void upload_ofAFileNotNamedCsv_isAnsweredWithARejectedReport_andUpperCaseCsvIsApplied()
      throws Exception {
    JsonNode text = uploadAndReport("nightly.txt", "memberId,tileGroup,action\nu-1,Savers,add\n");
    assertThat(text.path("status").asText()).isEqualTo("rejected");
    assertThat(text.path("fileProblems").toString()).contains("not a .csv file");
    assertThat(member("Savers", "u-1")).isFalse();

    JsonNode upper = uploadAndReport("UPPER.CSV", "memberId,tileGroup,action\nu-2,Savers,add\n");
    assertThat(upper.path("status").asText()).isEqualTo("completed");
    assertThat(member("Savers", "u-2")).isTrue();
  }

  @Test
  void upload_ofAValidFile_appliesItAndWritesTheReports() throws Exception {
    JsonNode report =
        uploadAndReport("valid.csv", HEADER + "v-1,Savers,add\ns-3,Gold,remove\nv-2,Gold,remove\n");

    assertThat(report.path("status").asText()).isEqualTo("completed");
    assertThat(report.path("counts").toString())
        .isEqualTo(
            "{\"added\":1,\"removed\":1,\"partiallyEnrolled\":2,\"unchanged\":1,\"rejected\":0,\"notApplied\":0}");
    assertThat(member("Savers", "v-1")).isTrue();
    assertThat(member("Gold", "s-3")).isFalse();
    assertThat(groups.enrollment(org, MemberId.of("v-2"))).isEqualTo(Enrollment.PARTIAL);
    String results =
        platform
            .s3()
            .getObjectAsBytes(
                r ->
                    r.bucket("tcu-data-delivery")
                        .key("group-assignments/reports/valid.results.csv"))
            .asString(StandardCharsets.UTF_8);
    assertThat(results)
        .startsWith(
            "line,memberId,tileGroup,action,result,partiallyEnrolled,column,reason\r\n2,v-1,Savers,add,added,true,,\r\n");
  }

  @Test
  void upload_ofAnInvalidFile_changesNothingAndReportsEveryProblem() throws Exception {
    JsonNode report =
        uploadAndReport(
            "invalid.csv",
            HEADER + "i-1,Savers,add\ni-2,Platinum,add\ni-3,Savers,erase\n\"=1+1\",Gold,add\n");

    assertThat(report.path("status").asText()).isEqualTo("rejected");
    assertThat(report.path("problems")).hasSize(3);
    assertThat(report.path("counts").path("notApplied").asInt()).isEqualTo(1);
    assertThat(member("Savers", "i-1")).isFalse();
    assertThat(groups.enrollment(org, MemberId.of("i-1"))).isEqualTo(Enrollment.NONE);
  }

  @Test
  void upload_ofADryRunFile_changesNothingAndSaysWhatWouldHappen() throws Exception {
    JsonNode report =
        uploadAndReport("preview.dryrun.csv", HEADER + "d-1,Savers,add\ns-2,Gold,add\n");

    assertThat(report.path("dryRun").asBoolean()).isTrue();
    assertThat(report.path("counts").path("added").asInt()).isEqualTo(2);
    assertThat(report.path("counts").path("partiallyEnrolled").asInt()).isEqualTo(1);
    assertThat(member("Savers", "d-1")).isFalse();
    assertThat(member("Gold", "s-2")).isFalse();
    assertThat(groups.enrollment(org, MemberId.of("d-1"))).isEqualTo(Enrollment.NONE);
  }

  @Test
  void upload_ofAPartialFile_appliesTheValidRowsAndReportsTheRest() throws Exception {
    JsonNode report =
        uploadAndReport(
            "mixed.partial.csv", HEADER + "p-1,Savers,add\np-2,Nope,add\np-3,Gold,add\n");

    assertThat(report.path("status").asText()).isEqualTo("completed_with_rejections");
    assertThat(report.path("counts").path("added").asInt()).isEqualTo(2);
    assertThat(report.path("counts").path("rejected").asInt()).isEqualTo(1);
    assertThat(report.path("problems").get(0).path("line").asInt()).isEqualTo(3);
    assertThat(member("Savers", "p-1")).isTrue();
    assertThat(member("Gold", "p-3")).isTrue();
  }

  @Test
  void upload_ofTheSameFileTwice_reportsUnchangedTheSecondTime() throws Exception {
    String content = HEADER + "t-1,Young Adults,add\nt-2,Young Adults,add\n";
    uploadAndReport("twice.csv", content);
    JsonNode second = uploadAndReport("twice.csv", content);

    assertThat(second.path("counts").path("unchanged").asInt()).isEqualTo(2);
    assertThat(second.path("counts").path("added").asInt()).isZero();
    assertThat(second.path("counts").path("partiallyEnrolled").asInt()).isZero();
  }
}
