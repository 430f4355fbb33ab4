package com.cdp.groups.task;

import com.cdp.aws.AwsTarget;
import com.cdp.model.config.EnvReader;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.table.Tables;
import java.time.Duration;
import java.util.Optional;

/**
 * The task's configuration, read once from its environment: the object to process (container
 * overrides set by the trigger, {@link AssignmentObject#toEnvironment()}), the groups table, the
 * tunables, and, when it runs against the local stand-ins, their endpoints ({@code
 * CDP_DYNAMODB_ENDPOINT}, {@code CDP_S3_ENDPOINT}; unset in AWS).
 */
record TaskConfig(
    String environment,
    String groupsTable,
    AwsTarget dynamoDb,
    AwsTarget s3,
    AssignmentTask.Settings settings,
    AssignmentObject object) {

  static TaskConfig from(EnvReader env) {
    String environment = env.optional("CDP_ENV", "local");
    AssignmentTask.Settings defaults = AssignmentTask.Settings.DEFAULTS;
    return new TaskConfig(
        environment,
        env.optional("TABLE_GROUPS", Tables.GROUPS.physicalName(environment)),
        target(env.optional("CDP_DYNAMODB_ENDPOINT")),
        target(env.optional("CDP_S3_ENDPOINT")),
        new AssignmentTask.Settings(
            env.integer("GROUP_TASK_WRITE_CONCURRENCY", defaults.writeConcurrency(), 1, 64),
            env.integer("GROUP_TASK_MAX_ROWS", defaults.maxRows(), 1, 10_000_000),
            env.integer("GROUP_TASK_RESULTS_LIMIT", defaults.resultsLimit(), 0, 1_000_000),
            env.duration("GROUP_TASK_RUN_LEASE", Duration.ofHours(1))),
        AssignmentObject.fromEnvironment(env));
  }

  private static AwsTarget target(Optional<String> endpoint) {
    return endpoint
        .map(java.net.URI::create)
        .map(AwsTarget::local)
        .orElseGet(AwsTarget::fromEnvironment);
  }
}
