package com.cdp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.standin.ObjectCreated;
import com.cdp.model.table.Tables;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(StandInsExtension.class)
class StandInsTest {

  @Test
  void dynalite_putThenGet_roundTripsTheItem(StandIns standIns, DynamoDbClient dynamoDb) {
    String table = standIns.tableName(Tables.WAREHOUSE);
    Map<String, AttributeValue> item =
        Map.of(
            "pk", AttributeValue.fromS("ORG#" + TestIds.suffix()),
            "sk", AttributeValue.fromS("2026-11-27#t1"),
            "amount", AttributeValue.fromN("-12.5"));
    dynamoDb.putItem(r -> r.tableName(table).item(item));

    Map<String, AttributeValue> read =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(table)
                        .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                        .consistentRead(true))
            .item();

    assertThat(read).isEqualTo(item);
  }

  @Test
  void dynalite_hasEveryPlatformTable(StandIns standIns, DynamoDbClient dynamoDb) {
    List<String> names = dynamoDb.listTables().tableNames();
    assertThat(names).containsAll(Tables.ALL.stream().map(standIns::tableName).toList());
  }

  @Test
  void s3_putThenGet_roundTripsTheObjectAndRaisesObjectCreated(StandIns standIns) throws Exception {
    String bucket = standIns.bucket(TestIds.org() + "-data-delivery");
    List<ObjectCreated> seen = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored = standIns.onObjectCreated(seen::add)) {
      standIns
          .s3()
          .putObject(
              r -> r.bucket(bucket).key("transactions/a.csv"),
              RequestBody.fromString("memberId\nm1\n"));
    }

    String body =
        standIns
            .s3()
            .getObjectAsBytes(r -> r.bucket(bucket).key("transactions/a.csv"))
            .asUtf8String();

    assertThat(body).isEqualTo("memberId\nm1\n");
    assertThat(seen)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bucket()).isEqualTo(bucket);
              assertThat(e.key()).isEqualTo("transactions/a.csv");
              assertThat(e.size()).isEqualTo(12);
            });
  }
}
