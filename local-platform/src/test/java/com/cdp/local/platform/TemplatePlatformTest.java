package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.AwsClients;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.connector.HubApiKey;
import com.cdp.model.json.Json;
import com.cdp.model.table.TableDefinition;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The platform as the synthesized local template describes it: what it creates comes from the
 * template, and the template's functions run from their jars with the local endpoints.
 */
class TemplatePlatformTest {
  @TempDir static Path dataDir;
  static LocalPlatform platform;

  @BeforeAll
  static void start() {
    LocalService connectorCalls =
        new LocalService() {
          @Override
          public String name() {
            return "connector-calls";
          }

          @Override
          public void start(LocalPlatform p) {}

          @Override
          public List<String> templateFunctions() {
            return List.of("call-connector");
          }
        };
    platform =
        LocalPlatform.start(
            LocalOptions.forTests(dataDir, RepoRoot.find()), List.of(connectorCalls));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void everyTableOfTheTemplateExists_withItsKeysAndIndexes_andTheyAreTheTablesTheCodeNames() {
    List<LocalTemplate.Table> tables = platform.template().tables();
    assertThat(tables)
        .extracting(LocalTemplate.Table::name)
        .containsExactlyInAnyOrderElementsOf(Tables.ALL.stream().map(platform::tableName).toList());
    for (LocalTemplate.Table table : tables) {
      TableDescription d =
          platform.dynamoDb().describeTable(r -> r.tableName(table.name())).table();
      assertThat(d.keySchema())
          .anySatisfy(
              k -> {
                assertThat(k.attributeName()).isEqualTo(table.partitionKey());
                assertThat(k.keyTypeAsString()).isEqualTo("HASH");
              });
      table
          .sortKey()
          .ifPresent(
              sk ->
                  assertThat(d.keySchema())
                      .anySatisfy(k -> assertThat(k.attributeName()).isEqualTo(sk)));
      assertThat(d.globalSecondaryIndexes())
          .extracting(i -> i.indexName())
          .containsExactlyInAnyOrderElementsOf(
              table.indexes().stream().map(LocalTemplate.Index::name).toList());
    }
    TableDefinition warehouse = LocalPlatform.definition(tables.get(0));
    assertThat(warehouse.partitionKey()).isEqualTo(tables.get(0).partitionKey());
  }

  @Test
  void everyBucketOfTheTemplateExists() {
    assertThat(platform.template().buckets())
        .extracting(LocalTemplate.Bucket::name)
        .contains("cdp-local-logs", "tcu-data-delivery", "demo-data-delivery");
    for (LocalTemplate.Bucket bucket : platform.template().buckets()) {
      platform.s3().headBucket(r -> r.bucket(bucket.name()));
    }
  }

  @Test
  void aTemplateSecretIsGeneratedByItsRules_readByItsArn_andKeptInOneFileInTheSecretsDirectory()
      throws Exception {
    LocalTemplate.Secret pepper =
        platform.template().secrets().stream()
            .filter(s -> s.name().equals("cdp/local/api-key-pepper"))
            .findFirst()
            .orElseThrow();
    try (var client = AwsClients.build(SecretsManagerClient.builder(), platform.secretsTarget())) {
      String byArn = client.getSecretValue(r -> r.secretId(pepper.arn())).secretString();
      String byName = client.getSecretValue(r -> r.secretId(pepper.name())).secretString();
      // GenerateSecretString: PasswordLength 48, ExcludePunctuation.
      assertThat(byArn).matches("[A-Za-z0-9]{48}").isEqualTo(byName);
      assertThat(platform.secrets().get("cdp/local/api-key-pepper")).isEqualTo(byArn);
    }
    Path secretsDir = dataDir.resolve("secrets");
    try (Stream<Path> files = Files.walk(secretsDir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> secretsDir.relativize(p).toString()))
          .contains("cdp%2Flocal%2Fapi-key-pepper")
          .allMatch(name -> !name.contains("/"));
    }
    String outside = platform.secrets().get("../../escape");
    assertThat(outside).isNotBlank();
    assertThat(secretsDir.resolve("%2E%2E%2F%2E%2E%2Fescape")).exists();
    assertThat(dataDir.getParent().resolve("escape")).doesNotExist();
    assertThatThrownBy(() -> platform.secrets().get("no spaces"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTemplateRule_invokesItsFunctionAsynchronously_withTheInputTransformersPayload()
      throws Exception {
    String member = "M-" + java.util.UUID.randomUUID();
    try (var events =
        AwsClients.build(
            software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder(),
            platform.eventsTarget())) {
      events.putEvents(
          r ->
              r.entries(
                  e ->
                      e.eventBusName("local")
                          .source("cdp.platform")
                          .detailType("account_nicknameupdated")
                          .detail(
                              "{\"organizationId\":\"tcu\",\"accountId\":\"A-7\","
                                  + "\"memberId\":\""
                                  + member
                                  + "\",\"nickname\":\"Trip\",\"transactionId\":\"tx-1\"}")));
    }
    assertThat(platform.awaitIdle(java.time.Duration.ofSeconds(120))).isTrue();

    // The template's rule cdp-local-connector-nickname-to-core: its InputTransformer builds the
    // call-connector payload (cdp-core v2 updateNickname), and the function calls the hub.
    assertThat(platform.connectorHub().calls())
        .anySatisfy(
            c -> {
              assertThat(c.connector()).isEqualTo("cdp-core");
              assertThat(c.method()).isEqualTo("updateNickname");
              assertThat(c.organizationId()).isEqualTo("tcu");
              assertThat(c.body().path("memberId").asText()).isEqualTo(member);
              assertThat(c.body().path("nickname").asText()).isEqualTo("Trip");
            });
    assertThat(platform.triggerReport())
        .anyMatch(line -> line.contains("relay") && line.contains("no area"));
  }

  @Test
  void
      theLogTopic_acceptsPublishAndPublishBatch_intoTheLocalDeliveryStream_andOtherTopicsAreNotFound() {
    String topic = platform.template().logDeliveries().get(0).topicArn();
    long before = platform.logStream().stats().records();
    try (var sns =
        AwsClients.build(
            software.amazon.awssdk.services.sns.SnsClient.builder(), platform.snsTarget())) {
      sns.publish(r -> r.topicArn(topic).message("{\"level\":\"INFO\",\"message\":\"one\"}"));
      var batch =
          sns.publishBatch(
              r ->
                  r.topicArn(topic)
                      .publishBatchRequestEntries(
                          e -> e.id("a").message("{\"message\":\"two <&>\"}"),
                          e -> e.id("b").message("{\"message\":\"three\"}")));
      assertThat(batch.successful()).extracting(s -> s.id()).containsExactly("a", "b");
      assertThat(batch.failed()).isEmpty();
      assertThatThrownBy(
              () ->
                  sns.publish(
                      r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:nobody").message("x")))
          .isInstanceOf(software.amazon.awssdk.services.sns.model.NotFoundException.class);
    }
    assertThat(platform.logStream().stats().records() - before).isEqualTo(3);
  }

  @Test
  void runTask_startsTheTaskDefinitionAsAJvm_andItsStopReachesTheTemplatesRuleOnFailedTasks()
      throws Exception {
    // The values the group-assignment trigger calls RunTask with, from its template environment.
    Map<String, String> trigger = platform.function("group-assignment-trigger").environment();
    String taskArn;
    try (var ecs =
        AwsClients.build(
            software.amazon.awssdk.services.ecs.EcsClient.builder(),
            com.cdp.aws.AwsTarget.local(
                java.net.URI.create(platform.gatewayUrl() + "/_aws/ecs")))) {
      var response =
          ecs.runTask(
              r ->
                  r.cluster(trigger.get("GROUP_TASK_CLUSTER"))
                      .taskDefinition(trigger.get("GROUP_TASK_DEFINITION"))
                      .launchType(software.amazon.awssdk.services.ecs.model.LaunchType.FARGATE)
                      .overrides(
                          o ->
                              o.containerOverrides(
                                  c ->
                                      c.name(trigger.get("GROUP_TASK_CONTAINER"))
                                          .environment(
                                              software.amazon.awssdk.services.ecs.model.KeyValuePair
                                                  .builder()
                                                  .name("ASSIGNMENT_NOTE")
                                                  .value("no object named: the task must fail")
                                                  .build()))));
      assertThat(response.failures()).isEmpty();
      taskArn = response.tasks().get(0).taskArn();
    }
    assertThat(platform.awaitIdle(java.time.Duration.ofSeconds(120))).isTrue();

    // The task ran from the image's jar with the task definition's environment: its log names
    // the configuration it missed; it exited non-zero.
    String taskLog =
        Files.readString(
            dataDir
                .resolve("tasks")
                .resolve(platform.template().taskDefinitions().get(0).family() + ".log"));
    assertThat(taskLog).contains("group-assignment: cannot start");
    // ECS's state change reached the bus, and the template's rule on stopped tasks with a
    // non-zero exit (its $or pattern) wrote it to its log group.
    Path groups = dataDir.resolve("log-groups");
    List<String> logged;
    try (Stream<Path> files = Files.list(groups)) {
      logged =
          files
              .flatMap(
                  f -> {
                    try {
                      return Files.readAllLines(f).stream();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertThat(logged)
        .anySatisfy(
            line -> {
              var event = Json.tree(line);
              assertThat(event.path("detail-type").asText()).isEqualTo("ECS Task State Change");
              assertThat(event.path("detail").path("taskArn").asText()).isEqualTo(taskArn);
              assertThat(event.at("/detail/containers/0/exitCode").asInt()).isNotZero();
            });
  }

  @Test
  void runTask_repeatedWithTheSameClientToken_startsOneTask() throws Exception {
    Map<String, String> trigger = platform.function("group-assignment-trigger").environment();
    String token = "run-" + java.util.UUID.randomUUID();
    List<String> arns = new java.util.ArrayList<>();
    try (var ecs =
        AwsClients.build(
            software.amazon.awssdk.services.ecs.EcsClient.builder(),
            com.cdp.aws.AwsTarget.local(
                java.net.URI.create(platform.gatewayUrl() + "/_aws/ecs")))) {
      for (int i = 0; i < 2; i++) {
        arns.add(
            ecs.runTask(
                    r ->
                        r.cluster(trigger.get("GROUP_TASK_CLUSTER"))
                            .taskDefinition(trigger.get("GROUP_TASK_DEFINITION"))
                            .clientToken(token))
                .tasks()
                .get(0)
                .taskArn());
      }
    }
    assertThat(platform.awaitIdle(java.time.Duration.ofSeconds(120))).isTrue();
    assertThat(arns.get(1)).isEqualTo(arns.get(0));
    long stops =
        Files.readAllLines(dataDir.resolve("events.ndjson")).stream()
            .filter(line -> line.contains("ECS Task State Change") && line.contains(arns.get(0)))
            .count();
    assertThat(stops).isEqualTo(1);
  }

  @Test
  void aTemplateSchedule_firesItsTargetWithItsInput() throws Exception {
    LocalTemplate.Schedule heartbeat =
        platform.triggers().schedules().stream()
            .filter(s -> s.name().equals("local-heartbeat"))
            .findFirst()
            .orElseThrow();
    platform.triggers().fire(heartbeat);
    assertThat(platform.awaitIdle(java.time.Duration.ofSeconds(120))).isTrue();
    assertThat(platform.connectorHub().calls())
        .anySatisfy(
            c -> {
              assertThat(c.method()).isEqualTo("ping");
              assertThat(c.body().path("source").asText()).isEqualTo("local-heartbeat");
            });
  }

  @Test
  void
      aTemplateFunctionRunsFromItsJar_withTheLocalEndpoints_theGatewayItsTemplateNames_andItsSecret()
          throws Exception {
    String ping =
        "{\"organizationId\":\"tcu\",\"connector\":\"cdp-transfer\",\"version\":\"1\","
            + "\"method\":\"templatePing\",\"params\":{\"source\":\"template-test\"}}";
    InvocationResult result =
        platform.invoke("call-connector", ping.getBytes(StandardCharsets.UTF_8));

    assertThat(result.failed()).as(result.payloadText()).isFalse();
    assertThat(platform.functions().pids(platform.function("call-connector"))).hasSize(1);
    // The hub only records calls that carry the environment's hub key: the function read the
    // template's secret (by the ARN in its environment) through the local Secrets Manager, and
    // called the hub at this platform's gateway, not the template's default port.
    assertThat(platform.connectorHub().calls())
        .anySatisfy(
            c -> {
              assertThat(c.method()).isEqualTo("templatePing");
              assertThat(c.organizationId()).isEqualTo("tcu");
              assertThat(c.body().path("source").asText()).isEqualTo("template-test");
            });
    assertThat(platform.secrets().get(HubApiKey.LOCAL_SECRET))
        .isEqualTo(platform.secrets().get("cdp/local/" + HubApiKey.LOCAL_SECRET));
    assertThat(platform.function("call-connector").environment().get("CONNECTOR_HUB_URL"))
        .isEqualTo(platform.gatewayUrl() + "/hub");
    assertThat(Json.tree(result.payloadText()).isObject()).isTrue();
  }
}
