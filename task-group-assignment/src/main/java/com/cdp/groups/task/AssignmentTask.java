package com.cdp.groups.task;

import com.cdp.groups.AssignmentRuns;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.wiring.Triggers;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Processes one uploaded group-assignment file (CONTRACTS 1b): validates all of it, plans the
 * changes against the current state, applies them (unless the file is a dry run, or is rejected),
 * and writes the report and results CSV next to it. The file is streamed once per phase ({@link
 * FilePasses}: validate, plan, apply, report) rather than held, so a million-row file runs in a 64
 * MB heap. Runs once per object version ({@link AssignmentRuns}); running the same content again
 * reports every row unchanged.
 *
 * <p>Public for the benchmarks' warm in-process mode ({@code GroupAssignmentBench warm}), which
 * runs the task and a plain write loop in one JVM with the same clients.
 */
public final class AssignmentTask {
  /** Exit code: the file was processed (whatever its status) or had already been. */
  public static final int EXIT_OK = 0;

  /** Exit code: processing failed part-way (the report says which rows were applied). */
  public static final int EXIT_FAILED = 1;

  /** Exit code: the input could not be read, or the task was started with bad arguments. */
  public static final int EXIT_INPUT_UNAVAILABLE = 2;

  /** Tunables, from the task's configuration. */
  public record Settings(int writeConcurrency, int maxRows, int resultsLimit, Duration runLease) {
    public static final Settings DEFAULTS =
        new Settings(16, 1_000_000, 10_000, Duration.ofHours(1));

    public Settings {
      if (writeConcurrency < 1 || maxRows < 1 || resultsLimit < 0) {
        throw new IllegalArgumentException("invalid task settings");
      }
      Objects.requireNonNull(runLease, "runLease");
    }
  }

  /**
   * What a run did: the report's status ({@code already_processed} when the version was done
   * before), the report's key if one was written, the process exit code, and a one-line message.
   */
  public record Result(String status, String reportKey, int exitCode, String message) {}

  private final GroupStore store;
  private final RunRecords runs;
  private final FileStore files;
  private final PlatformLogger logger;
  private final Clock clock;
  private final Settings settings;

