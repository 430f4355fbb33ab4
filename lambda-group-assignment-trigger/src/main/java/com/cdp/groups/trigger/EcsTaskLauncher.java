package com.cdp.groups.trigger;

import com.cdp.aws.retry.Backoff;
import com.cdp.aws.retry.Retry;
import com.cdp.model.groups.AssignmentObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Starts the task on Fargate with {@code RunTask}: container overrides name the object (bucket,
 * key, version or ETag, organization), the run id is the request's client token (ECS then starts
 * one task however often it is asked), and capacity or throttling failures are retried with
 * backoff. Throttling and 5xx are first retried by the SDK itself; capacity shortages come back as
 * {@code failures} in a successful response, which only this class can retry.
 */
final class EcsTaskLauncher implements TaskLauncher {
  /** Where the task runs. */
  public record Target(
      String cluster,
      String taskDefinition,
      String container,
      List<String> subnets,
      List<String> securityGroups,
      boolean assignPublicIp) {
    public Target {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(taskDefinition, "taskDefinition");
      Objects.requireNonNull(container, "container");
      subnets = List.copyOf(subnets);
      securityGroups = List.copyOf(securityGroups);
      if (subnets.isEmpty()) {
        throw new IllegalArgumentException("at least one subnet is required");
      }
    }
  }

  private final EcsClient ecs;
  private final Target target;
  private final Backoff backoff;

  public EcsTaskLauncher(EcsClient ecs, Target target, Backoff backoff) {
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.target = Objects.requireNonNull(target, "target");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  @Override
  public String launch(AssignmentObject object, String transactionId) {
    RunTaskRequest request = request(object, transactionId);
    try {
      return Retry.with(backoff)
          .retryingOn(EcsTaskLauncher::transientFailure)
          .run(
              attempt -> {
                RunTaskResponse response = ecs.runTask(request);
                if (!response.tasks().isEmpty()) {
                  return Retry.Step.done(response.tasks().get(0).taskArn());
                }
                List<Failure> failures = response.failures();
                String problem =
                    failures.isEmpty()
                        ? "no task and no failure reported"
                        : failures.get(0).reason()
                            + (failures.get(0).detail() == null
                                ? ""
                                : " (" + failures.get(0).detail() + ")");
                if (failures.stream().noneMatch(EcsTaskLauncher::retryable)) {
                  throw new LaunchException("RunTask failed: " + problem, false, null);
                }
                return Retry.Step.again(problem);
              });
    } catch (Retry.ExhaustedException e) {
      throw new LaunchException(
          "RunTask failed " + e.attempts() + " times; last: " + e.lastProblem(), true, null);
    } catch (EcsException e) {
      throw new LaunchException("RunTask refused: " + message(e), false, e);
    } catch (SdkException e) {
      throw new LaunchException("RunTask failed: " + e.getMessage(), false, e);
    }
  }

  /** RunTask errors worth another attempt: throttling, 5xx, the retryable codes, transport. */
  private static boolean transientFailure(RuntimeException e) {
    if (e instanceof EcsException ecs) {
      return retryable(ecs);
    }
    return e instanceof SdkException sdk && sdk.retryable();
  }

  RunTaskRequest request(AssignmentObject object) {
    return request(object, object.transactionId());
  }

  RunTaskRequest request(AssignmentObject object, String transactionId) {
    List<KeyValuePair> environment =
        object.toEnvironment(transactionId).entrySet().stream()
            .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build())
            .toList();
    return RunTaskRequest.builder()
        .cluster(target.cluster())
        .taskDefinition(target.taskDefinition())
        .launchType(LaunchType.FARGATE)
        .count(1)
        .clientToken(object.runId())
        .startedBy("group-assignment-trigger")
        .group("group-assignment")
        .networkConfiguration(
            n ->
                n.awsvpcConfiguration(
                    v ->
                        v.subnets(target.subnets())
                            .securityGroups(target.securityGroups())
                            .assignPublicIp(
                                target.assignPublicIp()
                                    ? AssignPublicIp.ENABLED
                                    : AssignPublicIp.DISABLED)))
        .overrides(
            o ->
                o.containerOverrides(
                    ContainerOverride.builder()
                        .name(target.container())
                        .environment(environment)
                        .build()))
        .build();
  }

  /** Capacity shortages and agent hiccups go away; a bad task definition or subnet does not. */
  static boolean retryable(Failure failure) {
    String reason = failure.reason() == null ? "" : failure.reason().toLowerCase(Locale.ROOT);
    return reason.contains("capacity is unavailable")
        || reason.startsWith("resource:")
        || reason.equals("agent")
        || reason.contains("throttl")
        || reason.contains("try again");
  }

  private static final List<String> RETRYABLE_CODES =
      List.of(
          "ThrottlingException",
          "ServerException",
          "LimitExceededException",
          "ServiceUnavailableException");

  static boolean retryable(EcsException e) {
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    return e.statusCode() >= 500 || e.isThrottlingException() || RETRYABLE_CODES.contains(code);
  }

  private static String message(EcsException e) {
    return e.awsErrorDetails() == null
        ? e.getMessage()
        : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
  }

  /** For tests: the overrides as a map. */
  static Map<String, String> environmentOf(RunTaskRequest request) {
    return request.overrides().containerOverrides().get(0).environment().stream()
        .collect(java.util.stream.Collectors.toMap(KeyValuePair::name, KeyValuePair::value));
  }
}
