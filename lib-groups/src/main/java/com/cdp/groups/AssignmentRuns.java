package com.cdp.groups;

import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.groups.GroupKeys;
import com.cdp.model.table.Items;
import com.cdp.model.table.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One record per uploaded object version ({@link AssignmentObject#runId()}) that makes the trigger
 * start at most one task per version, although S3 may deliver a notification more than once, and
 * stops a task from processing a version twice. States: {@code launching} (a trigger invocation
 * holds a lease while calling ECS) -> {@code launched} -> {@code running} -> {@code done}.
 * Conditional writes only, no transactions.
 */
public final class AssignmentRuns {
  public static final String LAUNCHING = "launching";
  public static final String LAUNCHED = "launched";
  public static final String RUNNING = "running";
  public static final String DONE = "done";

  /** Run records are kept this long (TTL; expiry is advisory, dynalite ignores it). */
  static final Duration RETENTION = Duration.ofDays(90);

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Clock clock;

  public AssignmentRuns(DynamoDbClient dynamoDb, String table, Clock clock) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What the trigger should do with a notification. */
  public enum Claim {
    /** This caller holds the launch lease: start the task. */
    CLAIMED,
    /** A task was already started (or finished) for this version: nothing to do. */
    ALREADY_STARTED,
    /** Another invocation holds a live lease: retry later, it may still fail. */
    IN_PROGRESS
  }

  /** A run record as stored. */
  public record Run(String runId, String state, Optional<String> taskId, Optional<String> report) {}

  /**
   * Takes the launch lease for {@code object} unless a task was started for it, or another caller
   * holds an unexpired lease. {@code token} identifies this caller for {@link #markLaunched} and
   * {@link #release}.
   */
  public Claim claimLaunch(AssignmentObject object, String token, Duration lease) {
    Instant now = clock.instant();
    Map<String, AttributeValue> item = baseItem(object);
    item.put("state", s(LAUNCHING));
    item.put("claim", s(token));
    item.put("leaseUntil", n(now.plus(lease).toEpochMilli()));
    item.put("claimedAt", s(now.toString()));
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(table)
                  .item(item)
                  .conditionExpression(
                      "attribute_not_exists(#pk) OR (#state = :launching AND #lease < :now)")
                  .expressionAttributeNames(
                      Map.of("#pk", Tables.PK, "#state", "state", "#lease", "leaseUntil"))
                  .expressionAttributeValues(
                      Map.of(":launching", s(LAUNCHING), ":now", n(now.toEpochMilli()))));
      return Claim.CLAIMED;
    } catch (ConditionalCheckFailedException held) {
      Optional<Run> run = find(object);
      return run.isPresent() && run.get().state().equals(LAUNCHING)
          ? Claim.IN_PROGRESS
          : Claim.ALREADY_STARTED;
    }
  }

  /**
   * Records the started task; false when the lease was lost meanwhile (another caller took it).
   * True also when the task already moved the record on (it can start before this call).
   */
  public boolean markLaunched(AssignmentObject object, String token, String taskId) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(object))
                  .updateExpression("SET #state = :launched, taskId = :task, launchedAt = :at")
                  .conditionExpression("#state = :launching AND #claim = :token")
                  .expressionAttributeNames(Map.of("#state", "state", "#claim", "claim"))
                  .expressionAttributeValues(
                      Map.of(
                          ":launched", s(LAUNCHED),
                          ":launching", s(LAUNCHING),
                          ":task", s(taskId),
                          ":token", s(token),
                          ":at", s(clock.instant().toString()))));
      return true;
    } catch (ConditionalCheckFailedException lost) {
      return find(object)
          .map(r -> r.state().equals(RUNNING) || r.state().equals(DONE))
          .orElse(false);
    }
  }

  /** Gives the lease up after a failed launch, so a retry can claim it at once. */
  public void release(AssignmentObject object, String token) {
    try {
      dynamoDb.deleteItem(
          r ->
              r.tableName(table)
                  .key(key(object))
                  .conditionExpression("#state = :launching AND #claim = :token")
                  .expressionAttributeNames(Map.of("#state", "state", "#claim", "claim"))
                  .expressionAttributeValues(
                      Map.of(":launching", s(LAUNCHING), ":token", s(token))));
    } catch (ConditionalCheckFailedException notOurs) {
      // someone else's lease or already launched: leave it
    }
  }

  /**
   * Called by the task before it reads the file: false when the version was already processed, or
   * another task is processing it within {@code lease}.
   */
  public boolean begin(AssignmentObject object, String taskId, Duration lease) {
    Instant now = clock.instant();
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(table)
                  .key(key(object))
                  .updateExpression(
                      "SET #state = :running, runningTask = :task, #lease = :until, startedAt = :at,"
                          + " organizationId = :org, #bucket = :bucket, #objectKey = :objectKey,"
                          + " #ttl = :ttl")
                  .conditionExpression(
                      "attribute_not_exists(#pk) OR #state IN (:launching, :launched)"
                          + " OR (#state = :running AND #lease < :now)")
                  .expressionAttributeNames(
                      Map.of(
                          "#pk", Tables.PK,
                          "#state", "state",
                          "#lease", "leaseUntil",
                          "#bucket", "bucket",
                          "#objectKey", "objectKey",
                          "#ttl", Tables.TTL))
                  .expressionAttributeValues(
                      Map.ofEntries(
                          Map.entry(":running", s(RUNNING)),
                          Map.entry(":launching", s(LAUNCHING)),
                          Map.entry(":launched", s(LAUNCHED)),
                          Map.entry(":task", s(taskId)),
                          Map.entry(":until", n(now.plus(lease).toEpochMilli())),
                          Map.entry(":now", n(now.toEpochMilli())),
                          Map.entry(":at", s(now.toString())),
                          Map.entry(":org", s(object.organization().value())),
                          Map.entry(":bucket", s(object.bucket())),
                          Map.entry(":objectKey", s(object.key())),
                          Map.entry(":ttl", n(now.plus(RETENTION).getEpochSecond())))));
      return true;
    } catch (ConditionalCheckFailedException doneOrBusy) {
      return false;
    }
  }

  /** Marks the version processed, with the report it produced. */
  public void complete(AssignmentObject object, String reportKey, String status) {
    dynamoDb.updateItem(
        r ->
            r.tableName(table)
                .key(key(object))
                .updateExpression(
                    "SET #state = :done, reportKey = :report, #status = :status, finishedAt = :at")
                .expressionAttributeNames(Map.of("#state", "state", "#status", "status"))
                .expressionAttributeValues(
                    Map.of(
                        ":done", s(DONE),
                        ":report", s(reportKey),
                        ":status", s(status),
                        ":at", s(clock.instant().toString()))));
  }

  /**
   * Lets a version be processed again after the task failed without a report (the lease would
   * otherwise block it until it expires).
   */
  public void abandon(AssignmentObject object, String taskId) {
    try {
      dynamoDb.deleteItem(
          r ->
              r.tableName(table)
                  .key(key(object))
                  .conditionExpression("#state = :running AND runningTask = :task")
                  .expressionAttributeNames(Map.of("#state", "state"))
                  .expressionAttributeValues(Map.of(":running", s(RUNNING), ":task", s(taskId))));
    } catch (ConditionalCheckFailedException notOurs) {
      // finished or taken over by another task: leave it
    }
  }

  public Optional<Run> find(AssignmentObject object) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(r -> r.tableName(table).consistentRead(true).key(key(object))).item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Run(
            object.runId(),
            item.get("state").s(),
            Optional.ofNullable(item.get("taskId")).map(AttributeValue::s),
            Optional.ofNullable(item.get("reportKey")).map(AttributeValue::s)));
  }

  private Map<String, AttributeValue> baseItem(AssignmentObject object) {
    Map<String, AttributeValue> item = new HashMap<>(key(object));
    item.put("organizationId", s(object.organization().value()));
    item.put("bucket", s(object.bucket()));
    item.put("objectKey", s(object.key()));
    object.versionId().ifPresent(v -> item.put("versionId", s(v)));
    object.eTag().ifPresent(e -> item.put("eTag", s(e)));
    item.put(Tables.TTL, n(clock.instant().plus(RETENTION).getEpochSecond()));
    return item;
  }

  private static Map<String, AttributeValue> key(AssignmentObject object) {
    return Items.key(GroupKeys.runPk(object.organization(), object.runId()), GroupKeys.RUN_SK);
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
