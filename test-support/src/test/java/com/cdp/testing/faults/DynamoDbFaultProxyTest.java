package com.cdp.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.model.table.Tables;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The fault stand-in as the SDK sees it, in front of dynalite. */
@ExtendWith(StandInsExtension.class)
class DynamoDbFaultProxyTest {

  private static List<WriteRequest> writes(String pk, int n) {
    List<WriteRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          WriteRequest.builder()
              .putRequest(
                  PutRequest.builder()
                      .item(
                          Map.of(
                              "pk", AttributeValue.fromS(pk),
                              "sk", AttributeValue.fromS("t" + i)))
                      .build())
              .build());
    }
    return out;
  }

  @Test
  void everyThirdBatchIsThrottled_everySecondOtherIsHalfWritten_andNothingIsLostSilently(
      StandIns standIns) throws Exception {
    DynamoDbFaults.Stats stats = new DynamoDbFaults.Stats();
    try (DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(3, 2, stats)) {
      proxy.forwardTo(standIns.dynamoDbTarget().endpoint().orElseThrow());
      AwsTarget target = AwsTarget.local(proxy.endpoint());
      // No SDK retries: each call below is exactly one call on the wire.
      try (DynamoDbClient client =
          DynamoDbClient.builder()
              .endpointOverride(proxy.endpoint())
              .region(target.region())
              .credentialsProvider(target.credentials())
              .overrideConfiguration(
                  c ->
                      c.retryStrategy(
                          software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
              .build()) {
        String table = standIns.tableName(Tables.WAREHOUSE);
        String pk = "ORG#" + TestIds.suffix();

        BatchWriteItemResponse first =
            client.batchWriteItem(r -> r.requestItems(Map.of(table, writes(pk + "a", 4))));
        assertThat(first.unprocessedItems()).isEmpty();

        BatchWriteItemResponse second =
            client.batchWriteItem(r -> r.requestItems(Map.of(table, writes(pk + "b", 4))));
        assertThat(second.unprocessedItems().get(table)).hasSize(2);

        assertThatThrownBy(
                () ->
                    client.batchWriteItem(r -> r.requestItems(Map.of(table, writes(pk + "c", 4)))))
            .isInstanceOf(ProvisionedThroughputExceededException.class);

        // other operations pass unchanged
        assertThat(client.listTables().tableNames()).contains(table);

        DynamoDbClient direct = AwsClients.dynamoDb(standIns.dynamoDbTarget());
        assertThat(count(direct, table, pk + "a")).isEqualTo(4);
        assertThat(count(direct, table, pk + "b")).as("the first half only").isEqualTo(2);
        assertThat(count(direct, table, pk + "c")).as("a throttled call writes nothing").isZero();
        assertThat(stats.calls.get()).isEqualTo(3);
        assertThat(stats.throttled.get()).isEqualTo(1);
        assertThat(stats.partial.get()).isEqualTo(1);
        assertThat(stats.unprocessedItems.get()).isEqualTo(2);
      }
    }
  }

  private static int count(DynamoDbClient client, String table, String pk) {
    return client
        .query(
            r ->
                r.tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .consistentRead(true))
        .count();
  }
}
