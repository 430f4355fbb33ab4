package com.cdp.groups.trigger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.aws.retry.Backoff;
import com.cdp.groups.AssignmentRuns;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.Buckets;
import com.cdp.model.config.EnvReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * S3 object-created under {@code group-assignments/} on a data-delivery bucket: starts the
 * group-assignment task for each uploaded file (see {@link TriggerService}). Fails the invocation
 * when any record could not be handled, so Lambda retries it; handled records are not started
 * twice.
 */
public final class GroupAssignmentTriggerHandler implements RequestHandler<S3Event, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(GroupAssignmentTriggerHandler.class);

  private final TriggerService service;
  private final PlatformLogger logger;

  /** The Lambda runtime's constructor: real clients from the environment. */
  public GroupAssignmentTriggerHandler() {
    this(fromEnvironment(EnvReader.system()));
  }

  private GroupAssignmentTriggerHandler(Wiring wiring) {
    this(wiring.service(), wiring.logger());
  }

  /** For tests and the local platform. */
  public GroupAssignmentTriggerHandler(TriggerService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  private record Wiring(TriggerService service, PlatformLogger logger) {}

  private static Wiring fromEnvironment(EnvReader env) {
    TriggerConfig config = TriggerConfig.from(env);
    AwsTarget aws = AwsTarget.fromEnvironment();
    PlatformLogger logger = PlatformLogger.fromEnvironment(env);
    EcsTaskLauncher launcher =
        new EcsTaskLauncher(
            AwsClients.build(EcsClient.builder(), aws),
            config.target(),
            Backoff.of(Duration.ofMillis(500), Duration.ofSeconds(8), config.launchAttempts()));
    AssignmentRuns runs =
        new AssignmentRuns(AwsClients.dynamoDb(aws), config.groupsTable(), Clock.systemUTC());
    return new Wiring(
        new TriggerService(
            Buckets.of(config.environment()),
            runs,
            launcher,
            logger,
            config.lease(),
            TriggerService.GivenIds.s3(S3Clients.s3(aws))),
        logger);
  }

  @Override
  public Void handleRequest(S3Event event, Context context) {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    List<String> failures = new ArrayList<>();
    RuntimeException first = null;
    try {
      for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
        var s3 = record.getS3();
        try {
          TriggerService.Outcome outcome =
              service.onObjectCreated(
                  s3.getBucket().getName(),
                  s3.getObject().getUrlDecodedKey(),
                  Optional.ofNullable(s3.getObject().getVersionId()),
                  Optional.ofNullable(s3.getObject().geteTag()),
                  Optional.ofNullable(s3.getObject().getSequencer()));
          LOG.debug("{} {}: {}", s3.getBucket().getName(), s3.getObject().getKey(), outcome);
        } catch (RuntimeException e) {
          failures.add(s3.getObject().getKey() + ": " + e.getMessage());
          first = first == null ? e : first;
        }
      }
    } finally {
      logger.flush();
    }
    if (first != null) {
      throw new IllegalStateException(
          failures.size() + " upload(s) could not be handled: " + String.join("; ", failures),
          first);
    }
    return null;
  }
}
