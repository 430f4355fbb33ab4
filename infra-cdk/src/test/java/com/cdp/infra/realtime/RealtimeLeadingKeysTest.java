package com.cdp.infra.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.infra.StackFixture;
import com.cdp.infra.TemplateJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The realtime functions' access to the realtime table is limited with {@code dynamodb:LeadingKeys}
 * to the partition-key prefixes each one uses: a function that is tricked into a foreign key (or a
 * Scan) is refused by IAM, not only by its own code.
 */
class RealtimeLeadingKeysTest {
  private final Template template = StackFixture.template("dev");

  @Test
  void wsConnect_mayOnlyTouchConnectionSessionAndMemberStreamItems() {
    assertThat(leadingKeysOfTableStatements("RealtimeWsConnectServiceRole"))
        .containsExactly(List.of("CONN#*", "SESSION#*", "STREAM#*"));
  }

  @Test
  void wsSubscribe_mayOnlyTouchConnectionSessionStreamAndMemberTopicItems() {
    assertThat(leadingKeysOfTableStatements("RealtimeWsSubscribeServiceRole"))
        // It runs the member's stream pump (replays), which reads the member-topic index.
        .containsExactly(List.of("CONN#*", "SESSION#*", "STREAM#*", "ORG#*"));
  }

  @Test
  void relay_queriesSessionsAndMemberTopics_andWritesOnlyEventClaimsAndConnections() {
    assertThat(leadingKeysOfTableStatements("RealtimeRelayMessageServiceRole"))
        .containsExactlyInAnyOrder(
            List.of("SESSION#*", "ORG#*", "STREAM#*"),
            List.of("EVENT#*", "SESSION#*", "CONN#*", "STREAM#*"));
  }

  @Test
  void everyRealtimeTableStatement_requiresALeadingKey_soAScanIsRefused() {
    for (String role :
        List.of(
            "RealtimeWsConnectServiceRole",
            "RealtimeWsSubscribeServiceRole",
            "RealtimeRelayMessageServiceRole")) {
      for (JsonNode statement : realtimeTableStatements(role)) {
        assertThat(statement.at("/Condition/Null/dynamodb:LeadingKeys").asText())
            .as("%s: %s", role, statement)
            .isEqualTo("false");
      }
    }
  }

  /** The LeadingKeys patterns of each of the role's statements on the realtime table. */
  private List<List<String>> leadingKeysOfTableStatements(String role) {
    List<List<String>> result = new ArrayList<>();
    for (JsonNode statement : realtimeTableStatements(role)) {
      JsonNode keys = statement.at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys");
      assertThat(keys.isArray()).as("%s has no LeadingKeys: %s", role, statement).isTrue();
      List<String> patterns = new ArrayList<>();
      keys.forEach(k -> patterns.add(k.asText()));
      result.add(patterns);
    }
    return result;
  }

  private List<JsonNode> realtimeTableStatements(String role) {
    String tableId = TemplateJson.logicalIdOf(template, "AWS::DynamoDB::Table", "Tablerealtime");
    List<JsonNode> statements = new ArrayList<>();
    for (JsonNode s :
        TemplateJson.policyOfRole(template, role).at("/Properties/PolicyDocument/Statement")) {
      if (s.path("Resource").toString().contains(tableId)) {
        statements.add(s);
      }
    }
    assertThat(statements).as("%s statements on the realtime table", role).isNotEmpty();
    return statements;
  }
}
