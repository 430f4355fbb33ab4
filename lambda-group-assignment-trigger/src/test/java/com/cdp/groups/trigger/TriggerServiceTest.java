package com.cdp.groups.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.groups.AssignmentRuns;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.Buckets;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/** The launch-once logic against dynalite (conditional writes as DynamoDB does them). */
@ExtendWith(StandInsExtension.class)
class TriggerServiceTest {
  private final RecordingLauncher launcher = new RecordingLauncher();
  private final InMemoryLogPublisher logs = new InMemoryLogPublisher();
  private OrganizationId org;
  private String bucket;
  private AssignmentRuns runs;
  private TriggerService service;

  @BeforeEach
  void setUp(StandIns standIns) {
    org = TestIds.org();
    bucket = Buckets.of("local").dataDelivery(org);
    runs =
        new AssignmentRuns(
            standIns.dynamoDb(), standIns.tableName(Tables.GROUPS), Clock.systemUTC());
    service =
        new TriggerService(
            Buckets.of("local"),
            runs,
            launcher,
            PlatformLogger.inMemory(logs),
            Duration.ofMinutes(2));
  }

  private TriggerService.Outcome notify(String key, String version) {
    return service.onObjectCreated(
        bucket, key, Optional.of(version), Optional.of("etag"), Optional.of("seq"));
  }

  @Test
  void onObjectCreated_whenTheNotificationIsDeliveredTwice_startsOneTask() {
    assertThat(notify("group-assignments/a.csv", "v1")).isEqualTo(TriggerService.Outcome.STARTED);
    assertThat(notify("group-assignments/a.csv", "v1"))
        .isEqualTo(TriggerService.Outcome.ALREADY_STARTED);
    assertThat(launcher.launched).hasSize(1);
    AssignmentObject started = launcher.launched.get(0);
    assertThat(started.organization()).isEqualTo(org);
    assertThat(started.key()).isEqualTo("group-assignments/a.csv");
    assertThat(started.versionId()).contains("v1");
    assertThat(runs.find(started).orElseThrow().taskId()).contains("task-" + started.runId());
  }

  @Test
  void onObjectCreated_whenANewVersionIsUploaded_startsAnotherTask() {
    notify("group-assignments/a.csv", "v1");
    assertThat(notify("group-assignments/a.csv", "v2")).isEqualTo(TriggerService.Outcome.STARTED);
    assertThat(launcher.launched).hasSize(2);
  }

  @Test
  void
      onObjectCreated_whenUnversionedObjectIsUploadedAgain_startsAnotherTaskButNotForARedelivery() {
    var first =
        service.onObjectCreated(
            bucket,
            "group-assignments/u.csv",
            Optional.empty(),
            Optional.of("e1"),
            Optional.of("s1"));
    var redelivered =
        service.onObjectCreated(
            bucket,
            "group-assignments/u.csv",
            Optional.empty(),
            Optional.of("e1"),
            Optional.of("s1"));
    var reuploaded =
        service.onObjectCreated(
            bucket,
            "group-assignments/u.csv",
            Optional.empty(),
            Optional.of("e1"),
            Optional.of("s2"));
    assertThat(List.of(first, redelivered, reuploaded))
        .containsExactly(
            TriggerService.Outcome.STARTED,
            TriggerService.Outcome.ALREADY_STARTED,
            TriggerService.Outcome.STARTED);
  }

  @Test
  void onObjectCreated_whenTheKeyIsAReportOrElsewhere_ignoresIt() {
    assertThat(notify("group-assignments/reports/a.results.csv", "v1"))
        .isEqualTo(TriggerService.Outcome.IGNORED);
    assertThat(notify("transactions/a.csv", "v1")).isEqualTo(TriggerService.Outcome.IGNORED);
    assertThat(
            service.onObjectCreated(
                "some-other-bucket",
                "group-assignments/a.csv",
                Optional.of("v"),
                Optional.empty(),
                Optional.empty()))
        .isEqualTo(TriggerService.Outcome.IGNORED);
    assertThat(launcher.launched).isEmpty();
  }

  @Test
  void onObjectCreated_whenTheNameIsNotLowerCaseCsv_stillStartsTheTaskSoTheUploadGetsAReport() {
    // .CSV is processed; nightly.txt is answered by the task with a rejected report.
    assertThat(notify("group-assignments/JUNE.CSV", "v1"))
        .isEqualTo(TriggerService.Outcome.STARTED);
    assertThat(notify("group-assignments/nightly.txt", "v1"))
        .isEqualTo(TriggerService.Outcome.STARTED);
    assertThat(launcher.launched).hasSize(2);
  }

  @Test
  void onObjectCreated_whenTheLaunchFails_releasesTheLeaseSoTheRetryStartsTheTask() {
    launcher.failingWith(new TaskLauncher.LaunchException("no capacity", true, null));
    assertThatThrownBy(() -> notify("group-assignments/b.csv", "v1"))
        .hasMessageContaining("no capacity");

    launcher.succeeding();
    assertThat(notify("group-assignments/b.csv", "v1")).isEqualTo(TriggerService.Outcome.STARTED);
    assertThat(launcher.launched).hasSize(2);
  }

