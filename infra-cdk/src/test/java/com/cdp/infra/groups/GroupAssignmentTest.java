package com.cdp.infra.groups;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.infra.EnvironmentConfig;
import com.cdp.infra.FunctionCode;
import com.cdp.infra.PlatformStack;
import com.cdp.infra.StackFixture;
import com.cdp.model.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class GroupAssignmentTest {
  private final Template dev = StackFixture.template("dev");
  private final List<String> orgs =
      EnvironmentConfig.load(Path.of("environments"), "dev").organizations();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> props(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }

  private String logicalId(String type, Map<String, Object> properties) {
    Map<String, Map<String, Object>> found =
        dev.findResources(type, Map.of("Properties", Match.objectLike(properties)));
    assertThat(found).as("%s with %s", type, properties).hasSize(1);
    return found.keySet().iterator().next();
  }

  /** The statements of every inline policy attached to the role. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> statementsOf(String roleLogicalId) {
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Map<String, Object> policy : dev.findResources("AWS::IAM::Policy").values()) {
      List<Object> roles = (List<Object>) props(policy).get("Roles");
      if (roles.contains(Map.of("Ref", roleLogicalId))) {
        Map<String, Object> document = (Map<String, Object>) props(policy).get("PolicyDocument");
        statements.addAll((List<Map<String, Object>>) document.get("Statement"));
      }
    }
    return statements;
  }

  @SuppressWarnings("unchecked")
  private static String roleOf(Object getAtt) {
    return ((List<String>) ((Map<String, Object>) getAtt).get("Fn::GetAtt")).get(0);
  }

  private static List<String> actions(Map<String, Object> statement) {
    Object a = statement.get("Action");
    return a instanceof List<?> l
        ? l.stream().map(Object::toString).toList()
        : List.of(a.toString());
  }

  private static List<Object> resources(Map<String, Object> statement) {
    Object r = statement.get("Resource");
    return r instanceof List<?> l ? List.copyOf(l) : List.of(r);
  }

  private Map<String, Object> taskDefinition() {
    return props(dev.findResources("AWS::ECS::TaskDefinition").values().iterator().next());
  }

  private String triggerRole() {
    Map<String, Map<String, Object>> fns =
        dev.findResources(
            "AWS::Lambda::Function",
            Map.of("Properties", Match.objectLike(Map.of("Handler", GroupAssignment.HANDLER))));
    assertThat(fns).hasSize(1);
    return roleOf(props(fns.values().iterator().next()).get("Role"));
  }

  @Test
  void cluster_andFargateTaskDefinition_withReadOnlyRootAwsLogsAndTheGroupsTable() {
    dev.hasResourceProperties("AWS::ECS::Cluster", Map.of("ClusterName", "cdp-dev-groups"));
    dev.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "RequiresCompatibilities", List.of("FARGATE"),
            "NetworkMode", "awsvpc",
            "Cpu", "1024",
            "Memory", "2048",
            "Family", "cdp-dev-group-assignment",
            "ContainerDefinitions",
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Name",
                            "task",
                            "Essential",
                            true,
                            "ReadonlyRootFilesystem",
                            true,
                            "MountPoints",
                            List.of(
                                Map.of(
                                    "ContainerPath",
                                    "/tmp",
                                    "SourceVolume",
                                    "tmp",
                                    "ReadOnly",
                                    false)),
                            "LogConfiguration",
                            Match.objectLike(Map.of("LogDriver", "awslogs")),
                            "Environment",
                            Match.anyValue())))));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> environment =
        (List<Map<String, Object>>)
            ((List<Map<String, Object>>) taskDefinition().get("ContainerDefinitions"))
                .get(0)
                .get("Environment");
    assertThat(environment)
        .contains(
            Map.of("Name", "CDP_ENV", "Value", "dev"),
            Map.of("Name", "TABLE_GROUPS", "Value", "cdp-dev-groups"),
            Map.of("Name", "CDP_SERVER", "Value", "group-assignment-task"))
        .anySatisfy(e -> assertThat(e.get("Name")).isEqualTo("LOG_TOPIC_ARN"))
        .noneSatisfy(e -> assertThat(e.get("Name")).isEqualTo("JAVA_TOOL_OPTIONS"));
    dev.hasResourceProperties(
        "AWS::Logs::LogGroup",
        Map.of("LogGroupName", "/cdp/dev/group-assignment", "RetentionInDays", Match.anyValue()));
  }

  @Test
  void taskRole_mayReadUploadsWriteReportsAndUseOnlyTheGroupsTable() {
    List<Map<String, Object>> statements =
        statementsOf(roleOf(taskDefinition().get("TaskRoleArn")));
    String tableId = logicalId("AWS::DynamoDB::Table", Map.of("TableName", "cdp-dev-groups"));

    // kms:GenerateDataKey* is CDK's grant on the log topic's key (publishing to an encrypted
    // topic).
    assertThat(statements)
        .allSatisfy(
            s -> {
              assertThat(actions(s))
                  .noneMatch(a -> a.endsWith("*") && !a.equals("kms:GenerateDataKey*"));
              assertThat(resources(s)).doesNotContain("*");
            });
    Map<String, Object> read =
        statements.stream()
            .filter(s -> actions(s).contains("s3:GetObject"))
            .findFirst()
            .orElseThrow();
    assertThat(resources(read))
        .hasSize(orgs.size())
        .allSatisfy(r -> assertThat(Json.write(r)).endsWith("\"/group-assignments/*\"]]}"));
    Map<String, Object> write =
        statements.stream()
            .filter(s -> actions(s).contains("s3:PutObject"))
            .findFirst()
            .orElseThrow();
    assertThat(actions(write)).containsExactly("s3:PutObject");
    assertThat(resources(write))
        .hasSize(orgs.size())
        .allSatisfy(r -> assertThat(Json.write(r)).endsWith("\"/group-assignments/reports/*\"]]}"));
    Map<String, Object> table =
        statements.stream()
            .filter(s -> actions(s).contains("dynamodb:PutItem"))
            .findFirst()
            .orElseThrow();
    assertThat(resources(table)).containsExactly(Map.of("Fn::GetAtt", List.of(tableId, "Arn")));
    // The task batches its planned writes (BatchWriteItem) on the groups table only.
    assertThat(actions(table)).contains("dynamodb:BatchWriteItem", "dynamodb:BatchGetItem");
    assertThat(statements.stream().flatMap(s -> actions(s).stream()))
        .allMatch(
            a ->
                a.startsWith("s3:Get")
                    || a.equals("s3:PutObject")
                    || a.startsWith("dynamodb:")
                    || a.equals("sns:Publish")
                    || a.equals("kms:Decrypt")
                    || a.startsWith("kms:GenerateDataKey"));
    Map<String, Object> publish =
        statements.stream()
            .filter(s -> actions(s).contains("sns:Publish"))
            .findFirst()
            .orElseThrow();
    assertThat(Json.write(resources(publish))).contains("Logging");
  }

  @Test
  void trigger_mayRunOnlyThisTaskDefinitionInThisClusterAndPassOnlyItsRoles() {
    List<Map<String, Object>> statements = statementsOf(triggerRole());
    String taskDefId = dev.findResources("AWS::ECS::TaskDefinition").keySet().iterator().next();
    String clusterId = dev.findResources("AWS::ECS::Cluster").keySet().iterator().next();

    List<Map<String, Object>> runTask =
        statements.stream().filter(s -> actions(s).contains("ecs:RunTask")).toList();
    assertThat(runTask)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(actions(s)).containsExactly("ecs:RunTask");
              assertThat(resources(s)).containsExactly(Map.of("Ref", taskDefId));
              assertThat(s.get("Condition"))
                  .isEqualTo(
                      Map.of(
                          "ArnEquals",
                          Map.of("ecs:cluster", Map.of("Fn::GetAtt", List.of(clusterId, "Arn")))));
            });
    List<Map<String, Object>> passRole =
        statements.stream().filter(s -> actions(s).contains("iam:PassRole")).toList();
    assertThat(passRole)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(resources(s))
                  .containsExactlyInAnyOrder(
                      Map.of(
                          "Fn::GetAtt",
                          List.of(roleOf(taskDefinition().get("TaskRoleArn")), "Arn")),
                      Map.of(
                          "Fn::GetAtt",
                          List.of(roleOf(taskDefinition().get("ExecutionRoleArn")), "Arn")));
              assertThat(s.get("Condition"))
                  .isEqualTo(
                      Map.of(
                          "StringEquals",
                          Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
            });
    assertThat(statements)
        .allSatisfy(
            s -> {
              assertThat(actions(s))
                  .noneMatch(a -> a.equals("*") || a.startsWith("ecs:*") || a.startsWith("iam:*"));
              if (resources(s).contains("*")) {
                assertThat(actions(s)).allMatch(a -> a.startsWith("xray:"));
              }
            });
  }

  @Test
  void trigger_mayReadOnlyTheUploadsMetadata_forTheFlowsTransactionId() {
    List<Map<String, Object>> reads =
        statementsOf(triggerRole()).stream()
            .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:")))
            .toList();
    assertThat(reads)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(actions(s)).containsExactly("s3:GetObject", "s3:GetObjectVersion");
              assertThat(resources(s))
                  .hasSize(orgs.size())
                  .allSatisfy(
                      r -> assertThat(Json.write(r)).endsWith("\"/group-assignments/*\"]]}"));
            });
  }

  @Test
  void trigger_isToldWhereToRunTheTask() {
    String taskDefId = dev.findResources("AWS::ECS::TaskDefinition").keySet().iterator().next();
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            GroupAssignment.HANDLER,
            "Timeout",
            60,
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "GROUP_TASK_DEFINITION",
                        Map.of("Ref", taskDefId),
                        "GROUP_TASK_CONTAINER",
                        "task",
                        "GROUP_TASK_ASSIGN_PUBLIC_IP",
                        "ENABLED",
                        "GROUP_TASK_SUBNETS",
                        Match.anyValue(),
                        "GROUP_TASK_SECURITY_GROUPS",
                        Match.anyValue(),
                        "TABLE_GROUPS",
                        "cdp-dev-groups")))));
  }

  @Test
  void everyOrganizationsBucket_notifiesTheTriggerAliasOfEveryGroupAssignmentUpload() {
    String aliasId =
        logicalId(
            "AWS::Lambda::Alias",
            Map.of(
                "FunctionName",
                Map.of("Ref", Match.stringLikeRegexp("GroupAssignmentGroupAssignmentTrigger.*"))));
    int notified = 0;
    for (Map<String, Object> resource :
        dev.findResources("Custom::S3BucketNotifications").values()) {
      String config = Json.write(props(resource).get("NotificationConfiguration"));
      if (config.contains("group-assignments/")) {
        notified++;
        assertThat(config)
            .contains("{\"Name\":\"prefix\",\"Value\":\"group-assignments/\"}")
            .doesNotContain("{\"Name\":\"suffix\",\"Value\":\".csv\"}")
            .contains("\"LambdaFunctionArn\":{\"Ref\":\"" + aliasId + "\"}")
            .contains("\"Events\":[\"s3:ObjectCreated:*\"]");
      }
    }
    assertThat(notified).isEqualTo(orgs.size());
    dev.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of("Principal", "s3.amazonaws.com", "FunctionName", Map.of("Ref", aliasId)));
  }

  @Test
  void failedTriggerInvocations_goToAnEncryptedQueueThatAlarms() {
    String queueId =
        logicalId(
            "AWS::SQS::Queue",
            Map.of(
                "QueueName",
                "cdp-dev-group-assignment-trigger-failures",
                "SqsManagedSseEnabled",
                true));
    dev.hasResourceProperties(
        "AWS::Lambda::EventInvokeConfig",
        Map.of(
            "MaximumRetryAttempts",
            2,
            "DestinationConfig",
            Map.of(
                "OnFailure",
                Map.of("Destination", Map.of("Fn::GetAtt", List.of(queueId, "Arn"))))));
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
                    Map.of("Fn::GetAtt", List.of(queueId, "QueueName"))))));
  }

  @Test
  void tasks_acceptNoInboundTrafficAndConnectOutOnlyOverHttps() {
    dev.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Map.of(
            "GroupDescription",
            "group-assignment tasks: no inbound, HTTPS out only",
            "SecurityGroupEgress",
            List.of(
                Match.objectLike(
                    Map.of(
                        "IpProtocol",
                        "tcp",
                        "FromPort",
                        443,
                        "ToPort",
                        443,
                        "CidrIp",
                        "0.0.0.0/0")))));
    dev.resourcePropertiesCountIs(
        "AWS::EC2::SecurityGroup",
        Map.of(
            "GroupDescription",
            "group-assignment tasks: no inbound, HTTPS out only",
            "SecurityGroupIngress",
            Match.anyValue()),
        0);
    dev.resourceCountIs("AWS::EC2::NatGateway", 0);
    dev.hasResourceProperties(
        "AWS::EC2::FlowLog",
        Map.of(
            "ResourceType",
            "VPC",
            "TrafficType",
            "REJECT",
            "LogDestinationType",
            "cloud-watch-logs"));
    dev.hasResourceProperties(
        "AWS::EC2::VPCEndpoint",
        Map.of("VpcEndpointType", "Gateway", "ServiceName", Match.objectLike(Map.of())));
  }

  @Test
  void imageDirectory_comesFromTheContextAndSynthesisNeedsNoDocker(@TempDir Path dir)
      throws Exception {
    Path image = Files.createDirectories(dir.resolve("image"));
    Files.writeString(
        image.resolve("Dockerfile"), "FROM scratch\n# placeholder for synthesis tests\n");
    Path out = dir.resolve("cdk.out");
    App app =
        new App(
            AppProps.builder()
                .outdir(out.toString())
                .context(Map.of(GroupAssignment.IMAGE_CONTEXT, image.toString()))
                .build());
    Path code = Files.createDirectories(dir.resolve("code"));
    Files.writeString(code.resolve("README"), "placeholder");
    EnvironmentConfig config = EnvironmentConfig.load(Path.of("environments"), "qa");
    new PlatformStack(
        app,
        "cdp-qa",
        StackProps.builder()
            .env(Environment.builder().account("123456789012").region(config.region()).build())
            .build(),
        config,
        FunctionCode.placeholder(code));
    app.synth();

    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("Dockerfile")))
          .singleElement()
          .satisfies(
              p -> assertThat(Files.readString(p)).contains("placeholder for synthesis tests"));
    }
  }

  /** The properties of the rule on stopped group-assignment tasks. */
  private Map<String, Object> taskFailureRule() {
    Map<String, Map<String, Object>> rules =
        dev.findResources(
            "AWS::Events::Rule",
            Map.of(
                "Properties",
                Match.objectLike(Map.of("Name", "cdp-dev-group-assignment-task-failures"))));
    assertThat(rules).hasSize(1);
    return props(rules.values().iterator().next());
  }

  @Test
  void taskFailureRule_matchesThisTaskDefinitionsStoppedTasksWithAFailingOrMissingExitCode() {
    String clusterId = dev.findResources("AWS::ECS::Cluster").keySet().iterator().next();
    Map<String, Object> rule = taskFailureRule();
    assertThat(rule).doesNotContainKey("EventBusName"); // the default bus: where ECS sends
    assertThat(rule.get("State")).isEqualTo("ENABLED");
    @SuppressWarnings("unchecked")
    Map<String, Object> pattern = (Map<String, Object>) rule.get("EventPattern");
    assertThat(pattern)
        .containsEntry("source", List.of("aws.ecs"))
        .containsEntry("detail-type", List.of("ECS Task State Change"));
    @SuppressWarnings("unchecked")
    Map<String, Object> detail = (Map<String, Object>) pattern.get("detail");
    assertThat(detail.keySet())
        .containsExactlyInAnyOrder("clusterArn", "taskDefinitionArn", "lastStatus", "$or");
    assertThat(detail)
        .containsEntry("lastStatus", List.of("STOPPED"))
        .containsEntry("clusterArn", List.of(Map.of("Fn::GetAtt", List.of(clusterId, "Arn"))));
    // Any revision of this family only: the prefix ends with "family:".
    assertThat(Json.write(detail.get("taskDefinitionArn")))
        .startsWith("[{\"prefix\":")
        .contains(":ecs:us-east-1:123456789012:task-definition/cdp-dev-group-assignment:\"]]}}]");
    // Exit 0 is a processed file (rejected ones included); anything else, or no exit code at all
    // (the task never started), is a failure.
    assertThat(detail.get("$or"))
        .isEqualTo(
            List.of(
                Map.of(
                    "containers", Map.of("exitCode", List.of(Map.of("anything-but", List.of(0))))),
                Map.of("containers", Map.of("exitCode", List.of(Map.of("exists", false))))));
  }

  @Test
  void taskFailureRule_writesTheEventsToALogGroupWithTheEnvironmentsRetention() {
    String logGroupId =
        logicalId(
            "AWS::Logs::LogGroup",
            Map.of(
                "LogGroupName",
                "/aws/events/cdp-dev-group-assignment-task-failures",
                "RetentionInDays",
                30));
    Map<String, Object> rule = taskFailureRule();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> targets = (List<Map<String, Object>>) rule.get("Targets");
    assertThat(targets).hasSize(1);
    assertThat(targets.get(0)).doesNotContainKey("RoleArn"); // Logs targets use the policy
    assertThat(Json.write(targets.get(0).get("Arn")))
        .contains(":logs:us-east-1:123456789012:log-group:")
        .contains("{\"Ref\":\"" + logGroupId + "\"}");

    // EventBridge may write to that log group, and only to it.
    List<String> policies = new ArrayList<>();
    for (Map<String, Object> policy : dev.findResources("AWS::Logs::ResourcePolicy").values()) {
      String document = Json.write(props(policy).get("PolicyDocument"));
      if (document.contains("events.amazonaws.com")) {
        policies.add(document);
      }
    }
    assertThat(policies)
        .singleElement()
        .satisfies(
            d ->
                assertThat(d)
                    .contains("logs:CreateLogStream", "logs:PutLogEvents")
                    .contains(
                        "\"Resource\\\":\\\"\",{\"Fn::GetAtt\":[\"" + logGroupId + "\",\"Arn\"]}"));

    Template prod = StackFixture.template("prod");
    prod.hasResource(
        "AWS::Logs::LogGroup",
        Map.of(
            "DeletionPolicy",
            "Retain",
            "Properties",
            Map.of(
                "LogGroupName",
                "/aws/events/cdp-prod-group-assignment-task-failures",
                "RetentionInDays",
                365)));
  }

  @Test
  void taskFailureRule_triggeringAlarmsOnThePlatformAlarmTopic() {
    String topicId = logicalId("AWS::SNS::Topic", Map.of("TopicName", "cdp-dev-alarms"));
    dev.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "Namespace",
            "AWS/Events",
            "MetricName",
            "TriggeredRules",
            "Dimensions",
            List.of(Map.of("Name", "RuleName", "Value", "cdp-dev-group-assignment-task-failures")),
            "Statistic",
            "Sum",
            "Period",
            300,
            "EvaluationPeriods",
            1,
            "Threshold",
            1,
            "ComparisonOperator",
            "GreaterThanOrEqualToThreshold",
            "TreatMissingData",
            "notBreaching",
            "AlarmActions",
            List.of(Map.of("Ref", topicId))));
  }

  private static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/groups";

  /** The rule's pattern as deployed, with the template's intrinsics resolved to concrete values. */
  private String deployedTaskFailurePattern() {
    return Json.write(resolve(taskFailureRule().get("EventPattern")));
  }

  @SuppressWarnings("unchecked")
  private static Object resolve(Object node) {
    if (node instanceof Map<?, ?> map) {
      if (map.containsKey("Fn::GetAtt")) {
        return CLUSTER_ARN; // the only attribute in the pattern: the cluster's ARN
      }
      if (map.containsKey("Ref")) {
        return switch (String.valueOf(map.get("Ref"))) {
          case "AWS::Partition" -> "aws";
          case "AWS::Region" -> "us-east-1";
          case "AWS::AccountId" -> "123456789012";
          default -> throw new IllegalStateException("unexpected Ref in the pattern: " + map);
        };
      }
      if (map.containsKey("Fn::Join")) {
        List<Object> join = (List<Object>) map.get("Fn::Join");
        StringBuilder joined = new StringBuilder();
        for (Object part : (List<Object>) join.get(1)) {
          joined.append(resolve(part));
        }
        return joined.toString();
      }
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), resolve(v)));
      return out;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(GroupAssignmentTest::resolve).toList();
    }
    return node;
  }

  private static String ecsTaskEvent(
      String cluster, String family, String lastStatus, String stopCode, Integer exitCode) {
    Map<String, Object> container = new java.util.LinkedHashMap<>();
    container.put("name", "task");
    container.put("lastStatus", lastStatus);
    if (exitCode != null) {
      container.put("exitCode", exitCode);
    }
    Map<String, Object> detail = new java.util.LinkedHashMap<>();
    detail.put("clusterArn", cluster);
    detail.put(
        "taskDefinitionArn", "arn:aws:ecs:us-east-1:123456789012:task-definition/" + family + ":7");
    detail.put("lastStatus", lastStatus);
    detail.put("desiredStatus", "STOPPED");
    if (stopCode != null) {
      detail.put("stopCode", stopCode);
    }
    detail.put("containers", List.of(container));
    return Json.write(
        Map.of(
            "version", "0",
            "id", "3317b2af-7005-947d-b652-f55e762e571a",
            "detail-type", "ECS Task State Change",
            "source", "aws.ecs",
            "account", "123456789012",
            "time", "2026-11-28T05:00:00Z",
            "region", "us-east-1",
            "resources", List.of("arn:aws:ecs:us-east-1:123456789012:task/groups/0f1e"),
            "detail", detail));
  }

  @Test
  void taskFailureRule_asEventBridgeMatchesIt_pagesOnFailuresOnly() throws Exception {
    software.amazon.event.ruler.Machine machine = new software.amazon.event.ruler.Machine();
    machine.addRule("failures", deployedTaskFailurePattern());
    String family = "cdp-dev-group-assignment";
    java.util.function.Function<String, Boolean> matches =
        event -> {
          try {
            return !machine.rulesForJSONEvent(event).isEmpty();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };

    // A processed file (a rejected one too) exits 0: no page.
    assertThat(
            matches.apply(
                ecsTaskEvent(CLUSTER_ARN, family, "STOPPED", "EssentialContainerExited", 0)))
        .isFalse();
    // Failed part-way (1), unreadable input (2), killed (137): pages.
    for (int code : new int[] {1, 2, 137}) {
      assertThat(
              matches.apply(
                  ecsTaskEvent(CLUSTER_ARN, family, "STOPPED", "EssentialContainerExited", code)))
          .as("exit %d", code)
          .isTrue();
    }
    // Never started (image pull, ENI): no exit code at all: pages.
    assertThat(
            matches.apply(ecsTaskEvent(CLUSTER_ARN, family, "STOPPED", "TaskFailedToStart", null)))
        .isTrue();
    // Still running, another family with the same start, another cluster: not this rule's.
    assertThat(matches.apply(ecsTaskEvent(CLUSTER_ARN, family, "RUNNING", null, null))).isFalse();
    assertThat(
            matches.apply(
                ecsTaskEvent(
                    CLUSTER_ARN, family + "-canary", "STOPPED", "EssentialContainerExited", 1)))
        .isFalse();
    assertThat(
            matches.apply(
                ecsTaskEvent(
                    "arn:aws:ecs:us-east-1:123456789012:cluster/other",
                    family,
                    "STOPPED",
                    "EssentialContainerExited",
                    1)))
        .isFalse();
  }
}
