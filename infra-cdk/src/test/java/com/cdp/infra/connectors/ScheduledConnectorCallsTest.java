package com.cdp.infra.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.infra.EnvironmentConfig;
import com.cdp.infra.FunctionCode;
import com.cdp.infra.PlatformStack;
import com.cdp.infra.StackFixture;
import com.cdp.infra.TemplateJson;
import com.cdp.model.connector.ConnectorCallRequest;
import com.cdp.model.json.Json;
import com.cdp.schedules.ConnectorSchedule;
import com.cdp.schedules.ConnectorSchedules;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ScheduledConnectorCallsTest {
  private final Template dev = StackFixture.template("dev");
  private final ConnectorSchedules repository =
      ConnectorSchedules.load(ConnectorSchedules.locate(Path.of("")));

  @Test
  void everyScheduleOfTheEnvironment_inTheRepositoryConfig_becomesASchedule_andNoOther() {
    List<ConnectorSchedule> expected = repository.forEnvironment("dev").schedules();
    assertThat(expected).isNotEmpty();
    assertThat(dev.findResources("AWS::Scheduler::Schedule")).hasSize(expected.size());
    for (ConnectorSchedule s : expected) {
      dev.hasResourceProperties(
          "AWS::Scheduler::Schedule",
          Map.of(
              "Name", s.name(),
              "GroupName", "cdp-dev-connectors",
              "ScheduleExpression", s.expression().expression(),
              "ScheduleExpressionTimezone", s.timezone().getId(),
              "FlexibleTimeWindow", Map.of("Mode", "OFF"),
              "State", "ENABLED"));
    }
    assertThat(Json.write(dev.findResources("AWS::Scheduler::Schedule")))
        .doesNotContain("local-heartbeat");
  }

  @Test
  void scheduleInput_isTheContractPayloadWithTheFiresIdentity_andTargetsTheLiveAlias() {
    ConnectorSchedule sync = repository.schedule("tcu-sync-transfers").orElseThrow();
    JsonNode target = schedule("tcu-sync-transfers").at("/Properties/Target");
    JsonNode input = Json.tree(target.path("Input").asText());
    assertThat(ConnectorCallRequest.fromJson(input)).isEqualTo(sync.request());
    assertThat(input.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "organizationId",
            "connector",
            "version",
            "method",
            "params",
            "scheduleArn",
            "scheduledTime");
    // Scheduler's context attributes, replaced at each fire: the function derives the call's
    // x-transaction-id from them, the same on every retry of that fire.
    assertThat(input.path("scheduleArn").asText()).isEqualTo("<aws.scheduler.schedule-arn>");
    assertThat(input.path("scheduledTime").asText()).isEqualTo("<aws.scheduler.scheduled-time>");
    assertThat(target.path("Arn").toString())
        .contains(logicalIdOf("AWS::Lambda::Alias", "CallConnectorLive"));
  }

  @Test
  void schedule_retriesDeliveryAndDeadLetters() {
    JsonNode target = schedule("tcu-sync-transfers").at("/Properties/Target");
    assertThat(target.at("/RetryPolicy/MaximumRetryAttempts").asInt())
        .isEqualTo(ScheduledConnectorCalls.DELIVERY_RETRIES);
    assertThat(target.at("/RetryPolicy/MaximumEventAgeInSeconds").asInt()).isEqualTo(3600);
    assertThat(target.at("/DeadLetterConfig/Arn").toString())
        .contains(logicalIdOf("AWS::SQS::Queue", "ConnectorCallsDeadLetters"));
  }

  @Test
  void failedInvocations_areRetriedByLambda_thenSentToTheSameDeadLetterQueue_whichAlarms() {
    String queue = logicalIdOf("AWS::SQS::Queue", "ConnectorCallsDeadLetters");
    dev.hasResourceProperties(
        "AWS::Lambda::EventInvokeConfig",
        Map.of(
            "MaximumRetryAttempts",
            ScheduledConnectorCalls.FUNCTION_RETRIES,
            "FunctionName",
            Map.of("Ref", logicalIdOf("AWS::Lambda::Function", "ConnectorCallsCallConnector")),
            "DestinationConfig",
            Map.of(
                "OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(queue, "Arn"))))));
    dev.hasResourceProperties(
        "AWS::SQS::Queue",
        Map.of("QueueName", "cdp-dev-call-connector-dlq", "SqsManagedSseEnabled", true));
    dev.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "MetricName",
            "ApproximateNumberOfMessagesVisible",
            "Dimensions",
            List.of(
                Map.of(
                    "Name",
                    "QueueName",
                    "Value",
                    Map.of("Fn::GetAtt", List.of(queue, "QueueName"))))));
  }

  @Test
  void function_timeoutIsLongerThanItsHubTimeout_andItKnowsTheHub() {
    assertThat(ScheduledConnectorCalls.FUNCTION_TIMEOUT.toSeconds().intValue())
        .isGreaterThan(ScheduledConnectorCalls.HUB_TIMEOUT.toSeconds().intValue());
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            ScheduledConnectorCalls.HANDLER,
            "Timeout",
            30,
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "CONNECTOR_HUB_URL", "https://dev.cdp-hub.com",
                        "HUB_TIMEOUT", "PT10S")))));
  }

  @Test
  void schedulerRole_isAssumedBySchedulerOnly_andMayInvokeTheAliasAndDeadLetter() {
    dev.hasResourceProperties(
        "AWS::IAM::Role",
        Map.of(
            "AssumeRolePolicyDocument",
            Match.objectLike(
                Map.of(
                    "Statement",
                    List.of(
                        Match.objectLike(
                            Map.of("Principal", Map.of("Service", "scheduler.amazonaws.com"))))))));
    String role = logicalIdOf("AWS::IAM::Role", "ConnectorCallsSchedulerRole");
    String statements = "";
    for (var e : Json.mapper().valueToTree(dev.findResources("AWS::IAM::Policy")).properties()) {
      if (e.getValue().at("/Properties/Roles").toString().contains(role)) {
        statements += e.getValue().at("/Properties/PolicyDocument/Statement").toString();
      }
    }
    assertThat(statements).contains("lambda:InvokeFunction").contains("sqs:SendMessage");
  }

  @Test
  void eventCall_becomesARuleOnThePlatformBus_whoseInputTransformerBuildsThePayload() {
    var call = repository.forEnvironment("dev").eventCalls().get(0);
    JsonNode rule = only("AWS::Events::Rule", "Rule" + call.name());
    assertThat(rule.at("/Properties/EventPattern")).isEqualTo(Json.tree(call.pattern()));
    assertThat(rule.at("/Properties/EventBusName").toString())
        .contains(logicalIdOf("AWS::Events::EventBus", "PlatformBus"));
    JsonNode target = rule.at("/Properties/Targets/0");
    assertThat(target.at("/InputTransformer/InputTemplate").asText())
        .isEqualTo(call.inputTemplate());
    assertThat(target.at("/InputTransformer/InputPathsMap"))
        .isEqualTo(Json.mapper().valueToTree(call.inputPaths()));
    // The call joins the event's flow: the detail's transactionId, never its eventId.
    assertThat(target.at("/InputTransformer/InputPathsMap/transactionId").asText())
        .isEqualTo("$.detail.transactionId");
    assertThat(target.at("/InputTransformer/InputTemplate").asText())
        .contains("\"transactionId\":<transactionId>")
        .doesNotContain("eventId");
    assertThat(target.at("/RetryPolicy/MaximumRetryAttempts").asInt())
        .isEqualTo(ScheduledConnectorCalls.DELIVERY_RETRIES);
    assertThat(target.at("/DeadLetterConfig/Arn").toString())
        .contains(logicalIdOf("AWS::SQS::Queue", "ConnectorCallsDeadLetters"));
    dev.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of(
            "Principal",
            "events.amazonaws.com",
            "SourceArn",
            Map.of(
                "Fn::GetAtt",
                List.of(logicalIdOf("AWS::Events::Rule", "Rule" + call.name()), "Arn"))));
  }

  @Test
  void scheduleForAnOrganizationTheEnvironmentDoesNotServe_failsSynthesis() throws Exception {
    ConnectorSchedules config =
        ConnectorSchedules.parse(
            """
            {"schedules":[{"name":"ghost","expression":"rate(1 hour)","organizationId":"ghost-cu",
              "connector":"c","version":"1","method":"m"}]}""",
            "test");
    PlatformStack stack = freshDevStack();

    assertThatThrownBy(() -> new ScheduledConnectorCalls(stack, "Extra", stack, config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ghost")
        .hasMessageContaining("does not serve");
  }

  @Test
  void schedulePayloadLongerThanSchedulersInputLimit_failsSynthesis() throws Exception {
    String big = "x".repeat(ScheduledConnectorCalls.MAX_INPUT_CHARS);
    ConnectorSchedules config =
        ConnectorSchedules.parse(
            "{\"schedules\":[{\"name\":\"big\",\"expression\":\"rate(1 hour)\","
                + "\"organizationId\":\"tcu\",\"connector\":\"c\",\"version\":\"1\","
                + "\"method\":\"m\",\"params\":{\"blob\":\""
                + big
                + "\"}}]}",
            "test");
    PlatformStack stack = freshDevStack();

    assertThatThrownBy(() -> new ScheduledConnectorCalls(stack, "Extra", stack, config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 8192");
  }

  private static PlatformStack freshDevStack() throws Exception {
    Path placeholder = Files.createTempDirectory("cdk-code");
    Files.writeString(placeholder.resolve("README"), "placeholder");
    return new PlatformStack(
        new App(),
        "cdp-dev",
        StackProps.builder()
            .env(Environment.builder().account("123456789012").region("us-east-1").build())
            .build(),
        EnvironmentConfig.load(Path.of("environments"), "dev"),
        FunctionCode.placeholder(placeholder));
  }

  private JsonNode schedule(String name) {
    List<JsonNode> found = new ArrayList<>();
    Json.mapper()
        .valueToTree(dev.findResources("AWS::Scheduler::Schedule"))
        .forEach(
            r -> {
              if (r.at("/Properties/Name").asText().equals(name)) {
                found.add(r);
              }
            });
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private JsonNode resources(String type) {
    return TemplateJson.resources(dev, type);
  }

  private String logicalIdOf(String type, String idPart) {
    return TemplateJson.logicalIdOf(dev, type, idPart);
  }

  private JsonNode only(String type, String idPart) {
    return TemplateJson.only(dev, type, idPart);
  }
}
