package com.cdp.groups.task;

import com.cdp.aws.AwsClients;
import com.cdp.aws.S3Clients;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.json.Json;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The container's entry point: reads the configuration from the environment, processes the one file
 * it names, prints a one-line outcome and exits with {@link AssignmentTask}'s exit code (0
 * processed, 1 failed part-way, 2 input unreadable or bad configuration).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(EnvReader.system(), System.out, System.err));
  }

  /** Runs the task; returns the exit code. The process's only console output is here. */
  static int run(EnvReader env, PrintStream out, PrintStream err) {
    TaskConfig config;
    try {
      config = TaskConfig.from(env);
    } catch (RuntimeException e) {
      err.println("group-assignment: cannot start: " + e.getMessage());
      return AssignmentTask.EXIT_INPUT_UNAVAILABLE;
    }
    try (PlatformLogger logger = PlatformLogger.fromEnvironment(env);
        DynamoDbClient dynamoDb = AwsClients.dynamoDb(config.dynamoDb());
        S3Client s3 = S3Clients.s3(config.s3())) {
      AssignmentTask task =
          AssignmentTask.create(dynamoDb, s3, config.groupsTable(), logger, config.settings());
      AssignmentTask.Result result =
          task.run(
              config.object(),
              taskId(env),
              env.optional(AssignmentObject.ENV_TRANSACTION_ID).orElse(null));
      PrintStream stream = result.exitCode() == AssignmentTask.EXIT_OK ? out : err;
      stream.println(
          "group-assignment: "
              + config.object().describe()
              + ": "
              + result.status()
              + (result.reportKey() == null ? "" : " (report " + result.reportKey() + ")")
              + ": "
              + result.message());
      return result.exitCode();
    }
  }

  /**
   * The ECS task ARN from the container metadata endpoint when running on ECS; otherwise the
   * process id and host (local runs).
   */
  static String taskId(EnvReader env) {
    var metadata = env.optional("ECS_CONTAINER_METADATA_URI_V4");
    if (metadata.isPresent()) {
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(metadata.get() + "/task"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        String arn = Json.tree(response.body()).path("TaskARN").asText("");
        if (!arn.isEmpty()) {
          return arn;
        }
      } catch (java.io.IOException | RuntimeException e) {
        // fall through to the local identity
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return "local:" + ManagementFactory.getRuntimeMXBean().getName();
  }
}
