package com.cdp.infra.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.infra.StackFixture;
import com.cdp.model.json.Json;
import com.cdp.model.wiring.Triggers;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class RealtimeTest {
  private final Template dev = StackFixture.template("dev");
  private final JsonNode resources = Json.mapper().valueToTree(dev.toJSON()).path("Resources");

  @Test
  void webSocketApi_routesConnectAndDisconnectToWsConnect_andDefaultToWsSubscribeWithAReply() {
    String apiId = logicalIdOf("AWS::ApiGatewayV2::Api", "RealtimeWebSocketApi");
    assertThat(resources.path(apiId).at("/Properties/ProtocolType").asText())
        .isEqualTo("WEBSOCKET");
    assertThat(resources.path(apiId).at("/Properties/RouteSelectionExpression").asText())
        .isEqualTo("$request.body.action");
    String connectAlias = logicalIdOf("AWS::Lambda::Alias", "RealtimeWsConnectLive");
    String subscribeAlias = logicalIdOf("AWS::Lambda::Alias", "RealtimeWsSubscribeLive");

    assertThat(integrationTargetOfRoute("$connect")).contains(connectAlias);
    assertThat(integrationTargetOfRoute("$disconnect")).contains(connectAlias);
    assertThat(integrationTargetOfRoute("$default")).contains(subscribeAlias);
    JsonNode defaultRoute = route("$default");
    assertThat(defaultRoute.at("/Properties/RouteResponseSelectionExpression").asText())
        .isEqualTo("$default");
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::RouteResponse", Map.of("RouteResponseKey", "$default"));
  }

  @Test
  void stage_isAutoDeployedAndThrottled() {
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::Stage",
        Map.of(
            "StageName",
            Realtime.STAGE,
            "AutoDeploy",
            true,
            "DefaultRouteSettings",
            Map.of(
                "ThrottlingRateLimit", Realtime.RATE_LIMIT,
                "ThrottlingBurstLimit", Realtime.BURST_LIMIT)));
  }

  @Test
  void customDomain_comesFromTheEnvironmentsConfiguration_andMapsTheStage() {
    for (String env : List.of("dev", "prod")) {
      Template t = StackFixture.template(env);
      t.hasResourceProperties(
          "AWS::ApiGatewayV2::DomainName", Map.of("DomainName", env + ".cdp-realtime.com"));
      t.hasResourceProperties(
          "AWS::CertificateManager::Certificate",
          Map.of("DomainName", env + ".cdp-realtime.com", "ValidationMethod", "DNS"));
    }
    String apiId = logicalIdOf("AWS::ApiGatewayV2::Api", "RealtimeWebSocketApi");
    JsonNode mapping =
        resources.path(logicalIdOf("AWS::ApiGatewayV2::ApiMapping", "RealtimeMapping"));
    assertThat(mapping.at("/Properties/ApiId").toString()).contains(apiId);
    assertThat(mapping.at("/Properties/Stage").asText()).isEqualTo(Realtime.STAGE);
  }

  @Test
  void restRoutes_areTheSubscriptionRoutesOfTriggers_onTheSubscribeAlias() {
    List<String> expected = new ArrayList<>();
    for (Triggers.Route r : Triggers.ROUTES) {
      if (r.function().equals(Triggers.Functions.WS_SUBSCRIBE)) {
        expected.add(r.method() + " " + r.path());
      }
    }
    assertThat(expected)
        .containsExactlyInAnyOrder(
            "GET /realtime/subscriptions",
            "PUT /realtime/subscriptions/{topic}",
            "DELETE /realtime/subscriptions/{topic}",
            "GET /realtime/events");
    String subscribeAlias = logicalIdOf("AWS::Lambda::Alias", "RealtimeWsSubscribeLive");
    for (String key : expected) {
      assertThat(integrationTargetOfRoute(key)).contains(subscribeAlias);
    }
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::Api",
        Map.of("Name", "cdp-dev-realtime-subscriptions", "ProtocolType", "HTTP"));
  }

  @Test
  void relayRule_onThePlatformBus_usesTheTriggersPattern_withRetriesAndADeadLetterQueue() {
    JsonNode rule = only("AWS::Events::Rule", "RealtimeRelayRule");
    assertThat(rule.at("/Properties/EventPattern"))
        .isEqualTo(Json.tree(Triggers.RELAY_ACCOUNT_EVENTS.pattern()));
    assertThat(rule.at("/Properties/EventBusName").toString())
        .contains(logicalIdOf("AWS::Events::EventBus", "PlatformBus"));
    JsonNode target = rule.at("/Properties/Targets/0");
    assertThat(target.at("/Arn").toString())
        .contains(logicalIdOf("AWS::Lambda::Alias", "RealtimeRelayMessageLive"));
    String dlq = logicalIdOf("AWS::SQS::Queue", "RealtimeRelayDeadLetters");
    assertThat(target.at("/DeadLetterConfig/Arn").toString()).contains(dlq);
    assertThat(target.at("/RetryPolicy/MaximumEventAgeInSeconds").asInt()).isEqualTo(86400);
    dev.hasResourceProperties(
        "AWS::SQS::Queue",
        Map.of("QueueName", "cdp-dev-relay-message-dlq", "SqsManagedSseEnabled", true));
    dev.hasResourceProperties(
        "AWS::Lambda::EventInvokeConfig",
        Map.of(
            "MaximumRetryAttempts",
            2,
            "DestinationConfig",
            Map.of("OnFailure", Map.of("Destination", Match.objectLike(Map.of())))));
  }

  @Test
  void onlyTheRealtimeFunctions_mayManageConnections_andOnlyOnThisApisStage() {
    // The relay posts events; ws-subscribe posts replays; ws-connect closes a session's oldest
    // connection over the limit.
    String apiId = logicalIdOf("AWS::ApiGatewayV2::Api", "RealtimeWebSocketApi");
    List<String> realtimeRoles =
        List.of(
            logicalIdOf("AWS::IAM::Role", "RealtimeRelayMessageServiceRole"),
            logicalIdOf("AWS::IAM::Role", "RealtimeWsSubscribeServiceRole"),
            logicalIdOf("AWS::IAM::Role", "RealtimeWsConnectServiceRole"));
    List<JsonNode> grants = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().path("Type").asText().equals("AWS::IAM::Policy")) {
                return;
              }
              for (JsonNode s : e.getValue().at("/Properties/PolicyDocument/Statement")) {
                if (s.get("Action").toString().contains("execute-api:ManageConnections")) {
                  String roles = e.getValue().at("/Properties/Roles").toString();
                  assertThat(realtimeRoles).anyMatch(roles::contains);
                  grants.add(s);
                }
              }
            });
    assertThat(grants).hasSize(3);
    for (JsonNode grant : grants) {
      String resource = grant.get("Resource").toString();
      assertThat(resource)
          .contains(apiId)
          .contains("/" + Realtime.STAGE + "/")
          .contains("@connections");
      assertThat(resource).doesNotContain("\"*\"");
    }
  }

  @Test
  void functions_runTheirHandlers_andTheRelayKnowsTheStagesCallbackUrl() {
    dev.hasResourceProperties(
        "AWS::Lambda::Function", Map.of("Handler", Realtime.CONNECT_HANDLER, "Runtime", "java17"));
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of("Handler", Realtime.SUBSCRIBE_HANDLER, "Runtime", "java17"));
    JsonNode relay = only("AWS::Lambda::Function", "RealtimeRelayMessage");
    assertThat(relay.at("/Properties/Handler").asText()).isEqualTo(Realtime.RELAY_HANDLER);
    JsonNode variables = relay.at("/Properties/Environment/Variables");
    assertThat(variables.path("TABLE_REALTIME").asText()).isEqualTo("cdp-dev-realtime");
    assertThat(variables.path("RELAY_CLAIM_LEASE").asText()).isEqualTo("PT60S");
    String endpoint = variables.path("REALTIME_MANAGEMENT_ENDPOINT").toString();
    assertThat(endpoint)
        .contains("https://")
        .contains(logicalIdOf("AWS::ApiGatewayV2::Api", "RealtimeWebSocketApi"))
        .contains("/" + Realtime.STAGE);
    assertThat(relay.at("/Properties/Timeout").asInt()).isEqualTo(60);
    assertThat(variables.path("JAVA_TOOL_OPTIONS").asText())
        .contains("-XX:TieredStopAtLevel=1")
        .contains("-Dhttp.maxConnections=" + 2 * Realtime.RELAY_CONCURRENCY);
  }

  @Test
  void tableGrants_areLeastPrivilege_perFunction() {
    assertThat(actionsOf("RealtimeWsConnectServiceRole"))
        .filteredOn(a -> a.startsWith("dynamodb:"))
        .containsExactlyInAnyOrder(
            "dynamodb:GetItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem",
            "dynamodb:Query");
    assertThat(actionsOf("RealtimeRelayMessageServiceRole"))
        .filteredOn(a -> a.startsWith("dynamodb:"))
        .containsExactlyInAnyOrder(
            "dynamodb:Query",
            "dynamodb:Query",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem");
    // ws-subscribe runs the stream pump (replays), so it needs what the relay needs.
    assertThat(actionsOf("RealtimeWsSubscribeServiceRole"))
        .filteredOn(a -> a.startsWith("dynamodb:"))
        .containsExactlyInAnyOrder(
            "dynamodb:GetItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Query");
    for (String role :
        List.of(
            "RealtimeWsConnectServiceRole",
            "RealtimeWsSubscribeServiceRole",
            "RealtimeRelayMessageServiceRole")) {
      assertThat(actionsOf(role))
          .filteredOn(a -> a.startsWith("dynamodb:") || a.startsWith("execute-api:"))
          .noneMatch(a -> a.endsWith("*") || a.equals("dynamodb:Scan"));
    }
  }

  @Test
  void catchUpCursors_areSignedWithAGeneratedSecret_thatOnlyWsSubscribeReads() {
    String cursorKey = logicalIdOf("AWS::SecretsManager::Secret", "RealtimeEventsPagingKey");
    dev.hasResourceProperties(
        "AWS::SecretsManager::Secret",
        Map.of(
            "Name",
            "cdp/dev/" + Realtime.CURSOR_KEY_NAME,
            "GenerateSecretString",
            Match.objectLike(Map.of("PasswordLength", 48))));
    JsonNode subscribe = only("AWS::Lambda::Function", "RealtimeWsSubscribe");
    assertThat(subscribe.at("/Properties/Environment/Variables/CURSOR_SECRET_ARN"))
        .isEqualTo(Json.tree("{\"Ref\":\"" + cursorKey + "\"}"));
    List<String> readers = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode r = e.getValue();
              if (!r.path("Type").asText().equals("AWS::IAM::Policy")) {
                return;
              }
              for (JsonNode st : r.at("/Properties/PolicyDocument/Statement")) {
                if (st.path("Resource").toString().contains(cursorKey)) {
                  assertThat(st.path("Action").toString())
                      .contains("secretsmanager:GetSecretValue")
                      .doesNotContain("secretsmanager:*")
                      .doesNotContain("PutSecretValue");
                  readers.add(r.at("/Properties/Roles").toString());
                }
              }
            });
    assertThat(readers)
        .singleElement()
        .asString()
        .contains(logicalIdOf("AWS::IAM::Role", "RealtimeWsSubscribeServiceRole"));
    StackFixture.template("prod")
        .hasResource(
            "AWS::SecretsManager::Secret",
            Map.of(
                "DeletionPolicy",
                "Retain",
                "Properties",
                Match.objectLike(Map.of("Name", "cdp/prod/" + Realtime.CURSOR_KEY_NAME))));
  }

  @Test
  void relay_mayOnlyQueryTheWarehouse_toFindTheOwnersOfAnEventsAccount() {
    String roleId = logicalIdOf("AWS::IAM::Role", "RealtimeRelayMessageServiceRole");
    String warehouse = logicalIdOf("AWS::DynamoDB::Table", "Tablewarehouse");
    List<String> onWarehouse = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode r = e.getValue();
              if (r.path("Type").asText().equals("AWS::IAM::Policy")
                  && r.at("/Properties/Roles").toString().contains(roleId)) {
                for (JsonNode st : r.at("/Properties/PolicyDocument/Statement")) {
                  if (st.path("Resource").toString().contains(warehouse)) {
                    onWarehouse.add(st.path("Action").toString());
                  }
                }
              }
            });
    assertThat(onWarehouse).containsExactly("\"dynamodb:Query\"");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private List<String> actionsOf(String rolePrefix) {
    String roleId = logicalIdOf("AWS::IAM::Role", rolePrefix);
    List<String> actions = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode r = e.getValue();
              if (r.path("Type").asText().equals("AWS::IAM::Policy")
                  && r.at("/Properties/Roles").toString().contains(roleId)) {
                for (JsonNode s : r.at("/Properties/PolicyDocument/Statement")) {
                  JsonNode a = s.get("Action");
                  if (a.isTextual()) {
                    actions.add(a.asText());
                  } else {
                    a.forEach(x -> actions.add(x.asText()));
                  }
                }
              }
            });
    return actions;
  }

  private JsonNode route(String routeKey) {
    List<JsonNode> found = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode r = e.getValue();
              if (r.path("Type").asText().equals("AWS::ApiGatewayV2::Route")
                  && r.at("/Properties/RouteKey").asText().equals(routeKey)) {
                found.add(r);
              }
            });
    assertThat(found).as("routes %s", routeKey).hasSize(1);
    return found.get(0);
  }

  /** The IntegrationUri (as JSON text) of the integration a route targets. */
  private String integrationTargetOfRoute(String routeKey) {
    String target = route(routeKey).at("/Properties/Target").toString();
    List<String> uris = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().path("Type").asText().equals("AWS::ApiGatewayV2::Integration")
                  && target.contains(e.getKey())) {
                uris.add(e.getValue().at("/Properties/IntegrationUri").toString());
              }
            });
    assertThat(uris).as("integration of %s", routeKey).hasSize(1);
    return uris.get(0);
  }

  private JsonNode only(String type, String prefix) {
    return resources.path(logicalIdOf(type, prefix));
  }

  private String logicalIdOf(String type, String prefix) {
    List<String> ids = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith(prefix)
                  && e.getValue().path("Type").asText().equals(type)) {
                ids.add(e.getKey());
              }
            });
    assertThat(ids).as("%s %s*", type, prefix).hasSize(1);
    return ids.get(0);
  }

  @Test
  void relayPostFailures_areAlarmedFromTheRelaysEmbeddedMetric() {
    com.cdp.infra.StackFixture.template("dev")
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            java.util.Map.of(
                "Namespace",
                "CDP/Realtime",
                "MetricName",
                "PostFailures",
                "Threshold",
                1,
                "Dimensions",
                java.util.List.of(java.util.Map.of("Name", "Environment", "Value", "dev"))));
  }

  @Test
  void replayFailures_areAlarmedFromTheRelaysEmbeddedMetric() {
    dev.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "Namespace",
            "CDP/Realtime",
            "MetricName",
            "ReplayFailures",
            "Threshold",
            1,
            "Dimensions",
            List.of(Map.of("Name", "Environment", "Value", "dev"))));
  }

  @Test
  void keptEvents_expireThroughTheRealtimeTablesTtl_afterTheEnvironmentsReplayWindow() {
    dev.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName",
            "cdp-dev-realtime",
            "TimeToLiveSpecification",
            Map.of("AttributeName", "ttl", "Enabled", true)));
    for (String prefix : List.of("RealtimeRelayMessage", "RealtimeWsSubscribe")) {
      JsonNode variables =
          only("AWS::Lambda::Function", prefix).at("/Properties/Environment/Variables");
      assertThat(variables.path("REALTIME_REPLAY_WINDOW").asText()).as(prefix).isEqualTo("PT24H");
    }
  }

  @Test
  void wsConnectAndWsSubscribe_knowTheStagesCallbackUrl_andTheConnectionLimit() {
    for (String prefix : List.of("RealtimeWsConnect", "RealtimeWsSubscribe")) {
      JsonNode variables =
          only("AWS::Lambda::Function", prefix).at("/Properties/Environment/Variables");
      assertThat(variables.path("REALTIME_MANAGEMENT_ENDPOINT").toString())
          .as(prefix)
          .contains(logicalIdOf("AWS::ApiGatewayV2::Api", "RealtimeWebSocketApi"))
          .contains("/" + Realtime.STAGE);
    }
    JsonNode connect = only("AWS::Lambda::Function", "RealtimeWsConnect");
    assertThat(connect.at("/Properties/Environment/Variables/MAX_CONNECTIONS_PER_SESSION").asText())
        .isEqualTo("5");
    JsonNode subscribe = only("AWS::Lambda::Function", "RealtimeWsSubscribe");
    assertThat(subscribe.at("/Properties/Timeout").asInt()).isEqualTo(29);
  }
}
