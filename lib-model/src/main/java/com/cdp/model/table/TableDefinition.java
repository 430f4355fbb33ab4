package com.cdp.model.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One DynamoDB table: its logical name, keys, global secondary indexes and TTL attribute. The CDK
 * app, the local platform and the tests all create tables from these definitions. All key
 * attributes are strings.
 */
public record TableDefinition(
    String logicalName,
    String partitionKey,
    Optional<String> sortKey,
    List<Index> indexes,
    Optional<String> ttlAttribute) {

  /** A global secondary index projecting all attributes. */
  public record Index(String name, String partitionKey, Optional<String> sortKey) {}

  public TableDefinition {
    Objects.requireNonNull(logicalName, "logicalName");
    Objects.requireNonNull(partitionKey, "partitionKey");
    indexes = List.copyOf(indexes);
  }

  /** The physical name in an environment, e.g. {@code cdp-dev-warehouse}. */
  public String physicalName(String environment) {
    return "cdp-" + environment + "-" + logicalName;
  }

  public Optional<Index> index(String name) {
    return indexes.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /**
   * An on-demand CreateTable request (used by the local platform and tests; CDK builds its own).
   */
  public CreateTableRequest createTableRequest(String physicalName) {
    List<String> attributes = new ArrayList<>();
    attributes.add(partitionKey);
    sortKey.ifPresent(attributes::add);
    List<GlobalSecondaryIndex> gsis = new ArrayList<>();
    for (Index index : indexes) {
      attributes.add(index.partitionKey());
      index.sortKey().ifPresent(attributes::add);
      gsis.add(
          GlobalSecondaryIndex.builder()
              .indexName(index.name())
              .keySchema(keySchema(index.partitionKey(), index.sortKey()))
              .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
              .build());
    }
    CreateTableRequest.Builder request =
        CreateTableRequest.builder()
            .tableName(physicalName)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .keySchema(keySchema(partitionKey, sortKey))
            .attributeDefinitions(
                attributes.stream()
                    .distinct()
                    .map(
                        a ->
                            AttributeDefinition.builder()
                                .attributeName(a)
                                .attributeType(ScalarAttributeType.S)
                                .build())
                    .toList());
    if (!gsis.isEmpty()) {
      request.globalSecondaryIndexes(gsis);
    }
    return request.build();
  }

  private static List<KeySchemaElement> keySchema(String pk, Optional<String> sk) {
    List<KeySchemaElement> keys = new ArrayList<>();
    keys.add(KeySchemaElement.builder().attributeName(pk).keyType(KeyType.HASH).build());
    sk.ifPresent(
        s -> keys.add(KeySchemaElement.builder().attributeName(s).keyType(KeyType.RANGE).build()));
    return keys;
  }
}
