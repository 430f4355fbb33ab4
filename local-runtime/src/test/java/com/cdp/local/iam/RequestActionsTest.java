package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.iam.IamPolicies.Role;
import com.cdp.local.iam.PolicyEvaluator.Check;
import com.cdp.local.iam.PolicyEvaluator.Decision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The IAM action and resource ARN of requests to the services the template grants beyond DynamoDB
 * and S3 basics: the API Gateway Management API, Firehose, Athena, Glue and DynamoDB transactions;
 * mapped on the real synthesized local template and evaluated against its roles.
 */
class RequestActionsTest {
  private static final String ACCOUNT_REGION = "us-east-1:000000000000";

  private static RequestActions actions() {
    return FrontDoor.actions(RealTemplate.template(), RealTemplate.policies());
  }

  private static AwsRequest json(String target, String body) {
    return new AwsRequest(
        "POST",
        "http",
        "/",
        Optional.empty(),
        Map.of("X-Amz-Target", List.of(target)),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static Decision decide(String module, Check check) {
    Role role =
        RealTemplate.policies().roleOfFunction(RealTemplate.function(module).name()).orElseThrow();
    return decide(role, check);
  }

  private static Decision decide(Role role, Check check) {
    return PolicyEvaluator.evaluate(
        role.arn(),
        role.statements(),
        RealTemplate.policies().resourceStatements(check.resource()),
        check);
  }

  @Test
  void transactWriteItems_isAuthorizedPerItem_withEachItemsActionOnItsOwnTable() throws Exception {
    List<Check> checks =
        actions()
            .checks(
                "dynamodb",
                json(
                    "DynamoDB_20120810.TransactWriteItems",
                    """
                    {"TransactItems":[
                      {"Put":{"TableName":"cdp-local-links","Item":{"pk":{"S":"LINK#a"}}}},
                      {"Update":{"TableName":"cdp-local-warehouse",
                                 "Key":{"pk":{"S":"ORG#tcu#ACCT#1"},"sk":{"S":"x"}}}},
                      {"Delete":{"TableName":"cdp-local-sessions","Key":{"pk":{"S":"S#1"}}}},
                      {"ConditionCheck":{"TableName":"cdp-local-links","Key":{"pk":{"S":"SLUG#b"}}}}
                    ]}
                    """));
    assertThat(checks)
        .extracting(Check::action, Check::resource)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dynamodb:PutItem", RealTemplate.table("links")),
            org.assertj.core.groups.Tuple.tuple(
                "dynamodb:UpdateItem", RealTemplate.table("warehouse")),
            org.assertj.core.groups.Tuple.tuple(
                "dynamodb:DeleteItem", RealTemplate.table("sessions")),
            org.assertj.core.groups.Tuple.tuple(
                "dynamodb:ConditionCheckItem", RealTemplate.table("links")));
    // the leading key of each item is its own table's partition key
    assertThat(checks.get(1).context())
        .containsEntry("dynamodb:LeadingKeys", List.of("ORG#tcu#ACCT#1"));
    // one item on a table the role may not write denies the whole transaction
    assertThat(checks.stream().map(c -> decide("lambda-url-shortener", c)))
        .contains(Decision.IMPLICIT_DENY);
  }

  @Test
  void batchWriteItem_isOneCheckPerTable_withTheLeadingKeyOfEveryPutAndDelete() throws Exception {
    List<Check> checks =
        actions()
            .checks(
                "dynamodb",
                json(
                    "DynamoDB_20120810.BatchWriteItem",
                    """
                    {"ReturnConsumedCapacity":"NONE","RequestItems":{
                      "cdp-local-warehouse":[
                        {"PutRequest":{"Item":{"sk":{"S":"T#1"},"pk":{"S":"ORG#tcu#ACCT#1"},
                          "tags":{"L":[{"S":"a"},{"M":{"pk":{"S":"nested, not the key"}}}]}}}},
                        {"DeleteRequest":{"Key":{"pk":{"S":"ORG#tcu#ACCT#2"},"sk":{"S":"T#2"}}}},
                        {"PutRequest":{"Item":{"pk":{"S":"ORG#tcu#ACCT#1"},"sk":{"S":"T#3"}}}}],
                      "cdp-local-realtime":[
                        {"PutRequest":{"Item":{"pk":{"S":"EVENT#tcu#x"},"sk":{"N":"1"}}}}]},
                     "ReturnItemCollectionMetrics":"NONE"}
                    """));
    assertThat(checks)
        .extracting(Check::action, Check::resource)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "dynamodb:BatchWriteItem", RealTemplate.table("warehouse")),
            org.assertj.core.groups.Tuple.tuple(
                "dynamodb:BatchWriteItem", RealTemplate.table("realtime")));
    assertThat(checks.get(0).context())
        .containsEntry("dynamodb:LeadingKeys", List.of("ORG#tcu#ACCT#1", "ORG#tcu#ACCT#2"));
    assertThat(checks.get(1).context())
        .containsEntry("dynamodb:LeadingKeys", List.of("EVENT#tcu#x"));
  }

  @Test
  void batchGetItem_readsTheLeadingKeyOfEveryKey_andAMalformedBatchIsUnmappable() throws Exception {
    List<Check> checks =
        actions()
            .checks(
                "dynamodb",
                json(
                    "DynamoDB_20120810.BatchGetItem",
                    """
                    {"RequestItems":{"cdp-local-realtime":{"ConsistentRead":true,
                      "Keys":[{"pk":{"S":"EVENT#a"},"sk":{"N":"1"}},{"sk":{"N":"2"},"pk":{"S":"EVENT#b"}}],
                      "ProjectionExpression":"pk"}}}
                    """));
    assertThat(checks).extracting(Check::resource).containsExactly(RealTemplate.table("realtime"));
    assertThat(checks.get(0).context())
        .containsEntry("dynamodb:LeadingKeys", List.of("EVENT#a", "EVENT#b"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                actions()
                    .checks(
                        "dynamodb",
                        json(
                            "DynamoDB_20120810.BatchWriteItem",
                            "{\"RequestItems\":{\"cdp-local-warehouse\":[1],\"cdp-local-links\":[]}}")))
        .isInstanceOf(RequestActions.UnmappableRequest.class);
  }

  @Test
  void postToConnection_isManageConnectionsOnTheWebSocketApisConnectionArn() throws Exception {
    AwsRequest post =
        new AwsRequest(
            "POST",
            "http",
            "/live/@connections/abc%3D",
            Optional.empty(),
            Map.of(),
            "{}".getBytes(StandardCharsets.UTF_8));
    List<Check> checks = actions().checks("execute-api", post);
    assertThat(checks).hasSize(1);
    Check check = checks.get(0);
    assertThat(check.action()).isEqualTo("execute-api:ManageConnections");
    String api =
        RealTemplate.template().apis().stream()
            .filter(a -> a.protocol().equals("WEBSOCKET"))
            .findFirst()
            .orElseThrow()
            .name();
    assertThat(check.resource())
        .isEqualTo(
            "arn:aws:execute-api:" + ACCOUNT_REGION + ":" + api + "/live/POST/@connections/abc=");
    // the template grants it to the functions that post to connections, and to no other
    Role granted =
        RealTemplate.policies().roles().values().stream()
            .filter(
                r ->
                    r.statements().stream()
                        .anyMatch(s -> s.actions().contains("execute-api:ManageConnections")))
            .findFirst()
            .orElseThrow();
    assertThat(decide(granted, check)).isEqualTo(Decision.ALLOW);
    assertThat(decide("lambda-txn-loader", check)).isEqualTo(Decision.IMPLICIT_DENY);
    // a DELETE (disconnect) is the same action on the DELETE ARN
    AwsRequest delete =
        new AwsRequest(
            "DELETE", "http", "/live/@connections/abc", Optional.empty(), Map.of(), new byte[0]);
    assertThat(actions().checks("execute-api", delete).get(0).resource())
        .endsWith(api + "/live/DELETE/@connections/abc");
  }

  @Test
  void firehosePutRecordBatch_isOnTheDeliveryStreamTheTemplateGrants() throws Exception {
    String stream = RealTemplate.template().logDeliveries().get(0).streamName();
    List<Check> checks =
        actions()
            .checks(
                "firehose",
                json(
                    "Firehose_20150804.PutRecordBatch",
                    "{\"DeliveryStreamName\":\"" + stream + "\",\"Records\":[]}"));
    assertThat(checks)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.action()).isEqualTo("firehose:PutRecordBatch");
              assertThat(c.resource())
                  .isEqualTo("arn:aws:firehose:" + ACCOUNT_REGION + ":deliverystream/" + stream);
            });
    Role granted =
        RealTemplate.policies().roles().values().stream()
            .filter(
                r ->
                    r.statements().stream()
                        .anyMatch(s -> s.actions().contains("firehose:PutRecordBatch")))
            .findFirst()
            .orElseThrow();
    assertThat(decide(granted, checks.get(0))).isEqualTo(Decision.ALLOW);
    assertThat(decide("lambda-txn-loader", checks.get(0))).isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void athenaStartQueryExecution_isOnItsWorkGroup_andDefaultsToPrimary() throws Exception {
    assertThat(
            actions()
                .checks(
                    "athena",
                    json(
                        "AmazonAthena.StartQueryExecution",
                        "{\"QueryString\":\"select 1\",\"WorkGroup\":\"cdp-local-logs\"}")))
        .extracting(Check::action, Check::resource)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "athena:StartQueryExecution",
                "arn:aws:athena:" + ACCOUNT_REGION + ":workgroup/cdp-local-logs"));
    assertThat(
            actions()
                .checks(
                    "athena",
                    json("AmazonAthena.StartQueryExecution", "{\"QueryString\":\"select 1\"}")))
        .extracting(Check::resource)
        .containsExactly("arn:aws:athena:" + ACCOUNT_REGION + ":workgroup/primary");
  }

  @Test
  void glueGetTable_isOnTheCatalogTheDatabaseAndTheTable() throws Exception {
    assertThat(
            actions()
                .checks(
                    "glue",
                    json("AWSGlue.GetTable", "{\"DatabaseName\":\"cdp_logs\",\"Name\":\"web\"}")))
        .extracting(Check::action, Check::resource)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "glue:GetTable", "arn:aws:glue:" + ACCOUNT_REGION + ":catalog"),
            org.assertj.core.groups.Tuple.tuple(
                "glue:GetTable", "arn:aws:glue:" + ACCOUNT_REGION + ":database/cdp_logs"),
            org.assertj.core.groups.Tuple.tuple(
                "glue:GetTable", "arn:aws:glue:" + ACCOUNT_REGION + ":table/cdp_logs/web"));
  }
}
