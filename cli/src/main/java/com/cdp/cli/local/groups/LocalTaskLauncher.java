package com.cdp.cli.local.groups;

import com.cdp.cli.local.LocalPlatform;
import com.cdp.groups.task.AssignmentTask;
import com.cdp.groups.trigger.TaskLauncher;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.table.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for ECS {@code RunTask}: it accepts the launch at once and runs the task
 * asynchronously on the platform's work queue (so {@code awaitIdle} waits for it), either in this
 * JVM or, like a container, as a child JVM that gets the same environment variables the ECS
 * container overrides carry and talks to the stand-ins over their endpoints.
 */
final class LocalTaskLauncher implements TaskLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(LocalTaskLauncher.class);

  /** Where the task runs. */
  enum Mode {
    IN_PROCESS,
    CHILD_JVM
  }

  private final LocalPlatform platform;
  private final Mode mode;
  private final AssignmentTask inProcess;
  private final List<String> childJvmOptions;

  LocalTaskLauncher(LocalPlatform platform, Mode mode, List<String> childJvmOptions) {
    this.platform = platform;
    this.mode = mode;
    this.childJvmOptions = List.copyOf(childJvmOptions);
    this.inProcess =
        AssignmentTask.create(
            platform.dynamoDb(),
            platform.s3(),
            platform.tableName(Tables.GROUPS),
            platform.logger(),
            AssignmentTask.Settings.DEFAULTS);
  }

  @Override
  public String launch(AssignmentObject object, String transactionId) {
    String taskId = "local-task/" + object.runId() + "/" + UUID.randomUUID();
    platform
        .work()
        .submit(
            "group-assignment task for " + object.describe(),
            () -> {
              int exit =
                  mode == Mode.IN_PROCESS
                      ? runInProcess(object, taskId, transactionId)
                      : runChild(object, transactionId);
              if (exit != AssignmentTask.EXIT_OK) {
                LOG.error("group-assignment task for {} exited with {}", object.describe(), exit);
              }
            });
    return taskId;
  }

  private int runInProcess(AssignmentObject object, String taskId, String transactionId) {
    AssignmentTask.Result result = inProcess.run(object, taskId, transactionId);
    LOG.info("group-assignment {}: {} ({})", object.describe(), result.status(), result.message());
    return result.exitCode();
  }

  private int runChild(AssignmentObject object, String transactionId) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(childJvmOptions);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "com.cdp.groups.task.Main"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.putAll(object.toEnvironment(transactionId));
    env.put("CDP_ENV", platform.environment());
    env.put("CDP_SERVER", "local-group-assignment-task");
    env.put("TABLE_GROUPS", platform.tableName(Tables.GROUPS));
    env.put("CDP_DYNAMODB_ENDPOINT", platform.dynamoDbTarget().endpoint().orElseThrow().toString());
    env.put("CDP_S3_ENDPOINT", platform.s3Target().endpoint().orElseThrow().toString());
    env.remove("LOG_TOPIC_ARN");
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      LOG.info("group-assignment task (child JVM) exited {}: {}", exit, output.strip());
      return exit;
    } catch (IOException e) {
      LOG.error("cannot start the group-assignment task JVM: {}", e.toString());
      return AssignmentTask.EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AssignmentTask.EXIT_FAILED;
    }
  }
}
