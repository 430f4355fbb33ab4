package com.cdp.infra.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.infra.StackFixture;
import com.cdp.infra.TemplateJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class TransactionsApiTest {
  private final Template dev = StackFixture.template("dev");

  @Test
  void route_isTheContractsGetTransactions_onAPayloadV2LambdaProxy() {
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::Api", Map.of("Name", "cdp-dev-transactions", "ProtocolType", "HTTP"));
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::Route", Map.of("RouteKey", "GET /accounts/{accountId}/transactions"));
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::Integration",
        Map.of("IntegrationType", "AWS_PROXY", "PayloadFormatVersion", "2.0"));
  }

  @Test
  void integration_invokesTheLiveAlias_andApiGatewayMayInvokeIt() {
    JsonNode integration = only("AWS::ApiGatewayV2::Integration", "GetTransactionsIntegration");
    String aliasId = logicalIdOf("AWS::Lambda::Alias", "GetTransactionsLive");
    assertThat(integration.at("/Properties/IntegrationUri").toString()).contains(aliasId);

    dev.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of(
            "Action", "lambda:InvokeFunction",
            "Principal", "apigateway.amazonaws.com",
            "FunctionName", Map.of("Ref", aliasId)));
  }

  @Test
  void stage_isAutoDeployedAndThrottled() {
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::Stage",
        Map.of(
            "StageName",
            "$default",
            "AutoDeploy",
            true,
            "DefaultRouteSettings",
            Map.of(
                "ThrottlingRateLimit", TransactionsApi.RATE_LIMIT,
                "ThrottlingBurstLimit", TransactionsApi.BURST_LIMIT)));
  }

  @Test
  void function_runsTheHandler_withTheSigningSecretsArnAndTheTables() {
    String secretId = logicalIdOf("AWS::SecretsManager::Secret", "CursorSigningKey");
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            TransactionsApi.HANDLER,
            "Runtime",
            "java17",
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "CURSOR_SECRET_ARN", Map.of("Ref", secretId),
                        "CURSOR_TTL", "PT1H",
                        "TABLE_WAREHOUSE", "cdp-dev-warehouse",
                        "TABLE_SESSIONS", "cdp-dev-sessions",
                        "CDP_ENV", "dev")))));
  }

  @Test
  void signingSecret_isGeneratedLongAndNamedPerEnvironment() {
    dev.hasResourceProperties(
        "AWS::SecretsManager::Secret",
        Map.of(
            "Name",
            "cdp/dev/cursor-signing-key",
            "GenerateSecretString",
            Match.objectLike(Map.of("PasswordLength", 64, "ExcludePunctuation", true))));
  }

  @Test
  void functionRole_mayOnlyReadTheWarehouseAndSessions_andReadTheSecret() {
    List<String> actions = new ArrayList<>();
    JsonNode statements = policyOfTheFunction().at("/Properties/PolicyDocument/Statement");
    String warehouse = logicalIdOf("AWS::DynamoDB::Table", "Table-warehouse");
    String sessions = logicalIdOf("AWS::DynamoDB::Table", "Table-sessions");
    String secret = logicalIdOf("AWS::SecretsManager::Secret", "CursorSigningKey");
    boolean readsWarehouse = false;
    boolean readsSessions = false;
    boolean readsSecret = false;
    for (JsonNode s : statements) {
      List<String> these = new ArrayList<>();
      s.get("Action").forEach(a -> these.add(a.asText()));
      if (s.get("Action").isTextual()) {
        these.add(s.get("Action").asText());
      }
      actions.addAll(these);
      String resource = s.get("Resource").toString();
      if (these.containsAll(List.of("dynamodb:Query", "dynamodb:GetItem"))
          && resource.contains(warehouse)) {
        readsWarehouse = true;
      }
      if (these.equals(List.of("dynamodb:GetItem")) && resource.contains(sessions)) {
        readsSessions = true;
      }
      if (these.equals(List.of("secretsmanager:GetSecretValue")) && resource.contains(secret)) {
        readsSecret = true;
      }
    }
    assertThat(readsWarehouse).as("Query+GetItem on the warehouse").isTrue();
    assertThat(readsSessions).as("GetItem on sessions").isTrue();
    assertThat(readsSecret).as("GetSecretValue on the signing secret").isTrue();
    assertThat(actions)
        .filteredOn(a -> a.startsWith("dynamodb:"))
        .allMatch(a -> a.equals("dynamodb:Query") || a.equals("dynamodb:GetItem"));
    assertThat(actions).noneMatch(a -> a.endsWith("*"));
  }

  @Test
  void productionSigningSecret_isRetained() {
    Template prod = StackFixture.template("prod");
    prod.hasResource(
        "AWS::SecretsManager::Secret",
        Map.of(
            "DeletionPolicy",
            "Retain",
            "Properties",
            Match.objectLike(Map.of("Name", "cdp/prod/cursor-signing-key"))));
  }

  private JsonNode policyOfTheFunction() {
    return TemplateJson.policyOfRole(dev, "GetTransactionsServiceRole");
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
