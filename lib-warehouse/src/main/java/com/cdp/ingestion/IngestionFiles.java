package com.cdp.ingestion;

import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Progress of each transactions file in the INGESTION table: one item per file ({@code
 * pk=FILE#org#fileId, sk=FILE}) with the chunker's counts and the chunks the loaders have finished.
 * Every update is a single-item conditional write, so counting a chunk is atomic and happens once
 * however often its loader runs, and exactly one writer sees the file become complete.
 */
public final class IngestionFiles {
  public static final Duration RETENTION = Duration.ofDays(90);
  private static final String SK = "FILE";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public IngestionFiles(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** A file's progress. */
  public record FileState(
      String bucket,
      String fileKey,
      String status,
      Optional<Integer> totalChunks,
      Set<Integer> doneChunks,
      long rowsRead,
      long rowsRejected,
      long rowsAccepted,
      long rowsLoaded,
      Optional<String> finalizedAt,
      Optional<String> transactionId) {

    public FileState(
        String bucket,
        String fileKey,
        String status,
        Optional<Integer> totalChunks,
        Set<Integer> doneChunks,
        long rowsRead,
        long rowsRejected,
        long rowsAccepted,
        long rowsLoaded,
        Optional<String> finalizedAt) {
      this(
          bucket,
          fileKey,
          status,
          totalChunks,
          doneChunks,
          rowsRead,
          rowsRejected,
          rowsAccepted,
          rowsLoaded,
          finalizedAt,
          Optional.empty());
    }

    /** Every chunk is loaded (the chunker has recorded the total first). */
    public boolean complete() {
      return totalChunks.isPresent() && doneChunks.size() >= totalChunks.get();
    }

    public boolean finalized() {
      return finalizedAt.isPresent();
    }
  }

  private static Map<String, AttributeValue> key(OrganizationId org, String fileId) {
    return Map.of(
        Tables.PK,
        AttributeValue.fromS("FILE#" + org.value() + "#" + fileId),
        Tables.SK,
        AttributeValue.fromS(SK));
  }

  public Optional<FileState> get(OrganizationId org, String fileId) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(r -> r.tableName(table).key(key(org, fileId)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(state(item));
  }

  /** Records that the chunker started on the file (keeps the first start time). */
  public void start(OrganizationId org, String fileId, String bucket, String fileKey, Instant now) {
    start(org, fileId, bucket, fileKey, now, null);
  }

  /**
   * As {@link #start(OrganizationId, String, String, String, Instant)}, also recording the file's
   * flow id (its transactionId; the first one recorded is kept) for the loaders that finish it.
   */
  public void start(
      OrganizationId org,
      String fileId,
      String bucket,
      String fileKey,
      Instant now,
      String transactionId) {
    Map<String, AttributeValue> values = new HashMap<>();
    String flow = transactionId == null ? "" : ", transactionId = if_not_exists(transactionId, :x)";
    if (transactionId != null) {
      values.put(":x", AttributeValue.fromS(transactionId));
    }
    values.put(":b", AttributeValue.fromS(bucket));
    values.put(":k", AttributeValue.fromS(fileKey));
    values.put(":s", AttributeValue.fromS(now.toString()));
    values.put(":st", AttributeValue.fromS("chunking"));
    values.put(":ttl", AttributeValue.fromN(Long.toString(now.plus(RETENTION).getEpochSecond())));
    dynamoDb.updateItem(
        r ->
            r.tableName(table)
                .key(key(org, fileId))
                .updateExpression(
                    "SET #bucket = :b, fileKey = :k, startedAt = if_not_exists(startedAt, :s),"
                        + " #status = if_not_exists(#status, :st), #ttl = :ttl"
                        + flow)
                .expressionAttributeNames(
                    Map.of("#bucket", "bucket", "#status", "status", "#ttl", Tables.TTL))
                .expressionAttributeValues(values));
  }

  /**
   * Records the chunker's totals before its last chunk is written; false when the file was already
   * finalized (a duplicate run that must not touch the report).
   */
  public boolean recordChunked(
      OrganizationId org,
      String fileId,
      int totalChunks,
      long rowsRead,
      long rowsRejected,
      long rowsAccepted) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(org, fileId))
                  .updateExpression(
                      "SET totalChunks = :t, rowsRead = :r, rowsRejected = :j, rowsAccepted = :a,"
                          + " #status = :st")
                  .conditionExpression("attribute_not_exists(finalizedAt)")
                  .expressionAttributeNames(Map.of("#status", "status"))
                  .expressionAttributeValues(
                      Map.of(
                          ":t", n(totalChunks),
                          ":r", n(rowsRead),
                          ":j", n(rowsRejected),
                          ":a", n(rowsAccepted),
                          ":st", AttributeValue.fromS("loading"))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * Counts a loaded chunk once; returns the file's state after counting, or empty when the chunk
   * had already been counted.
   */
  public Optional<FileState> recordChunkLoaded(
      OrganizationId org, String fileId, int chunk, long rows) {
    try {
      UpdateItemResponse response =
          dynamoDb.updateItem(
              r ->
                  r.tableName(table)
                      .key(key(org, fileId))
                      .updateExpression("ADD doneChunks :c, rowsLoaded :r")
                      .conditionExpression(
                          "attribute_not_exists(doneChunks) OR NOT contains(doneChunks, :n)")
                      .expressionAttributeValues(
                          Map.of(
                              ":c",
                                  AttributeValue.fromNs(java.util.List.of(Integer.toString(chunk))),
                              ":n", n(chunk),
                              ":r", n(rows)))
                      .returnValues(ReturnValue.ALL_NEW));
      return Optional.of(state(response.attributes()));
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    }
  }

  /** Marks the file finished; false when another invocation already did. */
  public boolean markFinalized(OrganizationId org, String fileId, String status, Instant now) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(org, fileId))
                  .updateExpression("SET finalizedAt = :f, #status = :st")
                  .conditionExpression("attribute_not_exists(finalizedAt)")
                  .expressionAttributeNames(Map.of("#status", "status"))
                  .expressionAttributeValues(
                      Map.of(
                          ":f", AttributeValue.fromS(now.toString()),
                          ":st", AttributeValue.fromS(status))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static FileState state(Map<String, AttributeValue> item) {
    Set<Integer> done = new TreeSet<>();
    AttributeValue chunks = item.get("doneChunks");
    if (chunks != null && chunks.hasNs()) {
      chunks.ns().forEach(c -> done.add(Integer.parseInt(c)));
    }
    return new FileState(
        s(item, "bucket"),
        s(item, "fileKey"),
        s(item, "status"),
        Optional.ofNullable(item.get("totalChunks")).map(v -> Integer.parseInt(v.n())),
        done,
        num(item, "rowsRead"),
        num(item, "rowsRejected"),
        num(item, "rowsAccepted"),
        num(item, "rowsLoaded"),
        Optional.ofNullable(item.get("finalizedAt")).map(AttributeValue::s),
        Optional.ofNullable(item.get("transactionId")).map(AttributeValue::s));
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static long num(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }
}
