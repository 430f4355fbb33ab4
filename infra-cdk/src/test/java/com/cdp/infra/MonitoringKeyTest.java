package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The alarm topic's key lets CloudWatch use it only for this account's alarms. */
class MonitoringKeyTest {
  private final Template template = StackFixture.template("dev");

  private List<JsonNode> cloudWatchStatements() {
    JsonNode key = TemplateJson.only(template, "AWS::KMS::Key", "AlarmTopicKey");
    List<JsonNode> statements = new ArrayList<>();
    for (JsonNode s : key.at("/Properties/KeyPolicy/Statement")) {
      if (s.at("/Principal/Service").asText().equals("cloudwatch.amazonaws.com")) {
        statements.add(s);
      }
    }
    return statements;
  }

  @Test
  void cloudWatchGrant_isConditionedOnTheSourceAccount() {
    assertThat(cloudWatchStatements()).isNotEmpty();
    for (JsonNode s : cloudWatchStatements()) {
      assertThat(s.at("/Condition/StringEquals/aws:SourceAccount").asText())
          .as("%s", s)
          .isEqualTo("123456789012");
    }
  }

  @Test
  void cloudWatchGrant_hasOnlyWhatSnsEncryptionNeeds() {
    List<String> actions = new ArrayList<>();
    for (JsonNode s : cloudWatchStatements()) {
      s.path("Action").forEach(a -> actions.add(a.asText()));
    }
    assertThat(actions).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey*");
  }
}
