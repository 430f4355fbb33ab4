package com.cdp.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.retry.Backoff;
import com.cdp.model.table.Tables;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.cdp.testing.faults.DynamoDbFaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(StandInsExtension.class)
class BatchWriterTest {
  private static List<Map<String, AttributeValue>> items(String pk, int n) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(
          Map.of(
              Tables.PK,
              AttributeValue.fromS(pk),
              Tables.SK,
              AttributeValue.fromS(String.format("%05d", i)),
              "v",
              AttributeValue.fromN(Integer.toString(i))));
    }
    return items;
  }

  private static int count(DynamoDbClient db, String table, String pk) {
    return db.query(
            r ->
                r.tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .select("COUNT")
                    .consistentRead(true))
        .count();
  }

  @Test
  void write_whenBatchesAreThrottledOrPartlyProcessed_retriesUntilEveryItemIsWritten(StandIns s) {
    DynamoDbFaults.Stats stats = new DynamoDbFaults.Stats();
    DynamoDbClient faulty = DynamoDbFaults.batchWriteFaults(s.dynamoDb(), 3, 2, stats);
    String table = s.tableName(Tables.INGESTION);
    String pk = "TEST#" + TestIds.suffix();
    try (BatchWriter writer = new BatchWriter(faulty, 4, Backoff.immediate(20))) {
      assertThat(writer.write(table, items(pk, 260))).isEqualTo(260);
      assertThat(writer.retries()).isPositive();
    }
    assertThat(stats.throttled.get()).isPositive();
    assertThat(stats.unprocessedItems.get()).isPositive();
    assertThat(count(s.dynamoDb(), table, pk)).isEqualTo(260);
  }

  @Test
  void write_whenTheSameKeyRepeats_writesOneItem_andRewritingChangesNothing(StandIns s) {
    String table = s.tableName(Tables.INGESTION);
    String pk = "TEST#" + TestIds.suffix();
    List<Map<String, AttributeValue>> items = new ArrayList<>(items(pk, 30));
    items.addAll(items(pk, 30));
    try (BatchWriter writer = new BatchWriter(s.dynamoDb(), 2, Backoff.immediate(3))) {
      assertThat(writer.write(table, items)).isEqualTo(30);
      writer.write(table, items(pk, 30));
    }
    assertThat(count(s.dynamoDb(), table, pk)).isEqualTo(30);
  }

  @Test
  void write_whenThrottlingNeverStops_failsAfterTheLastAttempt(StandIns s) {
    DynamoDbClient alwaysThrottled =
        DynamoDbFaults.batchWriteFaults(s.dynamoDb(), 1, 0, new DynamoDbFaults.Stats());
    try (BatchWriter writer = new BatchWriter(alwaysThrottled, 1, Backoff.immediate(3))) {
      assertThatThrownBy(
              () ->
                  writer.write(s.tableName(Tables.INGESTION), items("TEST#" + TestIds.suffix(), 3)))
          .isInstanceOf(WriteFailedException.class)
          .hasMessageContaining("after 3 attempts");
    }
  }
}
