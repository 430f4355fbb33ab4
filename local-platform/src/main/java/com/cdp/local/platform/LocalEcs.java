package com.cdp.local.platform;

import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECS {@code RunTask} (AWS JSON 1.1) on the gateway at {@code /_aws/ecs}: the trigger's real call
 * starts the template's task definition as a JVM, like a container: the image's jar (the image
 * asset's directory, whose Dockerfile runs {@code java -jar /app/NAME.jar} with {@code
 * target/NAME.jar} copied in), the container's command as arguments, its environment with the
 * call's overrides, the local endpoints, {@code -XX:MaxRAM} from the task's memory. When the JVM
 * exits the bus gets the {@code ECS Task State Change} event (STOPPED, the container's exit code)
 * that ECS sends, so the template's rules on it run too. A call repeating a client token starts
 * nothing and gets the first call's answer, as in ECS. Output goes to {@code
 * .cdp-local/tasks/FAMILY.log}.
 */
final class LocalEcs extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(LocalEcs.class);

  private final transient LocalPlatform platform;
  private final transient Map<String, Path> imageDirectories;
  private final transient Map<String, byte[]> byClientToken =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param imageDirectories each image asset's tag mapped to its source directory
   */
  LocalEcs(LocalPlatform platform, Map<String, Path> imageDirectories) {
    this.platform = platform;
    this.imageDirectories = Map.copyOf(imageDirectories);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String target = request.getHeader("X-Amz-Target");
    if (target == null || !target.endsWith(".RunTask")) {
      error(response, "UnknownOperationException", "only RunTask is served locally");
      return;
    }
    JsonNode input;
    try {
      input =
          Json.tree(
              new String(request.getInputStream().readNBytes(256 * 1024), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      error(response, "SerializationException", e.getMessage());
      return;
    }
    // As ECS: a repeated call with the same client token starts nothing and answers the same.
    String clientToken = input.path("clientToken").asText("");
    if (!clientToken.isEmpty()) {
      synchronized (byClientToken) {
        byte[] earlier = byClientToken.get(clientToken);
        if (earlier != null) {
          response.setStatus(200);
          response.setContentType("application/x-amz-json-1.1");
          response.getOutputStream().write(earlier);
          return;
        }
        runTask(input, response, clientToken);
      }
      return;
    }
    runTask(input, response, clientToken);
  }

  private void runTask(JsonNode input, HttpServletResponse response, String clientToken)
      throws IOException {
    String definition = input.path("taskDefinition").asText("");
    Optional<LocalTemplate.TaskDefinition> task = find(definition);
    if (task.isEmpty()) {
      error(
          response,
          "ClientException",
          "Unable to find task definition '" + definition + "' in the local template");
      return;
    }
    Map<String, Map<String, String>> overrides = new TreeMap<>();
    for (JsonNode o : input.path("overrides").path("containerOverrides")) {
      Map<String, String> env = new TreeMap<>();
      o.path("environment")
          .forEach(kv -> env.put(kv.path("name").asText(), kv.path("value").asText()));
      overrides.put(o.path("name").asText(), env);
    }
    String cluster = input.path("cluster").asText("default");
    String clusterName = cluster.substring(cluster.lastIndexOf('/') + 1);
    String taskArn =
        "arn:aws:ecs:"
            + platform.template().region()
            + ":000000000000:task/"
            + clusterName
            + "/"
            + UUID.randomUUID().toString().replace("-", "");
    List<LocalTemplate.Container> containers = task.get().containers();
    for (LocalTemplate.Container c : containers) {
      String problem = jar(c).isPresent() ? null : "no runnable jar for image " + c.image();
      if (problem != null) {
        error(response, "ClientException", problem);
        return;
      }
    }
    for (LocalTemplate.Container c : containers) {
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () -> run(task.get(), c, overrides.getOrDefault(c.name(), Map.of())));
      platform.work().track("ECS task " + taskArn, run);
      run.thenAccept(exit -> stopped(task.get(), c, cluster, taskArn, exit));
    }
    ObjectNode out = Json.object();
    ObjectNode t = out.putArray("tasks").addObject();
    t.put("taskArn", taskArn);
    t.put("clusterArn", cluster);
    t.put("taskDefinitionArn", task.get().arn());
    t.put("lastStatus", "PROVISIONING");
    t.put("desiredStatus", "RUNNING");
    t.put("launchType", input.path("launchType").asText("FARGATE"));
    out.putArray("failures");
    byte[] body = Json.writeBytes(out);
    if (!clientToken.isEmpty()) {
      byClientToken.put(clientToken, body);
    }
    response.setStatus(200);
    response.setContentType("application/x-amz-json-1.1");
    response.getOutputStream().write(body);
  }

  private Optional<LocalTemplate.TaskDefinition> find(String definition) {
    String family = definition.substring(definition.lastIndexOf('/') + 1);
    String familyOnly = family.contains(":") ? family.substring(0, family.indexOf(':')) : family;
    return platform.template().taskDefinitions().stream()
        .filter(d -> d.arn().equals(definition) || d.family().equals(familyOnly))
        .findFirst();
  }

  /** The image's jar: {@code target/NAME.jar} of its asset directory, which its Dockerfile runs. */
  Optional<Path> jar(LocalTemplate.Container c) {
    String tag = c.image().substring(c.image().lastIndexOf(':') + 1);
    Path dir = imageDirectories.get(tag);
    if (dir == null) {
      return Optional.empty();
    }
    String name = dir.getFileName().toString();
    Path jar = dir.resolve("target").resolve(name + ".jar");
    try {
      String dockerfile = Files.readString(dir.resolve("Dockerfile"));
      if (!dockerfile.contains("\"-jar\", \"/app/" + name + ".jar\"")
          || !Files.isRegularFile(jar)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(jar);
  }

  private int run(
      LocalTemplate.TaskDefinition task, LocalTemplate.Container c, Map<String, String> overrides) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:MaxRAM=" + task.memoryMb() + "m");
    command.add("-jar");
    command.add(jar(c).orElseThrow().toString());
    command.addAll(c.command());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    String path = env.get("PATH");
    env.clear();
    if (path != null) {
      env.put("PATH", path);
    }
    env.putAll(platform.endpoints());
    env.putAll(c.environment());
    env.putAll(overrides);
    env.put("AWS_REGION", platform.template().region());
    env.put("AWS_DEFAULT_REGION", platform.template().region());
    env.put("AWS_ACCESS_KEY_ID", "local-task");
    env.put("AWS_SECRET_ACCESS_KEY", "local-task");
    // The image's JVM settings (its Dockerfile's JAVA_TOOL_OPTIONS), minus the percentage of a
    // container's memory: MaxRAM above gives the task's memory.
    env.put("JAVA_TOOL_OPTIONS", "-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC");
    Path log = platform.dataDir().resolve("tasks").resolve(task.family() + ".log");
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          Instant.now() + " START task " + task.family() + " container " + c.name() + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process process = builder.start();
      int exit = process.waitFor();
      LOG.info("ECS task {} ({}) exited {}; log: {}", task.family(), c.name(), exit, log);
      return exit;
    } catch (IOException e) {
      LOG.error("cannot start the task {}: {}", task.family(), e.toString());
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The state change ECS puts on the default bus when the task stops. */
  private void stopped(
      LocalTemplate.TaskDefinition task,
      LocalTemplate.Container c,
      String cluster,
      String taskArn,
      int exit) {
    ObjectNode detail = Json.object();
    detail.put("clusterArn", cluster);
    detail.put("taskArn", taskArn);
    detail.put("taskDefinitionArn", task.arn());
    detail.put("lastStatus", "STOPPED");
    detail.put("desiredStatus", "STOPPED");
    detail.put("stopCode", "EssentialContainerExited");
    detail.put("stoppedReason", "Essential container in task exited");
    ArrayNode containers = detail.putArray("containers");
    ObjectNode container = containers.addObject();
    container.put("name", c.name());
    container.put("lastStatus", "STOPPED");
    if (exit >= 0) {
      container.put("exitCode", exit);
    }
    platform
        .eventBus()
        .putEvents(
            List.of(
                new LocalEventBus.Entry(
                    "aws.ecs",
                    "ECS Task State Change",
                    Json.write(detail),
                    List.of(taskArn),
                    Instant.now())));
  }

  private static void error(HttpServletResponse response, String type, String message)
      throws IOException {
    response.setStatus(400);
    response.setContentType("application/x-amz-json-1.1");
    response.getOutputStream().write(Json.writeBytes(Map.of("__type", type, "message", message)));
  }
}