  AssignmentTask(
      GroupStore store,
      RunRecords runs,
      FileStore files,
      PlatformLogger logger,
      Clock clock,
      Settings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.runs = Objects.requireNonNull(runs, "runs");
    this.files = Objects.requireNonNull(files, "files");
    this.logger = Objects.requireNonNull(logger, "logger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The task over DynamoDB and S3 clients (the entry point and the local platform use this). */
  public static AssignmentTask create(
      DynamoDbClient dynamoDb,
      S3Client s3,
      String groupsTable,
      PlatformLogger logger,
      Settings settings) {
    Clock clock = Clock.systemUTC();
    return new AssignmentTask(
        GroupStore.of(new GroupDirectory(dynamoDb, groupsTable, clock)),
        RunRecords.of(new AssignmentRuns(dynamoDb, groupsTable, clock)),
        new S3FileStore(s3),
        logger,
        clock,
        settings);
  }

  /** Processes {@code object}; {@code taskId} names this run (the ECS task ARN in AWS). */
  public Result run(AssignmentObject object, String taskId) {
    return run(object, taskId, null);
  }

  /**
   * As {@link #run(AssignmentObject, String)}, logging under {@code transactionId}: the flow's id
   * the trigger logged under and passed in the container override (TRANSACTION_ID). When it is
   * absent or not in the platform's format the task derives the trigger's fallback from the object.
   */
  public Result run(AssignmentObject object, String taskId, String transactionId) {
    Objects.requireNonNull(object, "object");
    String runId = object.runId();
    String flow = TransactionIds.isValid(transactionId) ? transactionId : object.transactionId();
    RequestLog log = logger.open(LogType.WEB, object.organization().value(), flow);
    log.put("file", object.key()).put("bucket", object.bucket()).put("runId", runId);
    try {
      return process(object, taskId, log);
    } catch (RuntimeException e) {
      // Unexpected (DynamoDB or S3 unavailable while planning or reporting): free the version so
      // the file can be processed again, and fail the process.
      log.failure("run", "the run failed: " + e, Map.of());
      try {
        runs.abandon(object, taskId);
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      return new Result(
          RunStatus.FAILED.id(), null, EXIT_FAILED, "the run failed: " + e.getMessage());
    } finally {
      log.close();
      logger.flush();
    }
  }

  private Result process(AssignmentObject object, String taskId, RequestLog log) {
    Instant startedAt = clock.instant();
    if (!Triggers.GROUP_ASSIGNMENT_FILES.matches(object.key())) {
      String message =
          object.key()
              + " is not a group-assignment file (under "
              + Triggers.GROUP_ASSIGNMENT_FILES.prefix()
              + ", not a report)";
      log.failure("refuse", message, Map.of());
      return new Result("refused", null, EXIT_INPUT_UNAVAILABLE, message);
    }
    if (!runs.begin(object, taskId, settings.runLease())) {
      String message = object.describe() + " was already processed (or is being processed)";
      log.event("skip", message);
      return new Result("already_processed", runs.report(object).orElse(null), EXIT_OK, message);
    }
    Mode mode = Mode.of(object.key());
    ReportWriter reports = new ReportWriter(files, settings.resultsLimit());
    FilePasses passes;
    FileValidator.Scan file;
    try {
      FileValidator validator =
          new FileValidator(store.tileGroups(object.organization()), settings.maxRows());
      if (!Triggers.isCsv(object.key())) {
        // Every upload gets an answer: a name that does not end in .csv is rejected unread.
        passes = FilePasses.refused(validator, Triggers.NOT_CSV);
      } else {
        passes =
            new FilePasses(() -> files.open(object), validator, new RowIndex(validator.groups()));
      }
      try {
        file = passes.first();
      } catch (IOException e) {
        throw new InputUnavailableException(
            object.describe() + " could not be read: " + e.getMessage(), e);
      }
    } catch (InputUnavailableException e) {
      log.failure("read", e.getMessage(), Map.of());
      String reportKey =
          failedReport(reports, object, runId(object), mode, e.getMessage(), startedAt, log);
      if (reportKey == null) {
        runs.abandon(object, taskId);
      } else {
        runs.complete(object, reportKey, RunStatus.FAILED.id());
      }
      return new Result(RunStatus.FAILED.id(), reportKey, EXIT_INPUT_UNAVAILABLE, e.getMessage());
    }
    long rejected = passes.rejected();
    log.event(
        "validate",
        "read " + file.rows() + " rows",
        detail(
            "rowsRead",
            file.rows(),
            "rejected",
            rejected,
            "fileProblems",
            file.fileProblems().size()));

    List<String> runProblems = new ArrayList<>();
    RunStatus status;
    Outcomes outcomes = new Outcomes(file.rows(), rejected);
    boolean failed = false;
    if (!file.fileProblems().isEmpty() || (!mode.partial() && rejected > 0)) {
      outcomes.noneApplied(
          file.fileProblems().isEmpty()
              ? "not applied: the file has invalid rows, so nothing was changed"
              : "not applied: the file was rejected, so nothing was changed");
      status = RunStatus.REJECTED;
    } else {
      // Planned writes are unconditional (batched), so a run that writes holds its organization's
      // apply lock from planning to its last write: another run of the same organization plans
      // only after this one's changes are in. Dry runs write nothing and take no lock.
      String holder = runId(object) + " " + taskId;
      boolean locked = false;
      Plan plan = null;
      try {
        if (!mode.dryRun()) {
          lockApply(object.organization(), holder);
          locked = true;
        }
        try {
          plan =
              Plan.of(store, object.organization(), passes, outcomes, settings.writeConcurrency());
        } catch (RuntimeException e) {
          failed = true;
          plan = null;
          outcomes.noneApplied("not applied: the current state could not be read");
          runProblems.add(
              "the run stopped before changing anything: the current state could not be read ("
                  + e.getMessage()
                  + "); upload the file again");
          log.failure("plan", e.getMessage(), Map.of());
        }
        if (plan != null) {
          log.event(
              "plan",
              "planned the changes",
              detail(
                  "partialEnrollments", plan.enrollMembers.size(),
                  "changes", plan.changes,
                  "dryRun", mode.dryRun()));
        }
        if (plan != null && !mode.dryRun()) {
          try {
            new Applier(store, settings.writeConcurrency())
                .apply(
                    object.organization(),
                    plan,
                    passes,
                    outcomes,
                    "file " + object.key() + " (run " + runId(object) + ")");
          } catch (Applier.ApplyFailure e) {
            failed = true;
            runProblems.add(
                "the run stopped: "
                    + e.getMessage()
                    + "; upload the file again to finish (applied rows are not applied twice)");
            log.failure("apply", e.getMessage(), Map.of());
          }
        }
      } finally {
        if (locked) {
          store.unlockApply(object.organization(), holder);
        }
      }
      status =
          failed
              ? RunStatus.FAILED
              : rejected > 0 ? RunStatus.COMPLETED_WITH_REJECTIONS : RunStatus.COMPLETED;
    }
    Counts counts = outcomes.counts();
    String summary = summary(mode, status, counts, file.fileProblems());
    String reportKey =
        reports.write(
            new ReportWriter.Content(
                object,
                runId(object),
                mode,
                status,
                summary,
                counts,
                file.fileProblems(),
                file.warnings(),
                sink ->
                    passes.forEach(
                        row -> {
                          outcomes.settle(row);
                          sink.accept(row);
                          return true;
                        }),
                runProblems,
                startedAt,
                clock.instant()));
    log.event(
        "report",
        summary,
        detail(
            "status", status.id(),
            "report", reportKey,
            "added", counts.added(),
            "removed", counts.removed(),
            "partiallyEnrolled", counts.partiallyEnrolled(),
            "unchanged", counts.unchanged(),
            "rejected", counts.rejected()));
    log.put("status", status.id());
    if (failed) {
      runs.abandon(object, taskId);
      return new Result(status.id(), reportKey, EXIT_FAILED, summary);
    }
    runs.complete(object, reportKey, status.id());
    return new Result(status.id(), reportKey, EXIT_OK, summary);
  }

  /**
   * Waits for the organization's apply lock (another run of the same organization may be applying).
   * Its lease is the run lease: a crashed holder's lock is taken over when it expires.
   */
  private void lockApply(com.cdp.model.id.OrganizationId org, String holder) {
    Instant giveUp = clock.instant().plus(settings.runLease());
    long pause = 50;
    while (!store.tryLockApply(org, holder, clock.instant().plus(settings.runLease()))) {
      if (clock.instant().isAfter(giveUp)) {
        throw new IllegalStateException(
            "another run of this organization held the apply lock for longer than "
                + settings.runLease());
      }
      try {
        Thread.sleep(pause + java.util.concurrent.ThreadLocalRandom.current().nextLong(pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the apply lock", e);
      }
      pause = Math.min(1000, pause * 2);
    }
  }

  private String failedReport(
      ReportWriter reports,
      AssignmentObject object,
      String runId,
      Mode mode,
      String problem,
      Instant startedAt,
      RequestLog log) {
    try {
      return reports.write(
          new ReportWriter.Content(
              object,
              runId,
              mode,
              RunStatus.FAILED,
              "Failed: " + problem + ". Nothing was changed.",
              Counts.of(List.of()),
              List.of(),
              List.of(),
              ReportWriter.SettledRows.of(List.of()),
              List.of(problem),
              startedAt,
              clock.instant()));
    } catch (RuntimeException e) {
      log.failure("report", "could not write the failure report: " + e.getMessage(), Map.of());
      return null;
    }
  }

  static String summary(Mode mode, RunStatus status, Counts n, List<String> fileProblems) {
    String changes =
        n.added()
            + " added, "
            + n.removed()
            + " removed, "
            + n.partiallyEnrolled()
            + " members partially enrolled, "
            + n.unchanged()
            + " unchanged, "
            + n.rejected()
            + " rejected";
    return switch (status) {
      case REJECTED ->
          (mode.dryRun() ? "Dry run: this file would be rejected" : "Rejected")
              + ": nothing was changed because "
              + (fileProblems.isEmpty()
                  ? n.rejected() + " of " + n.rowsRead() + " rows are invalid (see problems)"
                  : String.join("; ", fileProblems))
              + ".";
      case COMPLETED, COMPLETED_WITH_REJECTIONS ->
          mode.dryRun()
              ? "Dry run: nothing was changed. Applying this file would give: " + changes + "."
              : "Applied: " + changes + ".";
      case FAILED ->
          "Failed part-way: "
              + changes
              + ", "
              + n.notApplied()
              + " not applied. Upload the file again to finish.";
    };
  }

  private static String runId(AssignmentObject object) {
    return object.runId();
  }

  private static Map<String, Object> detail(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
