package com.cdp.groups.trigger;

import com.cdp.groups.AssignmentRuns;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.config.Buckets;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.wiring.Triggers;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns an object-created notification into at most one task per object version: it takes a launch
 * lease on the version's run record (a conditional put), starts the task, and records it. A
 * repeated notification finds the record and does nothing; one arriving while another invocation
 * holds the lease fails so that it is retried (the holder might still fail); a failed launch gives
 * the lease back before failing, so the retry can start the task.
 */
final class TriggerService {
  /** What happened to one notification. */
  public enum Outcome {
    /** The task was started. */
    STARTED,
    /** A task had already been started for this object version. */
    ALREADY_STARTED,
    /** Not a group-assignment upload (a report, another prefix, or not a data-delivery bucket). */
    IGNORED
  }

  /** Another invocation is starting the task right now; retry later. */
  public static final class LaunchInProgressException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LaunchInProgressException(String message) {
      super(message);
    }
  }

  private final Buckets buckets;
  private final AssignmentRuns runs;
  private final TaskLauncher launcher;
  private final PlatformLogger logger;
  private final Duration lease;
  private final GivenIds givenIds;

  /**
   * The transactionId an upload gave itself (S3 metadata {@code transaction-id}, as {@code ./cdp
   * upload} sets it), or null: read from the object the notification names.
   */
  @FunctionalInterface
  public interface GivenIds {
    String of(AssignmentObject object);

    /**
     * Reads the metadata with HeadObject on the notified version (ETag-pinned when unversioned).
     */
    static GivenIds s3(S3Client s3) {
      return object -> {
        try {
          HeadObjectResponse head =
              s3.headObject(
                  r -> {
                    r.bucket(object.bucket()).key(object.key());
                    object.versionId().ifPresent(r::versionId);
                    if (object.versionId().isEmpty()) {
                      object.eTag().ifPresent(e -> r.ifMatch("\"" + e + "\""));
                    }
                  });
          return TransactionIds.fromMetadata(head.metadata());
        } catch (S3Exception e) {
          // Gone or replaced since the event: that object's metadata is not this upload's.
          return null;
        }
      };
    }
  }

  public TriggerService(
      Buckets buckets,
      AssignmentRuns runs,
      TaskLauncher launcher,
      PlatformLogger logger,
      Duration lease) {
    this(buckets, runs, launcher, logger, lease, object -> null);
  }

  public TriggerService(
      Buckets buckets,
      AssignmentRuns runs,
      TaskLauncher launcher,
      PlatformLogger logger,
      Duration lease,
      GivenIds givenIds) {
    this.givenIds = Objects.requireNonNull(givenIds, "givenIds");
    this.buckets = Objects.requireNonNull(buckets, "buckets");
    this.runs = Objects.requireNonNull(runs, "runs");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.logger = Objects.requireNonNull(logger, "logger");
    this.lease = Objects.requireNonNull(lease, "lease");
  }

  /**
   * Handles one created object. {@code key} is already URL-decoded.
   *
   * @throws LaunchInProgressException when another invocation holds the launch lease
   * @throws TaskLauncher.LaunchException when the task could not be started
   */
  public Outcome onObjectCreated(
      String bucket,
      String key,
      Optional<String> versionId,
      Optional<String> eTag,
      Optional<String> sequencer) {
    Optional<OrganizationId> org = buckets.organizationOf(bucket);
    if (org.isEmpty() || key == null || !Triggers.GROUP_ASSIGNMENT_FILES.matches(key)) {
      return Outcome.IGNORED;
    }
    AssignmentObject object =
        new AssignmentObject(org.get(), bucket, key, versionId, eTag, sequencer);
    // The upload's own id when it gave a valid one (the id ./cdp upload printed), else derived
    // from the object version; the task gets it in the container override.
    String given = givenIds.of(object);
    String flow = TransactionIds.isValid(given) ? given : object.transactionId();
    try (RequestLog log = logger.open(LogType.WEB, org.get().value(), flow)) {
      log.put("file", key).put("bucket", bucket).put("runId", object.runId());
      String token = UUID.randomUUID().toString();
      AssignmentRuns.Claim claim = runs.claimLaunch(object, token, lease);
      switch (claim) {
        case ALREADY_STARTED -> {
          log.event("deduplicate", "a task was already started for " + object.describe());
          return Outcome.ALREADY_STARTED;
        }
        case IN_PROGRESS -> {
          log.event("wait", "another invocation is starting the task; retrying later");
          throw new LaunchInProgressException(
              "another invocation is starting the task for " + object.describe());
        }
        case CLAIMED -> {
          // fall through to the launch
        }
      }
      String taskId;
      try {
        taskId = launcher.launch(object, flow);
      } catch (RuntimeException e) {
        runs.release(object, token);
        log.failure("launch", "could not start the task: " + e.getMessage(), Map.of());
        throw e;
      }
      if (!runs.markLaunched(object, token, taskId)) {
        log.failure(
            "launch",
            "the launch lease expired before the task was recorded (the client token keeps it to one task)",
            Map.of("taskId", taskId));
      }
      log.event(
          "launch",
          "started the group-assignment task for " + object.describe(),
          Map.of("taskId", taskId));
      return Outcome.STARTED;
    }
  }
}
