package com.cdp.groups.trigger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.retry.Backoff;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/** RunTask through the real SDK against a WireMock ECS endpoint, including the faults. */
class EcsTaskLauncherTest {
  private static final String TARGET = "AmazonEC2ContainerServiceV20141113.RunTask";
  private static final String OK =
      """
      {"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/cdp-dev-groups/abc123"}],"failures":[]}""";
  private static final String NO_CAPACITY =
      """
      {"tasks":[],"failures":[{"reason":"Capacity is unavailable at this time. Please try again later or in a different availability zone"}]}""";

  private final WireMockServer ecs = new WireMockServer(wireMockConfig().dynamicPort());
  private final List<Duration> pauses = new ArrayList<>();
  private EcsClient client;
  private EcsTaskLauncher launcher;

  private final AssignmentObject object =
      new AssignmentObject(
          OrganizationId.of("tcu"),
          "cdp-dev-tcu-data-delivery",
          "group-assignments/june.csv",
          Optional.of("v-1"),
          Optional.of("\"abc\""),
          Optional.of("0055"));

  @BeforeEach
  void start() {
    ecs.start();
    client = AwsClients.build(EcsClient.builder(), AwsTarget.local(URI.create(ecs.baseUrl())));
    launcher =
        new EcsTaskLauncher(
            client,
            new EcsTaskLauncher.Target(
                "cdp-dev-groups",
                "arn:aws:ecs:us-east-1:123456789012:task-definition/groups:3",
                "task",
                List.of("subnet-1", "subnet-2"),
                List.of("sg-1"),
                true),
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 4, pauses::add));
  }

  @AfterEach
  void stop() {
    client.close();
    ecs.stop();
  }

  private void stub(String scenarioState, String nextState, int status, String body) {
    ecs.stubFor(
        post(urlEqualTo("/"))
            .withHeader("X-Amz-Target", equalTo(TARGET))
            .inScenario("runTask")
            .whenScenarioStateIs(scenarioState)
            .willSetStateTo(nextState)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(body)));
  }

  private JsonNode lastRequest() {
    var requests = ecs.findAll(postRequestedFor(urlEqualTo("/")));
    return Json.tree(requests.get(requests.size() - 1).getBodyAsString());
  }

  @Test
  void launch_runsTheTaskOnFargateWithOverridesNamingTheObjectAndTheRunIdAsClientToken() {
    stub(Scenario.STARTED, Scenario.STARTED, 200, OK);

    String task = launcher.launch(object);

    assertThat(task).endsWith("task/cdp-dev-groups/abc123");
    JsonNode request = lastRequest();
    assertThat(request.path("cluster").asText()).isEqualTo("cdp-dev-groups");
    assertThat(request.path("taskDefinition").asText()).endsWith("task-definition/groups:3");
    assertThat(request.path("launchType").asText()).isEqualTo("FARGATE");
    assertThat(request.path("clientToken").asText()).isEqualTo(object.runId());
    JsonNode vpc = request.path("networkConfiguration").path("awsvpcConfiguration");
    assertThat(vpc.path("subnets").toString()).isEqualTo("[\"subnet-1\",\"subnet-2\"]");
    assertThat(vpc.path("assignPublicIp").asText()).isEqualTo("ENABLED");
    JsonNode override = request.path("overrides").path("containerOverrides").get(0);
    assertThat(override.path("name").asText()).isEqualTo("task");
    assertThat(override.path("environment").toString())
        .contains("{\"name\":\"ASSIGNMENT_ORGANIZATION\",\"value\":\"tcu\"}")
        .contains("{\"name\":\"ASSIGNMENT_BUCKET\",\"value\":\"cdp-dev-tcu-data-delivery\"}")
        .contains("{\"name\":\"ASSIGNMENT_KEY\",\"value\":\"group-assignments/june.csv\"}")
        .contains("{\"name\":\"ASSIGNMENT_VERSION_ID\",\"value\":\"v-1\"}")
        .contains("{\"name\":\"ASSIGNMENT_ETAG\",\"value\":\"abc\"}");
  }

  @Test
  void launch_whenFargateHasNoCapacity_retriesWithBackoffUntilItStarts() {
    stub(Scenario.STARTED, "second", 200, NO_CAPACITY);
    stub("second", "third", 200, NO_CAPACITY);
    stub("third", "third", 200, OK);

    assertThat(launcher.launch(object)).endsWith("abc123");
    assertThat(ecs.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(3);
    assertThat(pauses).hasSize(2);
  }

  @Test
  void launch_whenThrottled_retriesAndStarts() {
    stub(
        Scenario.STARTED,
        "ok",
        400,
        "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
    stub("ok", "ok", 200, OK);

    assertThat(launcher.launch(object)).endsWith("abc123");
    assertThat(ecs.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2);
  }

  @Test
  void launch_whenCapacityNeverComes_failsRetryablyAfterTheLastAttempt() {
    stub(Scenario.STARTED, Scenario.STARTED, 200, NO_CAPACITY);

    assertThatThrownBy(() -> launcher.launch(object))
        .isInstanceOfSatisfying(
            TaskLauncher.LaunchException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("4 times")
        .hasMessageContaining("Capacity is unavailable");
    assertThat(ecs.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(4);
  }

  @Test
  void launch_whenTheRequestIsInvalid_failsAtOnceWithoutRetrying() {
    stub(
        Scenario.STARTED,
        Scenario.STARTED,
        400,
        "{\"__type\":\"InvalidParameterException\",\"message\":\"subnet-1 does not exist\"}");

    assertThatThrownBy(() -> launcher.launch(object))
        .isInstanceOfSatisfying(
            TaskLauncher.LaunchException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("InvalidParameterException")
        .hasMessageContaining("subnet-1 does not exist");
    assertThat(ecs.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(1);
  }

  @Test
  void launch_whenAFailureIsPermanent_failsWithoutRetrying() {
    stub(
        Scenario.STARTED,
        Scenario.STARTED,
        200,
        "{\"tasks\":[],\"failures\":[{\"reason\":\"MISSING\",\"arn\":\"x\"}]}");
    assertThatThrownBy(() -> launcher.launch(object)).hasMessageContaining("MISSING");
    assertThat(ecs.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(1);
  }
}
