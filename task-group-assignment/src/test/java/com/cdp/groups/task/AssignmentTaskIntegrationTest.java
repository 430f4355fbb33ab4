package com.cdp.groups.task;

import static com.cdp.groups.task.TaskHarness.csv;
import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The task against dynalite and S3Proxy, through the adapters production uses. */
@ExtendWith(StandInsExtension.class)
class AssignmentTaskIntegrationTest {
  private static final TileGroupName SAVERS = TileGroupName.of("Savers");
  private static final TileGroupName GOLD = TileGroupName.of("Gold");

  private TaskHarness h;

  @BeforeEach
  void setUp(StandIns standIns) {
    h = new TaskHarness(standIns);
  }

  private static MemberId m(String id) {
    return MemberId.of(id);
  }

  private static long count(JsonNode report, String name) {
    return report.path("counts").path(name).asLong(-1);
  }

  @Test
  void run_whenTheNameDoesNotEndInCsv_rejectsTheFileUnreadWithAReport() throws IOException {
    AssignmentTask.Result result = h.uploadAndRun("nightly.txt", csv("m1,Savers,add"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.status()).isEqualTo("rejected");
    JsonNode report = h.report("nightly.txt");
    assertThat(report.path("status").asText()).isEqualTo("rejected");
    assertThat(report.path("fileProblems").toString()).contains("not a .csv file");
    assertThat(report.path("rowsRead").asLong()).isZero();
    assertThat(h.directory.isMember(h.org, SAVERS, m("m1"))).isFalse();
  }

  @Test
  void run_whenTheExtensionIsUpperCase_appliesTheFile() throws IOException {
    AssignmentTask.Result result = h.uploadAndRun("JUNE.CSV", csv("m1,Savers,add"));

    assertThat(result.status()).isEqualTo("completed");
    assertThat(h.report("JUNE.CSV").path("counts").path("added").asLong()).isEqualTo(1);
    assertThat(h.directory.isMember(h.org, SAVERS, m("m1"))).isTrue();
  }

  @Test
  void run_whenEveryRowIsValid_appliesTheChangesAndReportsEachRow() throws IOException {
    h.directory.setEnrollment(h.org, m("m2"), Enrollment.FULL, "test");
    h.directory.addMember(h.org, new Membership(SAVERS, m("m2")), "test");

    AssignmentTask.Result result =
        h.uploadAndRun(
            "june.csv", csv("m1,Savers,add", "m2,Savers,remove", "m3,Gold,Remove", "m2,Gold,ADD"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.status()).isEqualTo("completed");
    JsonNode report = h.report("june.csv");
    assertThat(report.path("status").asText()).isEqualTo("completed");
    assertThat(report.path("organizationId").asText()).isEqualTo(h.org.value());
    assertThat(report.path("file").asText()).isEqualTo("group-assignments/june.csv");
    assertThat(report.path("rowsRead").asLong()).isEqualTo(4);
    assertThat(count(report, "added")).isEqualTo(2);
    assertThat(count(report, "removed")).isEqualTo(1);
    assertThat(count(report, "unchanged")).isEqualTo(1);
    assertThat(count(report, "partiallyEnrolled")).isEqualTo(2);
    assertThat(count(report, "rejected")).isZero();
    assertThat(report.path("results").get(2).path("reason").asText())
        .contains("not in the tile group");

    assertThat(h.directory.isMember(h.org, SAVERS, m("m1"))).isTrue();
    assertThat(h.directory.isMember(h.org, SAVERS, m("m2"))).isFalse();
    assertThat(h.directory.isMember(h.org, GOLD, m("m2"))).isTrue();
    assertThat(h.directory.isMember(h.org, GOLD, m("m3"))).isFalse();
    assertThat(h.directory.enrollment(h.org, m("m1"))).isEqualTo(Enrollment.PARTIAL);
    assertThat(h.directory.enrollment(h.org, m("m3"))).isEqualTo(Enrollment.PARTIAL);
    assertThat(h.directory.enrollment(h.org, m("m2"))).isEqualTo(Enrollment.FULL);

    assertThat(h.results("june.csv"))
        .containsExactly(
            ReportWriter.RESULT_COLUMNS,
            List.of("2", "m1", "Savers", "add", "added", "true", "", ""),
            List.of("3", "m2", "Savers", "remove", "removed", "false", "", ""),
            List.of(
                "4",
                "m3",
                "Gold",
                "remove",
                "unchanged",
                "true",
                "",
                "not in the tile group (nothing to remove)"),
            List.of("5", "m2", "Gold", "add", "added", "false", "", ""));
  }

  @Test
  void run_whenAnyRowIsInvalid_changesNothingAndListsEveryProblem() {
    h.directory.addMember(h.org, new Membership(GOLD, m("m9")), "test");
    Map<String, String> before = h.snapshot();

    AssignmentTask.Result result =
        h.uploadAndRun(
            "bad.csv",
            csv(
                "m1,Savers,add",
                "m 2,Savers,add",
                "m3,Platinum,add",
                "m4,Gold,drop",
                "m1,Savers,add",
                "m9,Gold,remove"));

    assertThat(result.exitCode()).isZero();
    assertThat(h.snapshot()).isEqualTo(before);
    JsonNode report = h.report("bad.csv");
    assertThat(report.path("status").asText()).isEqualTo("rejected");
    assertThat(report.path("summary").asText()).contains("nothing was changed");
    assertThat(count(report, "rejected")).isEqualTo(4);
    assertThat(count(report, "notApplied")).isEqualTo(2);
    assertThat(
            count(report, "added") + count(report, "removed") + count(report, "partiallyEnrolled"))
        .isZero();
    assertThat(report.path("problems").findValuesAsText("line"))
        .containsExactly("3", "4", "5", "6");
    assertThat(report.path("problems").findValuesAsText("reason"))
        .anySatisfy(r -> assertThat(r).contains("unknown tile group 'Platinum'"))
        .anySatisfy(r -> assertThat(r).contains("duplicate of line 2"));
  }

  @Test
  void run_whenAColumnIsMissing_rejectsTheFileWithAFileProblem() {
    Map<String, String> before = h.snapshot();
    h.uploadAndRun("nocol.csv", "memberId,group,action\nm1,Savers,add\n");
    JsonNode report = h.report("nocol.csv");
    assertThat(report.path("status").asText()).isEqualTo("rejected");
    assertThat(report.path("fileProblems").get(0).asText()).contains("no tileGroup column");
    assertThat(report.path("warnings").get(0).asText()).contains("group");
    assertThat(h.snapshot()).isEqualTo(before);
  }

  @Test
  void run_whenFileIsPartial_appliesTheValidRowsAndReportsTheRest() {
    AssignmentTask.Result result =
        h.uploadAndRun(
            "some.partial.csv",
            csv("m1,Savers,add", "m2,Nope,add", "m3,Gold,add", "m3,Gold,remove"));

    assertThat(result.status()).isEqualTo("completed_with_rejections");
    JsonNode report = h.report("some.partial.csv");
    assertThat(report.path("partial").asBoolean()).isTrue();
    assertThat(count(report, "added")).isEqualTo(1);
    assertThat(count(report, "rejected")).isEqualTo(3);
    assertThat(count(report, "partiallyEnrolled")).isEqualTo(1);
    assertThat(h.directory.isMember(h.org, SAVERS, m("m1"))).isTrue();
    assertThat(h.directory.isMember(h.org, GOLD, m("m3"))).isFalse();
    assertThat(h.directory.enrollment(h.org, m("m2"))).isEqualTo(Enrollment.NONE);
    assertThat(h.directory.enrollment(h.org, m("m3"))).isEqualTo(Enrollment.NONE);
  }

  @Test
  void run_whenFileIsDryRun_changesNothingAndPredictsWhatApplyingDoes() {
    h.directory.addMember(h.org, new Membership(SAVERS, m("m2")), "test");
    h.directory.setEnrollment(h.org, m("m2"), Enrollment.PARTIAL, "test");
    Map<String, String> before = h.snapshot();
    String content = csv("m1,Savers,add", "m2,Savers,remove", "m2,Gold,remove", "m3,Savers,add");

    h.uploadAndRun("try.dryrun.csv", content);

    assertThat(h.snapshot()).isEqualTo(before);
    JsonNode dry = h.report("try.dryrun.csv");
    assertThat(dry.path("dryRun").asBoolean()).isTrue();
    assertThat(dry.path("summary").asText()).startsWith("Dry run: nothing was changed");
    h.uploadAndRun("try.csv", content);
    JsonNode applied = h.report("try.csv");
    assertThat(dry.path("counts")).isEqualTo(applied.path("counts"));
    assertThat(dry.path("results")).isEqualTo(applied.path("results"));
    assertThat(count(applied, "added")).isEqualTo(2);
    assertThat(count(applied, "removed")).isEqualTo(1);
  }

  @Test
  void run_whenTheSameContentIsUploadedAgain_changesNothingAndReportsEveryRowUnchanged() {
    String content = csv("m1,Savers,add", "m2,Gold,add", "m3,Gold,remove");
    h.uploadAndRun("again.csv", content);
    Map<String, String> afterFirst = h.snapshot();

    AssignmentTask.Result second = h.uploadAndRun("again.csv", content);

    assertThat(second.status()).isEqualTo("completed");
    assertThat(h.snapshot()).isEqualTo(afterFirst);
    JsonNode report = h.report("again.csv");
    assertThat(count(report, "unchanged")).isEqualTo(3);
    assertThat(
            count(report, "added") + count(report, "removed") + count(report, "partiallyEnrolled"))
        .isZero();
  }

  @Test
  void run_whenTheSameObjectVersionIsRunTwice_processesItOnce() {
    AssignmentObject object = h.upload("once.csv", csv("m1,Savers,add"));
    AssignmentTask.Result first = h.task().run(object, "task-1");
    String firstReport = h.text(first.reportKey());

    AssignmentTask.Result second = h.task().run(object, "task-2");

    assertThat(second.status()).isEqualTo("already_processed");
    assertThat(second.exitCode()).isZero();
    assertThat(second.reportKey()).isEqualTo(first.reportKey());
    assertThat(h.text(first.reportKey())).isEqualTo(firstReport);
  }

  @Test
  void run_whenAMemberIsInManyRowsAndFiles_partiallyEnrollsThemExactlyOnce() {
    h.uploadAndRun("a.csv", csv("m1,Savers,add", "m1,Gold,add", "m1,Young Adults,remove"));
    h.uploadAndRun("b.csv", csv("m1,Savers,remove"));

    JsonNode a = h.report("a.csv");
    assertThat(count(a, "partiallyEnrolled")).isEqualTo(1);
    assertThat(a.path("results").findValuesAsText("partiallyEnrolled"))
        .containsExactly("true", "false", "false");
    assertThat(count(h.report("b.csv"), "partiallyEnrolled")).isZero();
    assertThat(h.directory.enrollment(h.org, m("m1"))).isEqualTo(Enrollment.PARTIAL);
  }

  @Test
  void run_whenTwoFilesForTheSameOrganizationRunConcurrently_leavesAConsistentState()
      throws Exception {
    // Both files add the same 300 pairs; file B also removes 100 pairs that file A adds.
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      a.add("m" + i + ",Savers,add");
      b.add("m" + i + ",Savers,add");
    }
    for (int i = 0; i < 100; i++) {
      a.add("m" + i + ",Gold,add");
      b.add("m" + i + ",Gold,remove");
    }
    AssignmentObject fileA = h.upload("a.csv", csv(a.toArray(String[]::new)));
    AssignmentObject fileB = h.upload("b.csv", csv(b.toArray(String[]::new)));

    var runA = CompletableFuture.supplyAsync(() -> h.task().run(fileA, "task-a"));
    var runB = CompletableFuture.supplyAsync(() -> h.task().run(fileB, "task-b"));
    assertThat(runA.get().exitCode()).isZero();
    assertThat(runB.get().exitCode()).isZero();

    JsonNode ra = h.report("a.csv");
    JsonNode rb = h.report("b.csv");
    // Every new member enrolled exactly once between the two runs.
    assertThat(count(ra, "partiallyEnrolled") + count(rb, "partiallyEnrolled")).isEqualTo(300);
    // Each shared Savers pair added by exactly one of the runs.
    assertThat(savers(ra, "added") + savers(rb, "added")).isEqualTo(300);
    assertThat(h.directory.members(h.org, SAVERS)).hasSize(300);
    // A Gold pair is still there exactly when B's remove ran before A's add.
    for (JsonNode row : rb.path("results")) {
      if (row.path("tileGroup").asText().equals("Gold")) {
        boolean removedByB = row.path("result").asText().equals("removed");
        assertThat(h.directory.isMember(h.org, GOLD, m(row.path("memberId").asText())))
            .as("Gold member %s", row.path("memberId").asText())
            .isEqualTo(!removedByB);
      }
    }
    for (int i = 0; i < 300; i++) {
      assertThat(h.directory.enrollment(h.org, m("m" + i))).isEqualTo(Enrollment.PARTIAL);
    }
  }

  private static long savers(JsonNode report, String result) {
    long n = 0;
    for (JsonNode row : report.path("results")) {
      if (row.path("tileGroup").asText().equals("Savers")
          && row.path("result").asText().equals(result)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void run_whenCellsLookLikeFormulas_writesThemInertInTheResultsCsv() throws IOException {
    h.uploadAndRun(
        "evil.partial.csv",
        csv("\"=HYPERLINK(\"\"http://x\"\")\",Savers,add", "m1,@SUM(A1),add", "m2,Savers,+cmd"));

    List<List<String>> rows = h.results("evil.partial.csv");
    assertThat(rows.get(1).get(1)).isEqualTo("'=HYPERLINK(\"http://x\")");
    assertThat(rows.get(2).get(2)).isEqualTo("'@SUM(A1)");
    assertThat(rows.get(3).get(3)).isEqualTo("'+cmd");
    for (List<String> row : rows) {
      for (String cell : row) {
        assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@");
      }
    }
  }

  @Test
  void run_whenTheObjectDoesNotExist_exitsWithInputUnavailableAndReportsTheFailure() {
    AssignmentObject missing =
        new AssignmentObject(
            h.org,
            h.bucket,
            "group-assignments/gone.csv",
            Optional.empty(),
            Optional.of("abc"),
            Optional.of("1"));

    AssignmentTask.Result result = h.task().run(missing, "task");

    assertThat(result.exitCode()).isEqualTo(AssignmentTask.EXIT_INPUT_UNAVAILABLE);
    assertThat(result.message()).contains("gone.csv").contains("does not exist");
    JsonNode report = h.report("gone.csv");
    assertThat(report.path("status").asText()).isEqualTo("failed");
    assertThat(report.path("fileProblems").get(0).asText()).contains("does not exist");
  }

  @Test
  void run_whenTheObjectWasReplacedSinceTheNotification_doesNotReadTheNewContent() {
    AssignmentObject original = h.upload("swap.csv", csv("m1,Savers,add"));
    h.upload("swap.csv", csv("m2,Savers,add", "m3,Savers,add"));

    AssignmentTask.Result result = h.task().run(original, "task");

    assertThat(result.exitCode()).isEqualTo(AssignmentTask.EXIT_INPUT_UNAVAILABLE);
    assertThat(result.message()).contains("replaced");
    assertThat(h.directory.members(h.org, SAVERS)).isEmpty();
  }

  @Test
  void run_whenAWriteFails_reportsWhatWasAppliedAndARerunFinishesTheFile() {
    // 100 rows of new members: 4 enrollment batches (calls 1-4), then 4 membership batches of 25;
    // the second membership batch (call 6) fails.
    AtomicInteger batches = new AtomicInteger();
    GroupStore real = GroupStore.of(h.directory);
    GroupStore failing =
        new ForwardingGroupStore(real) {
          @Override
          public void writePlanned(
              OrganizationId org,
              List<MemberId> partialEnrollments,
              List<Membership> adds,
              List<Membership> removes,
              String source) {
            if (batches.incrementAndGet() == 6) {
              throw new IllegalStateException("simulated DynamoDB outage");
            }
            super.writePlanned(org, partialEnrollments, adds, removes, source);
          }
        };
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add("m" + i + ",Savers,add");
    }
    String content = csv(rows.toArray(String[]::new));
    AssignmentObject object = h.upload("flaky.csv", content);

    AssignmentTask.Result result =
        h.task(failing, new AssignmentTask.Settings(1, 1000, 1000, java.time.Duration.ofHours(1)))
            .run(object, "task");

    assertThat(result.exitCode()).isEqualTo(AssignmentTask.EXIT_FAILED);
    JsonNode report = h.report("flaky.csv");
    assertThat(report.path("status").asText()).isEqualTo("failed");
    assertThat(count(report, "added")).isEqualTo(25);
    assertThat(count(report, "notApplied")).isEqualTo(75);
    assertThat(h.directory.members(h.org, SAVERS)).hasSize(25);
    // The version is free again, and so is the organization's apply lock: the same object can be
    // processed once the outage is over.
    AssignmentTask.Result rerun = h.task().run(object, "task-2");
    assertThat(rerun.status()).isEqualTo("completed");
    JsonNode second = h.report("flaky.csv");
    assertThat(count(second, "added")).isEqualTo(75);
    assertThat(count(second, "unchanged")).isEqualTo(25);
    assertThat(count(second, "partiallyEnrolled")).isZero();
    assertThat(h.directory.members(h.org, SAVERS)).hasSize(100);
  }

  @Test
  void run_whenAnotherRunHoldsTheOrganizationsApplyLock_waitsAndPlansAfterItsRelease()
      throws Exception {
    assertThat(
            h.directory.tryLockApply(h.org, "other-run", java.time.Instant.now().plusSeconds(600)))
        .isTrue();
    AssignmentObject object = h.upload("waits.csv", csv("m1,Savers,add"));
    var run = CompletableFuture.supplyAsync(() -> h.task().run(object, "t1"));
    Thread.sleep(1500);
    assertThat(run).isNotDone();
    assertThat(h.directory.isMember(h.org, SAVERS, m("m1"))).isFalse();
    // Meanwhile the holder adds the same pair: the waiting run plans after it, so it reports the
    // row unchanged instead of counting it added a second time.
    h.directory.addMember(h.org, new Membership(SAVERS, m("m1")), "other run");
    h.directory.unlockApply(h.org, "other-run");

    assertThat(run.get().status()).isEqualTo("completed");
    assertThat(count(h.report("waits.csv"), "unchanged")).isEqualTo(1);
    assertThat(count(h.report("waits.csv"), "added")).isZero();
    // The run released the lock when it finished.
    assertThat(h.directory.tryLockApply(h.org, "next", java.time.Instant.now().plusSeconds(60)))
        .isTrue();
  }

  @Test
  void applyLock_isExclusiveUntilReleasedOrExpired() {
    java.time.Instant now = java.time.Instant.now();
    assertThat(h.directory.tryLockApply(h.org, "a", now.plusSeconds(600))).isTrue();
    assertThat(h.directory.tryLockApply(h.org, "b", now.plusSeconds(600))).isFalse();
    assertThat(h.directory.tryLockApply(h.org, "a", now.plusSeconds(900))).isTrue();
    h.directory.unlockApply(h.org, "b");
    assertThat(h.directory.tryLockApply(h.org, "b", now.plusSeconds(600))).isFalse();
    h.directory.unlockApply(h.org, "a");
    assertThat(h.directory.tryLockApply(h.org, "b", now.minusSeconds(1))).isTrue();
    // b's lease has run out: a crashed holder's lock is taken over.
    assertThat(h.directory.tryLockApply(h.org, "c", now.plusSeconds(600))).isTrue();
  }

  @Test
  void run_whenAGroupIsTooLargeToReadWhole_checksItsRowsByKeyWithTheSameOutcome() {
    // 1,001 members already in Savers: more than the 1,000 a 3-row file reads whole, so these rows
    // are checked by key; Gold (empty) is read whole.
    for (int i = 0; i < 1001; i++) {
      h.directory.addMember(h.org, new Membership(SAVERS, m("big" + i)), "seed");
    }
    AtomicInteger byKey = new AtomicInteger();
    GroupStore counting =
        new ForwardingGroupStore(GroupStore.of(h.directory)) {
          @Override
          public Set<Membership> existing(OrganizationId org, java.util.Collection<Membership> m) {
            byKey.addAndGet(m.size());
            return super.existing(org, m);
          }
        };
    AssignmentObject object =
        h.upload("big.csv", csv("big1,Savers,add", "new1,Savers,add", "big2,Gold,remove"));

    assertThat(h.task(counting, AssignmentTask.Settings.DEFAULTS).run(object, "t").status())
        .isEqualTo("completed");
    JsonNode report = h.report("big.csv");
    assertThat(byKey.get()).isEqualTo(2);
    assertThat(report.path("results").get(0).path("result").asText()).isEqualTo("unchanged");
    assertThat(report.path("results").get(1).path("result").asText()).isEqualTo("added");
    assertThat(report.path("results").get(2).path("result").asText()).isEqualTo("unchanged");
    assertThat(h.directory.members(h.org, SAVERS)).hasSize(1002);
  }

  @Test
  void run_whenTheCurrentStateCannotBeRead_changesNothingReportsFailedAndFreesTheVersion() {
    GroupStore unreadable =
        new ForwardingGroupStore(GroupStore.of(h.directory)) {
          @Override
          public Set<Membership> existing(OrganizationId org, java.util.Collection<Membership> m) {
            throw new IllegalStateException("simulated DynamoDB outage");
          }

          @Override
          public Optional<Set<String>> memberIdsIfAtMost(
              OrganizationId org, TileGroupName group, int max) {
            throw new IllegalStateException("simulated DynamoDB outage");
          }
        };
    Map<String, String> before = h.snapshot();
    AssignmentObject object = h.upload("blind.csv", csv("m1,Savers,add", "m2,Gold,remove"));

    AssignmentTask.Result result =
        h.task(unreadable, AssignmentTask.Settings.DEFAULTS).run(object, "t1");

    assertThat(result.exitCode()).isEqualTo(AssignmentTask.EXIT_FAILED);
    assertThat(h.snapshot()).isEqualTo(before);
    JsonNode report = h.report("blind.csv");
    assertThat(report.path("status").asText()).isEqualTo("failed");
    assertThat(count(report, "notApplied")).isEqualTo(2);
    assertThat(count(report, "partiallyEnrolled")).isZero();
    assertThat(report.path("fileProblems").get(0).asText()).contains("could not be read");
    assertThat(h.task().run(object, "t2").status()).isEqualTo("completed");
  }

  @Test
  void run_logsOneWebMessageUnderTheFlowsTransactionId() {
    AssignmentObject object = h.upload("logged.csv", csv("m1,Savers,add"));
    h.task().run(object, "task");

    assertThat(h.logs.messages()).hasSize(1);
    JsonNode message = Json.tree(h.logs.messages().get(0));
    assertThat(message.path("logType").asText()).isEqualTo("web");
    assertThat(message.path("organizationID").asText()).isEqualTo(h.org.value());
    assertThat(message.path("transactionId").asText()).isEqualTo(object.transactionId());
    assertThat(message.path("fields").path("runId").asText()).isEqualTo(object.runId());
    Set<String> actions = new HashSet<>(message.path("events").findValuesAsText("action"));
    assertThat(actions).contains("validate", "plan", "report");
  }

  @Test
  void run_logsUnderTheTransactionIdOverride_andDerivesItWhenTheOverrideIsNotAPlatformId() {
    AssignmentObject object = h.upload("override.csv", csv("m1,Savers,add"));
    String given = "5d0f1c2e-8a41-4b7c-9e3d-2f6a1b8c7d90";
    h.task().run(object, "task-1", given);
    h.task().run(object, "task-2", "not a flow id");

    assertThat(Json.tree(h.logs.messages().get(0)).path("transactionId").asText()).isEqualTo(given);
    assertThat(Json.tree(h.logs.messages().get(1)).path("transactionId").asText())
        .isEqualTo(object.transactionId());
  }
}
