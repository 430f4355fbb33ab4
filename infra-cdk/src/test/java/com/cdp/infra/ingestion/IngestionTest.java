package com.cdp.infra.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.infra.EnvironmentConfig;
import com.cdp.infra.StackFixture;
import com.cdp.model.json.Json;
import com.cdp.model.wiring.Triggers;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class IngestionTest {
  private final Template dev = StackFixture.template("dev");
  private final JsonNode json = Json.mapper().valueToTree(dev.toJSON());

  @Test
  void everyOrganizationsBucket_notifiesTheChunkerForFilesAndTheLoaderForChunks() {
    // Chunks: prefix and suffix. Files: the prefix alone, so any upload under transactions/
    // reaches the chunker (a name not ending in .csv, in any case, is answered with a report).
    Map<Triggers.S3Trigger, List<Map<String, String>>> rules =
        Map.of(
            Triggers.TRANSACTION_CHUNKS,
            List.of(
                Map.of("Name", "suffix", "Value", Triggers.TRANSACTION_CHUNKS.suffix()),
                Map.of("Name", "prefix", "Value", Triggers.TRANSACTION_CHUNKS.prefix())),
            Triggers.TRANSACTION_FILES,
            List.of(Map.of("Name", "prefix", "Value", "transactions/")));
    for (var expected : rules.entrySet()) {
      dev.hasResourceProperties(
          "Custom::S3BucketNotifications",
          Map.of(
              "NotificationConfiguration",
              Map.of(
                  "LambdaFunctionConfigurations",
                  Match.arrayWith(
                      List.of(
                          Match.objectLike(
                              Map.of(
                                  "Events",
                                  List.of("s3:ObjectCreated:*"),
                                  "Filter",
                                  Map.of(
                                      "Key",
                                      Map.of(
                                          "FilterRules", Match.exact(expected.getValue()))))))))));
    }
    // one notification resource per organization bucket (tcu and demo in dev)
    long buckets = 0;
    for (JsonNode r : json.path("Resources")) {
      if (r.path("Type").asText().equals("Custom::S3BucketNotifications")) {
        String config = r.path("Properties").toString();
        if (config.contains(Triggers.TRANSACTION_FILES.prefix())) {
          buckets++;
        }
      }
    }
    assertThat(buckets).isEqualTo(2);
  }

  @Test
  void dataDeliveryBuckets_expireChunks() {
    dev.hasResourceProperties(
        "AWS::S3::Bucket",
        Map.of(
            "BucketName",
            "cdp-dev-tcu-data-delivery",
            "LifecycleConfiguration",
            Map.of(
                "Rules",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Prefix",
                                Triggers.TRANSACTION_CHUNKS.prefix(),
                                "ExpirationInDays",
                                Ingestion.CHUNK_RETENTION_DAYS,
                                "Status",
                                "Enabled")))))));
  }

  @Test
  void busRules_carryTheExactPatternsOfTriggers_andHaveADeadLetterQueue() {
    for (Triggers.EventTrigger trigger :
        List.of(Triggers.CONNECTOR_TRANSACTIONS_ANNOUNCED, Triggers.CLEANSE_ADDED_TRANSACTIONS)) {
      dev.hasResourceProperties(
          "AWS::Events::Rule",
          Map.of(
              "EventPattern",
              Json.convert(Json.tree(trigger.pattern()), Map.class),
              "Targets",
              List.of(
                  Match.objectLike(
                      Map.of(
                          "DeadLetterConfig", Match.objectLike(Map.of()),
                          "RetryPolicy", Match.objectLike(Map.of("MaximumRetryAttempts", 4)))))));
    }
  }

  @Test
  void asynchronousInvocations_goToTheFailureQueueAfterTwoRetries() {
    Map<String, JsonNode> configs = new java.util.HashMap<>();
    json.path("Resources")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().path("Type").asText().equals("AWS::Lambda::EventInvokeConfig")) {
                configs.put(e.getKey(), e.getValue().path("Properties"));
              }
            });
    long ours =
        configs.values().stream()
            .filter(
                p -> p.path("DestinationConfig").toString().contains("IngestionFailedInvocations"))
            .peek(p -> assertThat(p.path("MaximumRetryAttempts").asInt()).isEqualTo(2))
            .count();
    assertThat(ours).isEqualTo(4);
  }

  @Test
  void functions_getOnlyTheDynamoDbActionsTheyUse() {
    assertThat(dynamoActions("com.cdp.ingestion.chunker.ChunkerHandler::handleRequest"))
        .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:UpdateItem");
    assertThat(dynamoActions("com.cdp.ingestion.loader.LoaderHandler::handleRequest"))
        .containsExactlyInAnyOrder(
            "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem");
    assertThat(dynamoActions("com.cdp.ingestion.cleanser.CleanserHandler::handleRequest"))
        .containsExactlyInAnyOrder("dynamodb:Query", "dynamodb:UpdateItem");
    assertThat(allActions("com.cdp.ingestion.loader.LoaderHandler::handleRequest"))
        .contains("events:PutEvents")
        .noneMatch(a -> a.equals("*") || a.equals("s3:*") || a.equals("dynamodb:*"));
    assertThat(allActions("com.cdp.ingestion.cleanser.CleanserHandler::handleRequest"))
        .noneMatch(a -> a.startsWith("s3:") || a.startsWith("events:"));
  }

  @Test
  void platformAnnouncedTransactions_knowTheConnectorHub() {
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            "com.cdp.ingestion.platform.PlatformTxnAddedHandler::handleRequest",
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(Map.of("CONNECTOR_HUB_URL", "https://dev.cdp-hub.com")))));
  }

  @Test
  void platformAnnouncedTransactions_getTheEnvironmentsConnectorSourceMap() {
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            "com.cdp.ingestion.platform.PlatformTxnAddedHandler::handleRequest",
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "CONNECTOR_SOURCES",
                        "{\"demo\":[\"cdp.connector.cdp-transfer\"],"
                            + "\"tcu\":[\"cdp.connector.cdp-transfer\"]}")))));
  }

  @Test
  void chunker_mayReadTheChunksPrefix_toRestoreAFinalReportARacingRunOverwrote() {
    String role = null;
    for (JsonNode r : json.path("Resources")) {
      if (r.path("Type").asText().equals("AWS::Lambda::Function")
          && r.path("Properties")
              .path("Handler")
              .asText()
              .equals("com.cdp.ingestion.chunker.ChunkerHandler::handleRequest")) {
        role = r.path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
      }
    }
    boolean readsChunks = false;
    for (JsonNode r : json.path("Resources")) {
      if (r.path("Type").asText().equals("AWS::IAM::Policy")
          && r.path("Properties").path("Roles").toString().contains("\"" + role + "\"")) {
        for (JsonNode st : r.path("Properties").path("PolicyDocument").path("Statement")) {
          readsChunks |=
              st.path("Action").toString().contains("s3:GetObject")
                  && st.path("Resource").toString().contains("/chunks/transactions/*");
        }
      }
    }
    assertThat(readsChunks).isTrue();
  }

  private Set<String> dynamoActions(String handler) {
    Set<String> out = new HashSet<>();
    for (String a : allActions(handler)) {
      if (a.startsWith("dynamodb:")) {
        out.add(a);
      }
    }
    return out;
  }

  @Test
  void ownershipWriters_mayUpdateItemsOfTheWarehouse_toMoveAnOwnersListedOnForward() {
    for (String handler :
        List.of(
            "com.cdp.ingestion.loader.LoaderHandler::handleRequest",
            "com.cdp.ingestion.platform.PlatformTxnAddedHandler::handleRequest")) {
      assertThat(actionsOn(handler, "Tablewarehouse")).as(handler).contains("dynamodb:UpdateItem");
    }
  }

  /** The actions of the handler's role on resources whose reference names {@code resource}. */
  private Set<String> actionsOn(String handler, String resource) {
    String role = null;
    for (JsonNode r : json.path("Resources")) {
      if (r.path("Type").asText().equals("AWS::Lambda::Function")
          && r.path("Properties").path("Handler").asText().equals(handler)) {
        role = r.path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
      }
    }
    Set<String> actions = new HashSet<>();
    for (JsonNode r : json.path("Resources")) {
      if (!r.path("Type").asText().equals("AWS::IAM::Policy")
          || !r.path("Properties").path("Roles").toString().contains("\"" + role + "\"")) {
        continue;
      }
      for (JsonNode statement : r.path("Properties").path("PolicyDocument").path("Statement")) {
        if (!statement.path("Resource").toString().contains(resource)) {
          continue;
        }
        JsonNode action = statement.path("Action");
        if (action.isArray()) {
          action.forEach(a -> actions.add(a.asText()));
        } else {
          actions.add(action.asText());
        }
      }
    }
    return actions;
  }

  private Set<String> allActions(String handler) {
    String role = null;
    for (JsonNode r : json.path("Resources")) {
      if (r.path("Type").asText().equals("AWS::Lambda::Function")
          && r.path("Properties").path("Handler").asText().equals(handler)) {
        role = r.path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
      }
    }
    assertThat(role).as("role of " + handler).isNotNull();
    Set<String> actions = new HashSet<>();
    for (JsonNode r : json.path("Resources")) {
      if (!r.path("Type").asText().equals("AWS::IAM::Policy")) {
        continue;
      }
      boolean mine = false;
      for (JsonNode ref : r.path("Properties").path("Roles")) {
        mine |= ref.path("Ref").asText().equals(role);
      }
      if (!mine) {
        continue;
      }
      for (JsonNode statement : r.path("Properties").path("PolicyDocument").path("Statement")) {
        JsonNode action = statement.path("Action");
        if (action.isArray()) {
          action.forEach(a -> actions.add(a.asText()));
        } else {
          actions.add(action.asText());
        }
      }
    }
    return actions;
  }

  private static JsonNode cleanser(Template template) {
    JsonNode functions = Json.mapper().valueToTree(template.findResources("AWS::Lambda::Function"));
    for (JsonNode f : functions) {
      if (f.at("/Properties/Handler").asText().startsWith("com.cdp.ingestion.cleanser.")) {
        return f;
      }
    }
    throw new AssertionError("no cleanser function");
  }

  @Test
  void cleanser_withoutSegmint_runsItsRules_andReadsNoSecret() {
    JsonNode variables = cleanser(dev).at("/Properties/Environment/Variables");
    assertThat(variables.has("SEGMINT_BASE_URL")).isFalse();
    assertThat(Json.write(dev.toJSON())).doesNotContain("segmint");
  }

  @Test
  void cleanser_withSegmint_getsEverySettingAsEnvironment_andMayReadOnlyTheCredentialsSecret() {
    EnvironmentConfig dev = StackFixture.stack("dev").config();
    EnvironmentConfig withSegmint =
        StackFixture.changed(
            dev,
            dev.organizations(),
            new EnvironmentConfig.Segmint(
                "https://dataservices-stage.segmint.net",
                "cu-partner-7",
                "cdp/dev/segmint-credentials",
                10,
                6));
    Template template = Template.fromStack(StackFixture.stack(withSegmint));

    JsonNode variables = cleanser(template).at("/Properties/Environment/Variables");
    assertThat(variables.path("SEGMINT_BASE_URL").asText())
        .isEqualTo("https://dataservices-stage.segmint.net");
    assertThat(variables.path("SEGMINT_PARTNER_ID").asText()).isEqualTo("cu-partner-7");
    assertThat(variables.path("SEGMINT_CREDENTIALS_SECRET").asText())
        .isEqualTo("cdp/dev/segmint-credentials");
    assertThat(variables.path("SEGMINT_CONCURRENCY").asText()).isEqualTo("6");
    // dev reserves 2 cleanser containers: each gets half of the environment's 10 requests/s.
    assertThat(dev.reservedConcurrency("txn-cleanser")).hasValue(2);
    assertThat(variables.path("SEGMINT_REQUESTS_PER_SECOND").asText()).isEqualTo("5");
    List<String> readers = new java.util.ArrayList<>();
    JsonNode policies = Json.mapper().valueToTree(template.findResources("AWS::IAM::Policy"));
    for (JsonNode policy : policies) {
      for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
        if (Json.write(statement).contains("segmint-credentials")) {
          readers.add(policy.at("/Properties/Roles/0/Ref").asText());
          assertThat(Json.write(statement.get("Action")))
              .contains("secretsmanager:GetSecretValue")
              .doesNotContain("PutSecretValue");
          assertThat(Json.write(statement.get("Resource")))
              .contains("secret:cdp/dev/segmint-credentials-??????");
        }
      }
    }
    assertThat(readers).singleElement().asString().contains("TxnCleanser");
  }
}
