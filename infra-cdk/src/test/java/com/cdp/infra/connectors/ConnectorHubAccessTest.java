package com.cdp.infra.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.infra.EnvironmentConfig;
import com.cdp.infra.EnvironmentFiles;
import com.cdp.infra.StackFixture;
import com.cdp.infra.TemplateJson;
import com.cdp.model.connector.HubApiKey;
import com.cdp.model.id.EnvironmentName;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The functions that call the Connector Hub reach it at a public https endpoint (they run outside
 * any VPC) and prove who they are with the environment's hub key: the secret's ARN in their
 * environment and read access to it, for them alone.
 */
class ConnectorHubAccessTest {
  private final Template template = StackFixture.template("dev");

  private String secretId() {
    return TemplateJson.logicalIdOf(template, "AWS::SecretsManager::Secret", "ConnectorHubApiKey");
  }

  @Test
  void theHubKeySecret_isGeneratedPerEnvironment() {
    JsonNode secret =
        TemplateJson.only(template, "AWS::SecretsManager::Secret", "ConnectorHubApiKey");
    assertThat(secret.at("/Properties/Name").asText()).isEqualTo("cdp/dev/connector-hub-api-key");
    assertThat(secret.at("/Properties/GenerateSecretString/PasswordLength").asInt()).isEqualTo(48);
  }

  @Test
  void bothHubCallers_getTheSecretsArn_andMayReadIt() {
    for (String function : List.of("CallConnector", "PlatformTxnAdded")) {
      JsonNode fn = TemplateJson.only(template, "AWS::Lambda::Function", function);
      assertThat(
              fn.at("/Properties/Environment/Variables/" + HubApiKey.SECRET_ARN_ENV + "/Ref")
                  .asText())
          .as(function)
          .isEqualTo(secretId());
      assertThat(readersOfTheSecret()).anyMatch(role -> role.contains(function));
    }
  }

  @Test
  void noOtherFunction_mayReadTheHubKey() {
    assertThat(readersOfTheSecret())
        .hasSize(2)
        .allMatch(r -> r.contains("CallConnector") || r.contains("PlatformTxnAdded"));
  }

  private List<String> readersOfTheSecret() {
    List<String> readers = new ArrayList<>();
    for (JsonNode policy : TemplateJson.resources(template, "AWS::IAM::Policy")) {
      for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
        if (Json.write(statement.get("Resource")).contains(secretId())) {
          assertThat(Json.write(statement.get("Action")))
              .isEqualTo("\"secretsmanager:GetSecretValue\"");
          readers.add(policy.at("/Properties/Roles/0/Ref").asText());
        }
      }
    }
    return readers;
  }

  @Test
  void everyEnvironment_callsTheHubAtAPublicHttpsEndpoint() {
    for (String env : EnvironmentName.AWS) {
      URI hub = URI.create(EnvironmentConfig.load(Path.of("environments"), env).connectorHubUrl());
      assertThat(hub.getScheme()).as(env).isEqualTo("https");
      assertThat(hub.getHost()).as(env).doesNotEndWith(".internal");
    }
  }

  @Test
  void aHubUrlThatResolvesOnlyInsideAVpc_isRefusedWithAReason() {
    assertThatThrownBy(
            () ->
                EnvironmentFiles.withField(
                    "dev", "connectorHubUrl", "https://hub.dev.cdp.internal"))
        .hasMessageContaining("inside a VPC");
    assertThatThrownBy(
            () -> EnvironmentFiles.withField("dev", "connectorHubUrl", "http://dev.cdp-hub.com"))
        .hasMessageContaining("https");
  }
}
