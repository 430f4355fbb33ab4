package com.cdp.groups.task;

import static com.cdp.model.table.Items.key;
import static com.cdp.model.table.Items.s;

import com.cdp.aws.retry.Backoff;
import com.cdp.aws.retry.Retry;
import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.GroupKeys;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroup;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Tile groups, member enrollment and group membership of organizations, in the groups table (keys
 * in {@link GroupKeys}). Every change is a single-item conditional write, so repeating it changes
 * nothing and concurrent writers never double-count: the boolean results say whether this call made
 * the change. No DynamoDB transactions. Thread-safe.
 */
public final class GroupDirectory {
  /** BatchGetItem's limit. */
  static final int BATCH_GET_LIMIT = 100;

  private static final String NOT_EXISTS = "attribute_not_exists(" + Tables.PK + ")";
  private static final String EXISTS = "attribute_exists(" + Tables.PK + ")";

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Clock clock;
  private final Backoff backoff;

  public GroupDirectory(DynamoDbClient dynamoDb, String table, Clock clock) {
    this(dynamoDb, table, clock, Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(2), 10));
  }

  public GroupDirectory(DynamoDbClient dynamoDb, String table, Clock clock, Backoff backoff) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  public String table() {
    return table;
  }

  // ---- tile groups

  /** Defines a tile group; false when it already existed (its description is left as it was). */
  public boolean defineTileGroup(OrganizationId org, TileGroupName name, String description) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, s(GroupKeys.tileGroupsPk(org)));
    item.put(Tables.SK, s(GroupKeys.tileGroupSk(name)));
    item.put("organizationId", s(org.value()));
    item.put("tileGroup", s(name.value()));
    if (description != null && !description.isBlank()) {
      item.put("description", s(description.strip()));
    }
    item.put("createdAt", s(clock.instant().toString()));
    return putIfAbsent(item);
  }

  /** The organization's tile groups, by name. */
  public List<TileGroup> tileGroups(OrganizationId org) {
    List<TileGroup> groups = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder query =
          QueryRequest.builder()
              .tableName(table)
              .consistentRead(true)
              .keyConditionExpression("#pk = :pk")
              .expressionAttributeNames(Map.of("#pk", Tables.PK))
              .expressionAttributeValues(Map.of(":pk", s(GroupKeys.tileGroupsPk(org))));
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(query.build());
      for (Map<String, AttributeValue> item : page.items()) {
        groups.add(
            new TileGroup(
                TileGroupName.of(item.get("tileGroup").s()),
                item.containsKey("description") ? item.get("description").s() : "",
                Instant.parse(item.get("createdAt").s())));
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return groups;
  }

  // ---- enrollment

  public Enrollment enrollment(OrganizationId org, MemberId member) {
    return enrollments(org, List.of(member)).getOrDefault(member, Enrollment.NONE);
  }

  /** The enrollment of each member that has one (members missing from the map are NONE). */
  public Map<MemberId, Enrollment> enrollments(OrganizationId org, Collection<MemberId> members) {
    Map<MemberId, Enrollment> result = new HashMap<>();
    List<Map<String, AttributeValue>> keys = new ArrayList<>(members.size());
    for (MemberId member : new LinkedHashSet<>(members)) {
      keys.add(key(GroupKeys.memberPk(org, member), GroupKeys.ENROLLMENT_SK));
    }
    for (Map<String, AttributeValue> item : batchGet(keys)) {
      result.put(
          MemberId.of(item.get("memberId").s()), Enrollment.parse(item.get("enrollment").s()));
    }
    return result;
  }

  /**
   * Partially enrolls a member who has no enrollment yet; false when the member was already
   * enrolled (partially or fully), so exactly one caller ever enrolls a member.
   */
  public boolean enrollPartiallyIfNone(OrganizationId org, MemberId member, String source) {
    return putIfAbsent(enrollmentItem(org, member, Enrollment.PARTIAL, source));
  }

  /**
   * Sets a member's enrollment (an administrative change: local definitions and seeds). NONE
   * deletes the enrollment item.
   */
  public void setEnrollment(
      OrganizationId org, MemberId member, Enrollment enrollment, String source) {
    if (enrollment == Enrollment.NONE) {
      dynamoDb.deleteItem(
          r ->
              r.tableName(table)
                  .key(key(GroupKeys.memberPk(org, member), GroupKeys.ENROLLMENT_SK)));
      return;
    }
    dynamoDb.putItem(r -> r.tableName(table).item(enrollmentItem(org, member, enrollment, source)));
  }

  /** Enrolls a member at the given level only if they have no enrollment yet. */
  public boolean enrollIfNone(
      OrganizationId org, MemberId member, Enrollment enrollment, String source) {
    if (enrollment == Enrollment.NONE) {
      return false;
    }
    return putIfAbsent(enrollmentItem(org, member, enrollment, source));
  }

  private Map<String, AttributeValue> enrollmentItem(
      OrganizationId org, MemberId member, Enrollment enrollment, String source) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, s(GroupKeys.memberPk(org, member)));
    item.put(Tables.SK, s(GroupKeys.ENROLLMENT_SK));
    item.put("organizationId", s(org.value()));
    item.put("memberId", s(member.value()));
    item.put("enrollment", s(enrollment.id()));
    item.put("enrolledAt", s(clock.instant().toString()));
    item.put("enrolledBy", s(source));
    return item;
  }

  // ---- membership

  /** Which of the given memberships exist. */
  public Set<Membership> existing(OrganizationId org, Collection<Membership> memberships) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>(memberships.size());
    for (Membership m : new LinkedHashSet<>(memberships)) {
      keys.add(key(GroupKeys.groupPk(org, m.group()), GroupKeys.memberSk(m.member())));
    }
    Set<Membership> found = new HashSet<>();
    for (Map<String, AttributeValue> item : batchGet(keys)) {
      found.add(
          new Membership(
              TileGroupName.of(item.get("tileGroup").s()), MemberId.of(item.get("memberId").s())));
    }
    return found;
  }

  public boolean isMember(OrganizationId org, TileGroupName group, MemberId member) {
    return !existing(org, List.of(new Membership(group, member))).isEmpty();
  }

  /** Adds the member to the group; false when they were already in it. */
  public boolean addMember(OrganizationId org, Membership membership, String source) {
    return putIfAbsent(membershipItem(org, membership, source));
  }

  private Map<String, AttributeValue> membershipItem(
      OrganizationId org, Membership membership, String source) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, s(GroupKeys.groupPk(org, membership.group())));
    item.put(Tables.SK, s(GroupKeys.memberSk(membership.member())));
    item.put("organizationId", s(org.value()));
    item.put("tileGroup", s(membership.group().value()));
    item.put("memberId", s(membership.member().value()));
    item.put("addedAt", s(clock.instant().toString()));
    item.put("addedBy", s(source));
    return item;
  }

  /** Removes the member from the group; false when they were not in it. */
  public boolean removeMember(OrganizationId org, Membership membership) {
    try {
      dynamoDb.deleteItem(
          r ->
              r.tableName(table)
                  .key(
                      key(
                          GroupKeys.groupPk(org, membership.group()),
                          GroupKeys.memberSk(membership.member())))
                  .conditionExpression(EXISTS));
      return true;
    } catch (ConditionalCheckFailedException absent) {
      return false;
    }
  }

  /** The group's members, in member id order. */
  public List<MemberId> members(OrganizationId org, TileGroupName group) {
    List<MemberId> members = new ArrayList<>();
    eachMember(org, group, false, item -> members.add(MemberId.of(item.get("memberId").s())));
    return members;
  }

  /**
   * The ids of the group's members when it has at most {@code max} (strongly consistent Query of
   * the group's partition, member ids only), empty when it has more: reading a small group whole
   * costs a few Query pages where checking the same members one key at a time costs a BatchGetItem
   * per 100.
   */
  public Optional<Set<String>> memberIdsIfAtMost(OrganizationId org, TileGroupName group, int max) {
    Set<String> members = new HashSet<>();
    boolean whole =
        eachMember(
            org,
            group,
            true,
            item -> {
              members.add(item.get("memberId").s());
              return members.size() <= max;
            });
    return whole ? Optional.of(members) : Optional.empty();
  }

  /**
   * Pages through the group's member items (strongly consistent Query, in member id order; only
   * {@code memberId} when {@code idsOnly}) until {@code each} answers false. Whether every item was
   * seen.
   */
  private boolean eachMember(
      OrganizationId org,
      TileGroupName group,
      boolean idsOnly,
      java.util.function.Predicate<Map<String, AttributeValue>> each) {
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder query =
          QueryRequest.builder()
              .tableName(table)
              .consistentRead(true)
              .keyConditionExpression("#pk = :pk AND begins_with(#sk, :member)")
              .expressionAttributeNames(Map.of("#pk", Tables.PK, "#sk", Tables.SK))
              .expressionAttributeValues(
                  Map.of(
                      ":pk", s(GroupKeys.groupPk(org, group)),
                      ":member", s(GroupKeys.MEMBER_SK_PREFIX)));
      if (idsOnly) {
        query.projectionExpression("memberId");
      }
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(query.build());
      for (Map<String, AttributeValue> item : page.items()) {
        if (!each.test(item)) {
          return false;
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return true;
  }

  /** The member's groups among the organization's tile groups (one read per tile group). */
  public List<TileGroupName> groupsOf(OrganizationId org, MemberId member) {
    List<Membership> candidates = new ArrayList<>();
    for (TileGroup group : tileGroups(org)) {
      candidates.add(new Membership(group.name(), member));
    }
    Set<Membership> found = existing(org, candidates);
    return candidates.stream().filter(found::contains).map(Membership::group).toList();
  }

  // ---- planned writes of one organization's apply lock holder

  /** BatchWriteItem's limit. */
  public static final int BATCH_WRITE_LIMIT = 25;

  /**
   * Writes planned changes with one BatchWriteItem (at most {@link #BATCH_WRITE_LIMIT} in all),
   * retrying unprocessed items with backoff. Unconditional: only for a caller that planned them
   * against the current state while holding the organization's apply lock ({@link #tryLockApply}),
   * so no other run changes the same items meanwhile.
   */
  public void writePlanned(
      OrganizationId org,
      Collection<MemberId> partialEnrollments,
      Collection<Membership> adds,
      Collection<Membership> removes,
      String source) {
    List<WriteRequest> writes = new ArrayList<>();
    for (MemberId member : partialEnrollments) {
      writes.add(put(enrollmentItem(org, member, Enrollment.PARTIAL, source)));
    }
    for (Membership m : adds) {
      writes.add(put(membershipItem(org, m, source)));
    }
    for (Membership m : removes) {
      writes.add(
          WriteRequest.builder()
              .deleteRequest(
                  DeleteRequest.builder()
                      .key(key(GroupKeys.groupPk(org, m.group()), GroupKeys.memberSk(m.member())))
                      .build())
              .build());
    }
    if (writes.size() > BATCH_WRITE_LIMIT) {
      throw new IllegalArgumentException("at most 25 writes per batch");
    }
    // The unprocessed items of one attempt are the next attempt's batch.
    AtomicReference<List<WriteRequest>> pending = new AtomicReference<>(writes);
    Retry.with(backoff)
        .run(
            attempt -> {
              if (pending.get().isEmpty()) {
                return Retry.Step.done(null);
              }
              List<WriteRequest> batch = pending.get();
              BatchWriteItemResponse response =
                  dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(table, batch)));
              pending.set(response.unprocessedItems().getOrDefault(table, List.of()));
              return pending.get().isEmpty()
                  ? Retry.Step.done(null)
                  : Retry.Step.again(
                      "DynamoDB left " + pending.get().size() + " writes unprocessed");
            });
  }

  /**
   * Takes the organization's apply lock until {@code until} (or renews it for the same holder);
   * false while another holder's lease runs. Runs that write planned changes unconditionally hold
   * it from planning to the last write.
   */
  public boolean tryLockApply(OrganizationId org, String holder, Instant until) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, s(applyLockPk(org)));
    item.put(Tables.SK, s(APPLY_LOCK_SK));
    item.put("holder", s(holder));
    item.put("leaseUntil", AttributeValue.fromN(Long.toString(until.toEpochMilli())));
    item.put(Tables.TTL, AttributeValue.fromN(Long.toString(until.getEpochSecond() + 86_400)));
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(table)
                  .item(item)
                  .conditionExpression(NOT_EXISTS + " OR holder = :h OR leaseUntil < :now")
                  .expressionAttributeValues(
                      Map.of(
                          ":h",
                          s(holder),
                          ":now",
                          AttributeValue.fromN(Long.toString(clock.instant().toEpochMilli())))));
      return true;
    } catch (ConditionalCheckFailedException held) {
      return false;
    }
  }

  /** Releases the apply lock if {@code holder} still holds it. */
  public void unlockApply(OrganizationId org, String holder) {
    try {
      dynamoDb.deleteItem(
          r ->
              r.tableName(table)
                  .key(key(applyLockPk(org), APPLY_LOCK_SK))
                  .conditionExpression("holder = :h")
                  .expressionAttributeValues(Map.of(":h", s(holder))));
    } catch (ConditionalCheckFailedException notHeld) {
      // Expired and taken over: nothing to release.
    }
  }

  private static final String APPLY_LOCK_SK = "APPLYLOCK";

  private static String applyLockPk(OrganizationId org) {
    return "ORG#" + org.value() + "#APPLYLOCK";
  }

  private static WriteRequest put(Map<String, AttributeValue> item) {
    return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
  }

  // ---- helpers

  private boolean putIfAbsent(Map<String, AttributeValue> item) {
    try {
      dynamoDb.putItem(r -> r.tableName(table).item(item).conditionExpression(NOT_EXISTS));
      return true;
    } catch (ConditionalCheckFailedException exists) {
      return false;
    }
  }

  /** Strongly consistent BatchGetItem in pages of 100, retrying unprocessed keys with backoff. */
  private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
      List<Map<String, AttributeValue>> page =
          keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT));
      AtomicReference<List<Map<String, AttributeValue>>> pending = new AtomicReference<>(page);
      Retry.with(backoff)
          .run(
              attempt -> {
                Map<String, KeysAndAttributes> request = new LinkedHashMap<>();
                request.put(
                    table,
                    KeysAndAttributes.builder().keys(pending.get()).consistentRead(true).build());
                BatchGetItemResponse response = dynamoDb.batchGetItem(r -> r.requestItems(request));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
                pending.set(unprocessed == null ? List.of() : unprocessed.keys());
                return pending.get().isEmpty()
                    ? Retry.Step.done(null)
                    : Retry.Step.again(
                        "DynamoDB left " + pending.get().size() + " keys unprocessed");
              });
    }
    return items;
  }
}
