package com.cdp.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.local.template.LocalTemplate.Api;
import com.cdp.local.template.LocalTemplate.Function;
import com.cdp.local.template.LocalTemplate.Route;
import com.cdp.local.template.LocalTemplate.Table;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reader on the real synthesized local template: one test per resource type it emulates. */
class TemplateReaderTest {
  private static LocalTemplate template;

  @BeforeAll
  static void synthesize() {
    template = SynthesizedLocalTemplate.read();
  }

  private static Function function(String module) {
    return template.functions().stream()
        .filter(f -> f.module().equals(Optional.of(module)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no function from " + module));
  }

  @Test
  void tablesHaveTheirKeysIndexesAndTtl() {
    assertThat(template.tables()).hasSize(6);
    Table realtime =
        template.tables().stream()
            .filter(t -> t.name().equals("cdp-local-realtime"))
            .findFirst()
            .orElseThrow();
    assertThat(realtime.partitionKey()).isEqualTo("pk");
    assertThat(realtime.sortKey()).contains("sk");
    assertThat(realtime.indexes())
        .containsExactly(new LocalTemplate.Index("gsi1", "gsi1pk", Optional.of("gsi1sk")));
    assertThat(realtime.ttlAttribute()).contains("ttl");
    Table warehouse =
        template.tables().stream()
            .filter(t -> t.name().equals("cdp-local-warehouse"))
            .findFirst()
            .orElseThrow();
    assertThat(warehouse.ttlAttribute()).isEmpty();
  }

  @Test
  void bucketsIncludeEachOrganizationsDataDeliveryBucket() {
    assertThat(template.buckets())
        .extracting(LocalTemplate.Bucket::name)
        .contains("tcu-data-delivery", "demo-data-delivery");
  }

  @Test
  void secretsAreGeneratedByTheirRules() {
    LocalTemplate.Secret cursorKey =
        template.secrets().stream()
            .filter(s -> s.name().equals("cdp/local/cursor-signing-key"))
            .findFirst()
            .orElseThrow();
    assertThat(cursorKey.secretString()).isEmpty();
    assertThat(cursorKey.generate().orElseThrow().length()).isEqualTo(64);
    assertThat(cursorKey.generate().orElseThrow().excludePunctuation()).isTrue();
    assertThat(cursorKey.arn())
        .isEqualTo(
            "arn:aws:secretsmanager:us-east-1:000000000000:secret:cdp/local/cursor-signing-key");
  }

  @Test
  void theEventBusIsNamedPerEnvironment() {
    assertThat(template.eventBuses())
        .extracting(LocalTemplate.EventBus::name)
        .containsExactly(com.cdp.model.config.ResourceNames.eventBus("local"));
  }

  @Test
  void theLogTopicDeliversThroughFirehoseWithPartitionKeys() {
    assertThat(template.logDeliveries()).hasSize(1);
    LocalTemplate.LogDelivery delivery = template.logDeliveries().get(0);
    assertThat(delivery.topicArn()).startsWith("arn:aws:sns:us-east-1:000000000000:");
    assertThat(delivery.prefix())
        .startsWith("logs/environment=!{partitionKeyFromQuery:environment}/")
        .contains("hour=!{partitionKeyFromQuery:hour}/");
    assertThat(delivery.errorOutputPrefix()).startsWith("logs-errors/");
    assertThat(delivery.metadataExtractionQuery().orElseThrow()).contains("logType:.logType");
    assertThat(delivery.bufferingSeconds()).isPositive();
    assertThat(delivery.compression()).isEqualTo("GZIP");
  }

  @Test
  void rulesHavePatternsTargetsRetryPoliciesAndDeadLetterQueues() {
    LocalTemplate.Rule relay =
        template.rules().stream()
            .filter(r -> r.name().equals("cdp-local-relay-account-events"))
            .findFirst()
            .orElseThrow();
    assertThat(relay.eventBusName())
        .isEqualTo(com.cdp.model.config.ResourceNames.eventBus("local"));
    assertThat(relay.eventPattern().orElseThrow()).contains("account_transactionadded");
    LocalTemplate.Target target = relay.targets().get(0);
    assertThat(template.function(target.arn()))
        .map(Function::module)
        .contains(Optional.of("lambda-relay-message"));
    assertThat(target.arn()).endsWith(":live");
    assertThat(target.maximumRetryAttempts()).isEqualTo(185);
    assertThat(target.deadLetterArn().orElseThrow()).startsWith("arn:aws:sqs:us-east-1:");
    // Rules whose patterns carry intrinsics (the ECS task-failure rule) resolve them.
    assertThat(template.rules())
        .anySatisfy(
            r ->
                assertThat(r.eventPattern().orElse(""))
                    .contains("arn:aws:ecs:us-east-1:000000000000:task-definition/"));
  }

  @Test
  void schedulesComeFromConfigWithTheirInputAndRetryPolicy() {
    LocalTemplate.Schedule heartbeat =
        template.schedules().stream()
            .filter(s -> s.name().equals("local-heartbeat"))
            .findFirst()
            .orElseThrow();
    assertThat(heartbeat.expression()).isEqualTo("rate(1 minute)");
    assertThat(heartbeat.target().input().orElseThrow()).contains("\"method\":\"ping\"");
    assertThat(heartbeat.target().maximumRetryAttempts()).isEqualTo(3);
    assertThat(template.function(heartbeat.target().arn()))
        .map(Function::module)
        .contains(Optional.of("lambda-call-connector"));
    assertThat(template.schedules())
        .anySatisfy(s -> assertThat(s.timezone()).isEqualTo("America/Chicago"));
  }

  @Test
  void s3NotificationsComeFromTheCustomResourceWithFilters() {
    LocalTemplate.Notification chunker =
        template.notifications().stream()
            .filter(n -> n.bucketName().equals("tcu-data-delivery"))
            .filter(n -> n.prefix().equals(Optional.of("transactions/")))
            .findFirst()
            .orElseThrow();
    // Every upload gets an answer: the trigger is the prefix alone (.csv in any case is checked
    // by the chunker, which answers other names with a rejected report).
    assertThat(chunker.suffix()).isEmpty();
    assertThat(chunker.events()).containsExactly("s3:ObjectCreated:*");
    assertThat(template.function(chunker.functionArn()))
        .map(Function::module)
        .contains(Optional.of("lambda-txn-chunker"));
  }

  @Test
  void apisMapRoutesThroughIntegrationsToFunctions() {
    Api websocket =
        template.apis().stream()
            .filter(a -> a.protocol().equals("WEBSOCKET"))
            .findFirst()
            .orElseThrow();
    assertThat(websocket.routeSelectionExpression()).contains("$request.body.action");
    Route connect =
        websocket.routes().stream()
            .filter(r -> r.routeKey().equals("$connect"))
            .findFirst()
            .orElseThrow();
    assertThat(template.function(connect.functionArn()))
        .map(Function::module)
        .contains(Optional.of("lambda-ws-connect"));
    Route transactions =
        template.apis().stream()
            .flatMap(a -> a.routes().stream())
            .filter(r -> r.routeKey().equals("GET /accounts/{accountId}/transactions"))
            .findFirst()
            .orElseThrow();
    assertThat(transactions.payloadFormatVersion()).contains("2.0");
    assertThat(template.function(transactions.functionArn()))
        .map(Function::module)
        .contains(Optional.of("lambda-get-transactions"));
  }

  @Test
  void functionsHaveHandlerResolvedEnvironmentLimitsCodeAndAsyncConfig() {
    assertThat(template.functions()).hasSize(11);
    Function chunker = function("lambda-txn-chunker");
    assertThat(chunker.handler())
        .isEqualTo("com.cdp.ingestion.chunker.ChunkerHandler::handleRequest");
    assertThat(chunker.environment())
        .containsEntry("EVENT_BUS_NAME", com.cdp.model.config.ResourceNames.eventBus("local"))
        .containsEntry("TABLE_WAREHOUSE", "cdp-local-warehouse")
        .containsEntry("CDP_ENV", "local");
    assertThat(chunker.environment().get("LOG_TOPIC_ARN"))
        .startsWith("arn:aws:sns:us-east-1:000000000000:");
    assertThat(chunker.memoryMb()).isEqualTo(1024);
    assertThat(chunker.timeoutSeconds()).isEqualTo(900);
    assertThat(Files.isRegularFile(chunker.code().orElseThrow())).isTrue();
    assertThat(chunker.async().maximumRetryAttempts()).isEqualTo(2);
    assertThat(chunker.async().onFailure().orElseThrow()).startsWith("arn:aws:sqs:us-east-1:");
    // No invoke config in the template: Lambda's defaults.
    assertThat(function("lambda-get-transactions").async())
        .isEqualTo(LocalTemplate.AsyncConfig.LAMBDA_DEFAULT);
  }

  @Test
  void theGroupAssignmentTaskDefinitionHasItsContainerEnvironment() {
    assertThat(template.taskDefinitions()).hasSize(1);
    LocalTemplate.TaskDefinition task = template.taskDefinitions().get(0);
    assertThat(task.family()).isEqualTo("cdp-local-group-assignment");
    assertThat(task.memoryMb()).isEqualTo(2048);
    assertThat(task.containers().get(0).environment())
        .containsEntry("EVENT_BUS_NAME", com.cdp.model.config.ResourceNames.eventBus("local"))
        .containsEntry("CDP_SERVER", "group-assignment-task");
  }

  @Test
  void theSummaryCountsEmulatedTypesAndNamesTheOthers() {
    assertThat(template.emulated()).containsEntry("AWS::Lambda::Function", 11);
    assertThat(template.emulated()).containsEntry("AWS::DynamoDB::Table", 6);
    assertThat(template.notEmulated())
        .containsKeys(
            "AWS::CloudWatch::Alarm",
            "AWS::CertificateManager::Certificate",
            "AWS::KMS::Key",
            "AWS::EC2::VPC");
    assertThat(template.notEmulated().keySet())
        .anyMatch(type -> type.startsWith("AWS::Lambda::Function (inline"));
    assertThat(template.summary())
        .anyMatch(l -> l.contains("AWS::Lambda::Function") && l.contains("11"));
    assertThat(template.summary()).anyMatch(l -> l.startsWith("  not emulated: "));
  }

  @Test
  void aResourceTypeNobodyEmulatesIsListedNotFatal() throws Exception {
    ObjectNode copy = templateJson();
    ((ObjectNode) copy.get("Resources"))
        .set(
            "Waf",
            Json.mapper()
                .readTree(
                    "{\"Type\":\"AWS::WAFv2::WebACL\",\"Properties\":{\"X\":{\"Fn::Nope\":1}}}"));
    LocalTemplate read = new TemplateReader(copy, "us-east-1", "cdp-local", Map.of()).read();
    assertThat(read.notEmulated())
        .containsEntry(
            "AWS::WAFv2::WebACL", template.notEmulated().getOrDefault("AWS::WAFv2::WebACL", 0) + 1);
  }

  @Test
  void anUnresolvableEnvironmentValueStopsTheReadNamingFunctionAndVariable() throws Exception {
    ObjectNode copy = templateJson();
    String id = function("lambda-txn-loader").logicalId();
    ObjectNode variables =
        (ObjectNode) copy.at("/Resources/" + id + "/Properties/Environment/Variables");
    variables.set("SHARED", Json.mapper().readTree("{\"Fn::ImportValue\":\"other-stack\"}"));
    assertThatThrownBy(() -> new TemplateReader(copy, "us-east-1", "cdp-local", Map.of()).read())
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining(id + ".Environment.Variables.SHARED");
  }

  private static ObjectNode templateJson() throws Exception {
    JsonNode node =
        Json.mapper()
            .readTree(
                Files.readString(
                    SynthesizedLocalTemplate.assembly().resolve("cdp-local.template.json")));
    return (ObjectNode) node;
  }
}
