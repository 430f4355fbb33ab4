package com.cdp.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

@ExtendWith(StandInsExtension.class)
class UploadOutcomeTest {
  @Test
  void reportKey_followsThePlatformsNaming_forAnyExtensionAndCase() {
    assertThat(UploadOutcome.reportKey("transactions/NIGHTLY.CSV"))
        .isEqualTo("transactions/reports/NIGHTLY.report.json");
    assertThat(UploadOutcome.reportKey("transactions/nightly.txt"))
        .isEqualTo("transactions/reports/nightly.txt.report.json");
    assertThat(UploadOutcome.reportKey("group-assignments/june.csv"))
        .isEqualTo("group-assignments/reports/june.report.json");
  }

  @Test
  void await_skipsTheInterimReport_andPrintsTheFinalOnesSummary(StandIns s) throws Exception {
    String bucket = s.bucket("upload-" + TestIds.suffix());
    String reportKey = "transactions/reports/nightly.report.json";
    Instant uploadedAt = Instant.now();
    s.s3()
        .putObject(
            r -> r.bucket(bucket).key(reportKey),
            RequestBody.fromString(
                "{\"status\":\"loading\",\"rowsRead\":3,\"rowsLoaded\":0,\"rowsRejected\":1}"));
    StringWriter text = new StringWriter();
    CompletableFuture<Void> waiting =
        CompletableFuture.runAsync(
            () ->
                UploadOutcome.await(
                    s.s3(),
                    bucket,
                    "transactions/nightly.csv",
                    uploadedAt,
                    Duration.ofMinutes(2),
                    new PrintWriter(text)));
    Thread.sleep(700); // let it see the interim report first
    assertThat(waiting).isNotDone();
    s.s3()
        .putObject(
            r -> r.bucket(bucket).key(reportKey),
            RequestBody.fromString(
                "{\"status\":\"loaded_with_rejects\",\"rowsRead\":3,\"rowsLoaded\":2,"
                    + "\"rowsRejected\":1,\"error\":null,\"rejects\":[{\"line\":3,"
                    + "\"column\":\"(row)\",\"reason\":\"the row has 5 fields; the header has"
                    + " 6\"}]}"));
    waiting.get();

    assertThat(text.toString())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "status: loaded_with_rejects",
                "rows: 3 read, 2 loaded, 1 rejected",
                "first rejects:",
                "  line 3, (row): the row has 5 fields; the header has 6",
                "report: s3://" + bucket + "/" + reportKey,
                ""));
  }

  @Test
  void print_forAGroupAssignmentReport_showsItsCountsAndFileProblems() {
    StringWriter text = new StringWriter();
    UploadOutcome.print(
        com.cdp.model.json.Json.tree(
            "{\"status\":\"rejected\",\"rowsRead\":0,\"counts\":{\"added\":0,\"removed\":0,"
                + "\"unchanged\":0,\"rejected\":0,\"notApplied\":0},"
                + "\"fileProblems\":[\"not a .csv file\"],\"problems\":[]}"),
        "s3://b/group-assignments/reports/nightly.txt.report.json",
        new PrintWriter(text));
    assertThat(text.toString())
        .contains("status: rejected")
        .contains("file problems:")
        .contains("  not a .csv file")
        .contains("report: s3://b/group-assignments/reports/nightly.txt.report.json");
  }
}
