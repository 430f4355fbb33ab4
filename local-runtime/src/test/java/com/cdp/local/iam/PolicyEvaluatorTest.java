package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.iam.IamPolicies.Role;
import com.cdp.local.iam.LocalCredentials.Principal;
import com.cdp.local.iam.PolicyEvaluator.Check;
import com.cdp.local.iam.PolicyEvaluator.Decision;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policy evaluation on the real synthesized local template's policies. */
class PolicyEvaluatorTest {
  private static final Map<String, List<String>> TLS =
      Map.of("aws:SecureTransport", List.of("true"));

  private static Decision decide(IamPolicies policies, String module, Check check) {
    Role role = policies.roleOfFunction(RealTemplate.function(module).name()).orElseThrow();
    return PolicyEvaluator.evaluate(
        role.arn(), role.statements(), policies.resourceStatements(check.resource()), check);
  }

  @Test
  void theLoaderMayBatchWriteTheWarehouse() {
    Check check = new Check("dynamodb:BatchWriteItem", RealTemplate.table("warehouse"), TLS);
    assertThat(decide(RealTemplate.policies(), "lambda-txn-loader", check))
        .isEqualTo(Decision.ALLOW);
  }

  @Test
  void actionsMatchCaseInsensitivelyAndResourcesExactly() {
    IamPolicies policies = RealTemplate.policies();
    assertThat(
            decide(
                policies,
                "lambda-txn-loader",
                new Check("DynamoDB:batchwriteitem", RealTemplate.table("warehouse"), TLS)))
        .isEqualTo(Decision.ALLOW);
    assertThat(
            decide(
                policies,
                "lambda-txn-loader",
                new Check("dynamodb:BatchWriteItem", RealTemplate.table("links"), TLS)))
        .isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(
            decide(
                policies,
                "lambda-txn-loader",
                new Check("dynamodb:DeleteTable", RealTemplate.table("warehouse"), TLS)))
        .isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void withoutTheGrantInACopyOfTheTemplateTheLoadersBatchWriteIsDeniedWithAwsMessage() {
    JsonNode copy = RealTemplate.json().deepCopy();
    int removed = removeAction(copy, "dynamodb:BatchWriteItem", "Tablewarehouse");
    assertThat(removed).isPositive();
    IamPolicies without = RealTemplate.policies(copy);
    String function = RealTemplate.function("lambda-txn-loader").name();
    Role role = without.roleOfFunction(function).orElseThrow();
    Check check = new Check("dynamodb:BatchWriteItem", RealTemplate.table("warehouse"), TLS);
    Decision decision = decide(without, "lambda-txn-loader", check);
    assertThat(decision).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(
            Authorizer.deniedMessage(
                new Principal(role.name(), role.arn(), function, false), check, decision))
        .isEqualTo(
            "User: arn:aws:sts::000000000000:assumed-role/"
                + role.name()
                + "/"
                + function
                + " is not authorized to perform: dynamodb:BatchWriteItem on resource: "
                + "arn:aws:dynamodb:us-east-1:000000000000:table/cdp-local-warehouse"
                + " because no identity-based policy allows the dynamodb:BatchWriteItem action");
  }

  @Test
  void realtimeLeadingKeysAllowOnlyTheListedPrefixes() {
    IamPolicies policies = RealTemplate.policies();
    String realtime = RealTemplate.table("realtime");
    assertThat(
            decide(
                policies,
                "lambda-relay-message",
                new Check("dynamodb:PutItem", realtime, leading("EVENT#tcu#src#1"))))
        .isEqualTo(Decision.ALLOW);
    assertThat(
            decide(
                policies,
                "lambda-relay-message",
                new Check("dynamodb:PutItem", realtime, leading("ORG#tcu#MEMBER#m"))))
        .as("ORG# is granted for Query only")
        .isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(
            decide(
                policies,
                "lambda-relay-message",
                new Check("dynamodb:Query", realtime + "/index/gsi1", leading("ORG#tcu#MEMBER#m"))))
        .isEqualTo(Decision.ALLOW);
    // every leading key must match (ForAllValues), and one must be there at all (Null: false)
    assertThat(
            decide(
                policies,
                "lambda-relay-message",
                new Check(
                    "dynamodb:PutItem",
                    realtime,
                    Map.of("dynamodb:LeadingKeys", List.of("EVENT#a", "USER#b")))))
        .isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(
            decide(policies, "lambda-relay-message", new Check("dynamodb:PutItem", realtime, TLS)))
        .isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void theBucketsTlsOnlyDenyHoldsOnlyWithoutSecureTransport() {
    IamPolicies policies = RealTemplate.policies();
    String object = "arn:aws:s3:::tcu-data-delivery/chunks/transactions/a.csv";
    assertThat(decide(policies, "lambda-txn-loader", new Check("s3:GetObject", object, TLS)))
        .isEqualTo(Decision.ALLOW);
    assertThat(
            decide(
                policies,
                "lambda-txn-loader",
                new Check("s3:GetObject", object, Map.of("aws:SecureTransport", List.of("false")))))
        .isEqualTo(Decision.EXPLICIT_DENY_RESOURCE);
  }

  @Test
  void runTaskNeedsTheClusterConditionAndPassRoleToEcsTasks() {
    IamPolicies policies = RealTemplate.policies();
    List<String> passed = policies.taskRoles().values().iterator().next();
    assertThat(
            decide(
                policies,
                "lambda-group-assignment-trigger",
                new Check(
                    "iam:PassRole",
                    passed.get(0),
                    Map.of("iam:PassedToService", List.of("ecs-tasks.amazonaws.com")))))
        .isEqualTo(Decision.ALLOW);
    assertThat(
            decide(
                policies,
                "lambda-group-assignment-trigger",
                new Check(
                    "iam:PassRole",
                    passed.get(0),
                    Map.of("iam:PassedToService", List.of("lambda.amazonaws.com")))))
        .isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void anExplicitDenyWinsOverAnAllow() {
    Statement allow = Statement.allow(List.of("s3:*"), List.of("*"), "test");
    Statement deny =
        new Statement(
            Statement.Effect.DENY,
            List.of(),
            List.of("s3:GetObject"),
            List.of("arn:aws:s3:::b/*"),
            List.of(),
            Map.of(),
            List.of(),
            "test");
    Check put = new Check("s3:PutObject", "arn:aws:s3:::b/k", TLS);
    Check get = new Check("s3:GetObject", "arn:aws:s3:::b/k", TLS);
    // NotAction: the Deny covers every action but GetObject
    assertThat(PolicyEvaluator.evaluate("r", List.of(allow, deny), List.of(), put))
        .isEqualTo(Decision.EXPLICIT_DENY_IDENTITY);
    assertThat(PolicyEvaluator.evaluate("r", List.of(allow, deny), List.of(), get))
        .isEqualTo(Decision.ALLOW);
  }

  private static Map<String, List<String>> leading(String key) {
    return Map.of("dynamodb:LeadingKeys", List.of(key), "aws:SecureTransport", List.of("true"));
  }

  /** Removes the action from every statement whose resource mentions the table's logical id. */
  static int removeAction(JsonNode template, String action, String tableLogicalIdPrefix) {
    int removed = 0;
    for (Iterator<JsonNode> it = template.path("Resources").elements(); it.hasNext(); ) {
      JsonNode r = it.next();
      if (!r.path("Type").asText().equals("AWS::IAM::Policy")) {
        continue;
      }
      for (JsonNode s : r.path("Properties").path("PolicyDocument").path("Statement")) {
        if (!s.path("Resource").toString().contains(tableLogicalIdPrefix)
            || !s.path("Action").isArray()) {
          continue;
        }
        ArrayNode actions = (ArrayNode) s.get("Action");
        for (int i = actions.size() - 1; i >= 0; i--) {
          if (actions.get(i).asText().equals(action)) {
            actions.remove(i);
            removed++;
          }
        }
        ((ObjectNode) s).set("Action", actions);
      }
    }
    return removed;
  }
}
