package com.cdp.groups.trigger;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The trigger function's configuration, from the environment the CDK construct sets: the groups
 * table, and where and how to run the task.
 */
record TriggerConfig(
    String environment,
    String groupsTable,
    EcsTaskLauncher.Target target,
    int launchAttempts,
    Duration lease) {

  static TriggerConfig from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    return new TriggerConfig(
        environment,
        env.optional("TABLE_GROUPS", Tables.GROUPS.physicalName(environment)),
        new EcsTaskLauncher.Target(
            env.required("GROUP_TASK_CLUSTER"),
            env.required("GROUP_TASK_DEFINITION"),
            env.required("GROUP_TASK_CONTAINER"),
            list(env.required("GROUP_TASK_SUBNETS")),
            list(env.optional("GROUP_TASK_SECURITY_GROUPS", "")),
            env.optional("GROUP_TASK_ASSIGN_PUBLIC_IP", "DISABLED").equalsIgnoreCase("ENABLED")),
        env.integer("GROUP_TASK_LAUNCH_ATTEMPTS", 5, 1, 10),
        env.duration("GROUP_TRIGGER_LEASE", Duration.ofMinutes(2)));
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
