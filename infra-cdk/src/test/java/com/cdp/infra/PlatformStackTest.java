package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class PlatformStackTest {
  private final Template dev = StackFixture.template("dev");

  @Test
  void everyTableOfLibModel_isOnDemandEncryptedWithPointInTimeRecovery() {
    for (var table : Tables.ALL) {
      dev.hasResourceProperties(
          "AWS::DynamoDB::Table",
          Map.of(
              "TableName", table.physicalName("dev"),
              "BillingMode", "PAY_PER_REQUEST",
              "SSESpecification", Map.of("SSEEnabled", true),
              "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
    }
  }

  @Test
  void stack_outputsWhatTheCommandLineReads_andNamesBusAndWorkgroupAsItDerivesThem() {
    JsonNode outputs = Json.tree(Json.write(dev.toJSON())).path("Outputs");
    for (String key :
        List.of(
            com.cdp.model.config.ResourceNames.OUTPUT_TRANSACTIONS_API,
            com.cdp.model.config.ResourceNames.OUTPUT_REALTIME_API,
            com.cdp.model.config.ResourceNames.OUTPUT_CALL_CONNECTOR)) {
      assertThat(outputs.has(key)).as("output %s", key).isTrue();
    }
    assertThat(Json.write(outputs.path(com.cdp.model.config.ResourceNames.OUTPUT_CALL_CONNECTOR)))
        .contains("Live");
    dev.hasResourceProperties(
        "AWS::Events::EventBus",
        Map.of("Name", com.cdp.model.config.ResourceNames.eventBus("dev")));
    dev.hasResourceProperties(
        "AWS::Athena::WorkGroup",
        Map.of("Name", com.cdp.model.config.ResourceNames.logsWorkGroup("dev")));
  }

  @Test
  void tablesWithTtl_haveTtlEnabledOnTheTtlAttribute() {
    dev.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName", Tables.SESSIONS.physicalName("dev"),
            "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true)));
  }

  @Test
  void realtimeTable_hasTheMemberTopicIndex() {
    dev.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName", Tables.REALTIME.physicalName("dev"),
            "GlobalSecondaryIndexes", List.of(Match.objectLike(Map.of("IndexName", Tables.GSI1)))));
  }

  @Test
  void eachOrganization_hasAnEncryptedPrivateVersionedDataDeliveryBucket() {
    for (String org : List.of("tcu", "demo")) {
      dev.hasResourceProperties(
          "AWS::S3::Bucket",
          Map.of(
              "BucketName",
              "cdp-dev-" + org + "-data-delivery",
              "VersioningConfiguration",
              Map.of("Status", "Enabled"),
              "PublicAccessBlockConfiguration",
              Map.of(
                  "BlockPublicAcls",
                  true,
                  "BlockPublicPolicy",
                  true,
                  "IgnorePublicAcls",
                  true,
                  "RestrictPublicBuckets",
                  true),
              "BucketEncryption",
              Match.objectLike(Map.of())));
    }
  }

  @Test
  void productionTables_areRetainedAndDeletionProtected() {
    Template prod = StackFixture.template("prod");
    prod.hasResource(
        "AWS::DynamoDB::Table",
        Map.of(
            "DeletionPolicy",
            "Retain",
            "Properties",
            Match.objectLike(
                Map.of("TableName", "cdp-prod-warehouse", "DeletionProtectionEnabled", true))));
  }

  @Test
  void everyEnvironmentConfiguration_loadsAndNamesItself() {
    for (String env : com.cdp.model.id.EnvironmentName.AWS) {
      EnvironmentConfig config = EnvironmentConfig.load(java.nio.file.Path.of("environments"), env);
      assertThat(config.name()).isEqualTo(env);
      assertThat(config.organizations()).isNotEmpty();
    }
  }

  /** The logical id a {@code Ref} or {@code Fn::GetAtt} points to, or null. */
  private static String target(JsonNode arn) {
    if (arn.has("Ref")) {
      return arn.get("Ref").asText();
    }
    if (arn.has("Fn::GetAtt")) {
      return arn.get("Fn::GetAtt").get(0).asText();
    }
    return null;
  }

  @Test
  void
      everyPlatformFunction_hasSnapStartALiveAlias_andAnOnFailureDestinationWhenInvokedAsynchronously() {
    for (String env : List.of("dev", "prod")) {
      JsonNode resources =
          Json.mapper().valueToTree(StackFixture.template(env).toJSON()).get("Resources");
      Map<String, String> functionOfAlias = new HashMap<>();
      Set<String> platformFunctions = new TreeSet<>();
      Set<String> withOnFailure = new HashSet<>();
      Set<String> invokedAsynchronously = new HashSet<>();
      resources
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode r = e.getValue();
                JsonNode props = r.path("Properties");
                switch (r.path("Type").asText()) {
                  case "AWS::Lambda::Function" -> {
                    if (props.path("Runtime").asText().equals("java17")) {
                      platformFunctions.add(e.getKey());
                      assertThat(props.at("/SnapStart/ApplyOn").asText())
                          .as(env + " " + e.getKey())
                          .isEqualTo("PublishedVersions");
                    }
                  }
                  case "AWS::Lambda::Alias" -> {
                    if (props.path("Name").asText().equals("live")) {
                      functionOfAlias.put(e.getKey(), target(props.path("FunctionName")));
                    }
                  }
                  case "AWS::Lambda::EventInvokeConfig" -> {
                    if (!props.at("/DestinationConfig/OnFailure/Destination").isMissingNode()) {
                      withOnFailure.add(target(props.path("FunctionName")));
                    }
                  }
                  case "AWS::Events::Rule" ->
                      props
                          .path("Targets")
                          .forEach(t -> invokedAsynchronously.add(target(t.path("Arn"))));
                  case "Custom::S3BucketNotifications" ->
                      props
                          .at("/NotificationConfiguration/LambdaFunctionConfigurations")
                          .forEach(
                              c -> invokedAsynchronously.add(target(c.path("LambdaFunctionArn"))));
                  default -> {}
                }
              });
      assertThat(platformFunctions).as(env).hasSizeGreaterThanOrEqualTo(11);
      assertThat(Set.copyOf(functionOfAlias.values()))
          .as(env + ": every platform function is invoked through its live alias")
          .containsAll(platformFunctions);
      Set<String> asyncFunctions = new TreeSet<>();
      for (String id : invokedAsynchronously) {
        if (id == null) {
          continue; // a target that is not a resource of this stack's (e.g. a log group ARN)
        }
        String function = functionOfAlias.getOrDefault(id, id);
        if (platformFunctions.contains(function)) {
          asyncFunctions.add(function);
        }
      }
      // S3 notifications (chunker, loader, group trigger), bus rules (cleanser, platform
      // transactions, relay, connector events) and schedules (call-connector).
      assertThat(asyncFunctions).as(env).hasSizeGreaterThanOrEqualTo(7);
      assertThat(withOnFailure)
          .as(env + ": functions invoked asynchronously keep failed events in a queue")
          .containsAll(asyncFunctions);
    }
  }
}