  @Test
  void onObjectCreated_whenAnotherInvocationHoldsTheLease_failsSoThatItIsRetried() {
    AssignmentObject object =
        new AssignmentObject(
            org,
            bucket,
            "group-assignments/c.csv",
            Optional.of("v1"),
            Optional.of("etag"),
            Optional.of("seq"));
    assertThat(runs.claimLaunch(object, "other", Duration.ofMinutes(5)))
        .isEqualTo(AssignmentRuns.Claim.CLAIMED);

    assertThatThrownBy(() -> notify("group-assignments/c.csv", "v1"))
        .isInstanceOf(TriggerService.LaunchInProgressException.class);
    assertThat(launcher.launched).isEmpty();
  }

  @Test
  void onObjectCreated_whenTheHoldersLeaseExpired_takesOverAndStartsTheTask() {
    AssignmentObject object =
        new AssignmentObject(
            org,
            bucket,
            "group-assignments/d.csv",
            Optional.of("v1"),
            Optional.of("etag"),
            Optional.of("seq"));
    runs.claimLaunch(object, "crashed", Duration.ofMillis(-1));

    assertThat(notify("group-assignments/d.csv", "v1")).isEqualTo(TriggerService.Outcome.STARTED);
  }

  @Test
  void onObjectCreated_whenDuplicatesArriveAtOnce_startsExactlyOneTask() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Object>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(
            () -> {
              try {
                return notify("group-assignments/e.csv", "v1");
              } catch (TriggerService.LaunchInProgressException e) {
                return e;
              }
            });
      }
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : pool.invokeAll(calls)) {
        outcomes.add(f.get());
      }
      assertThat(launcher.launched).hasSize(1);
      assertThat(outcomes).filteredOn(TriggerService.Outcome.STARTED::equals).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onObjectCreated_whenTheTaskStartsBeforeTheLaunchIsRecorded_isStillAStartNotAFailure() {
    launcher.answering(
        object -> {
          assertThat(runs.begin(object, "fast-task", Duration.ofMinutes(10))).isTrue();
          return "fast-task";
        });

    assertThat(notify("group-assignments/g.csv", "v1")).isEqualTo(TriggerService.Outcome.STARTED);
    assertThat(logs.messages()).singleElement().asString().doesNotContain("\"success\":false");
    assertThat(runs.find(launcher.launched.get(0)).orElseThrow().state())
        .isEqualTo(AssignmentRuns.RUNNING);
  }

  @Test
  void onObjectCreated_whenTheUploadGaveATransactionId_logsAndLaunchesTheTaskUnderIt(
      StandIns standIns) {
    String given = "5d0f1c2e-8a41-4b7c-9e3d-2f6a1b8c7d90";
    standIns.bucket(bucket);
    String eTag =
        standIns
            .s3()
            .putObject(
                r ->
                    r.bucket(bucket)
                        .key("group-assignments/f.csv")
                        .metadata(Map.of("transaction-id", given)),
                RequestBody.fromString("memberId,groupId\n"))
            .eTag();
    TriggerService reading =
        new TriggerService(
            Buckets.of("local"),
            runs,
            launcher,
            PlatformLogger.inMemory(logs),
            Duration.ofMinutes(2),
            TriggerService.GivenIds.s3(standIns.s3()));

    reading.onObjectCreated(
        bucket, "group-assignments/f.csv", Optional.empty(), Optional.of(eTag), Optional.of("s1"));

    assertThat(launcher.transactionIds).containsExactly(given);
    assertThat(Json.tree(logs.messages().get(0)).get("transactionId").asText()).isEqualTo(given);
  }

  @Test
  void onObjectCreated_whenTheUploadsIdIsAbsentOrNotAPlatformId_derivesItFromTheVersion() {
    TriggerService forged =
        new TriggerService(
            Buckets.of("local"),
            runs,
            launcher,
            PlatformLogger.inMemory(logs),
            Duration.ofMinutes(2),
            object -> "../../other-org/x");
    forged.onObjectCreated(
        bucket, "group-assignments/f.csv", Optional.of("v1"), Optional.empty(), Optional.empty());
    notify("group-assignments/f.csv", "v2");

    assertThat(launcher.transactionIds)
        .containsExactly(
            launcher.launched.get(0).transactionId(), launcher.launched.get(1).transactionId());
    assertThat(Json.tree(logs.messages().get(0)).get("transactionId").asText())
        .isEqualTo(launcher.launched.get(0).transactionId());
  }

  @Test
  void onObjectCreated_logsAWebMessageUnderTheRunId() {
    notify("group-assignments/f.csv", "v1");
    assertThat(logs.messages())
        .singleElement()
        .asString()
        .contains("\"logType\":\"web\"")
        .contains(launcher.launched.get(0).runId());
  }
}
