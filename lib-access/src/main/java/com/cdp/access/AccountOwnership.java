package com.cdp.access;

import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import java.time.LocalDate;
import java.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Who owns an account: a set of (member, account) pairs, because joint accounts have several
 * owners. Written only from the organization's own data (its nightly files, and core rows that
 * carry a member id), never from a connector's announcement; read for authorization by the
 * transactions API and to address the realtime relay's events.
 *
 * <p>Items: {@code pk=ORG#o#MEMBER#m, sk=ACCT#a} (the member's accounts, an index) and {@code
 * pk=ORG#o#ACCT#a#OWNER, sk=OWNER#m} (the account's owners, authoritative) with {@code listedOn}:
 * the newest posted date under which the organization's data named that member for that account.
 * {@code listedOn} only moves forward (a conditional update), so the result does not depend on the
 * order in which files and core rows arrive.
 *
 * <p>Removal: an owner whose {@code listedOn} is more than {@link #UNLISTED_GRACE} older than the
 * newest {@code listedOn} of the account's owners is no longer an owner (the organization kept
 * listing the account under other members and stopped listing this one). A dormant account keeps
 * all its owners.
 *
 * <p>Migration: the earlier layout kept one owner per account ({@code sk=OWNER}); that item is
 * honoured while the account has no {@code OWNER#} item, and ignored from the account's next load.
 */
public final class AccountOwnership {
  /** How long an owner may go unlisted while the account is listed under other members. */
  public static final Period UNLISTED_GRACE = Period.ofDays(35);

  static final String LISTED_ON = "listedOn";

  private AccountOwnership() {}

  /**
   * Fixture and seeding writes (both items, unconditional, no {@code listedOn}: an owner until a
   * load names other owners for longer than the grace). Loaders use {@link #listed} instead.
   */
  public static List<WriteRequest> writes(OrganizationId org, MemberId member, AccountId account) {
    return List.of(
        put(memberIndexItem(org, member, account)), put(ownerItem(org, member, account)));
  }

  /** The member's-accounts index item (not authoritative: readers check the owner items). */
  public static Map<String, AttributeValue> memberIndexItem(
      OrganizationId org, MemberId member, AccountId account) {
    return item(
        WarehouseKeys.memberPk(org, member),
        WarehouseKeys.memberAccountSk(account),
        org,
        member,
        account);
  }

  private static Map<String, AttributeValue> ownerItem(
      OrganizationId org, MemberId member, AccountId account) {
    return item(
        WarehouseKeys.ownerPk(org, account), WarehouseKeys.ownerSk(member), org, member, account);
  }

  /** Both items of a pair carry the same attributes; only their keys differ. */
  private static Map<String, AttributeValue> item(
      String pk, String sk, OrganizationId org, MemberId member, AccountId account) {
    return Map.of(
        Tables.PK,
        AttributeValue.fromS(pk),
        Tables.SK,
        AttributeValue.fromS(sk),
        "organizationId",
        AttributeValue.fromS(org.value()),
        "memberId",
        AttributeValue.fromS(member.value()),
        "accountId",
        AttributeValue.fromS(account.value()));
  }

  private static WriteRequest put(Map<String, AttributeValue> item) {
    return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
  }

  /**
   * The update recording that the organization's data named {@code member} for {@code account} on
   * {@code listedOn}: sets {@code listedOn} unless the item already holds a later (or the same)
   * date. A {@code ConditionalCheckFailedException} means a newer listing is already recorded.
   */
  public static UpdateItemRequest listed(
      String table, OrganizationId org, MemberId member, AccountId account, LocalDate listedOn) {
    Objects.requireNonNull(listedOn, "listedOn");
    Map<String, AttributeValue> key =
        Map.of(
            Tables.PK,
            AttributeValue.fromS(WarehouseKeys.ownerPk(org, account)),
            Tables.SK,
            AttributeValue.fromS(WarehouseKeys.ownerSk(member)));
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key)
        .updateExpression("SET #l = :l, organizationId = :o, memberId = :m, accountId = :a")
        .conditionExpression("attribute_not_exists(#l) OR #l < :l")
        .expressionAttributeNames(Map.of("#l", LISTED_ON))
        .expressionAttributeValues(
            Map.of(
                ":l", AttributeValue.fromS(listedOn.toString()),
                ":o", AttributeValue.fromS(org.value()),
                ":m", AttributeValue.fromS(member.value()),
                ":a", AttributeValue.fromS(account.value())))
        .build();
  }

  /**
   * The members who own the account in that organization (strongly consistent; empty when nobody
   * does). One query over the account's owner items.
   */
  public static Set<MemberId> owners(
      DynamoDbClient dynamoDb, String table, OrganizationId org, AccountId account) {
    Map<String, String> listed = new HashMap<>();
    MemberId legacy = null;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> exclusiveStart = start;
      QueryResponse page =
          dynamoDb.query(
              r -> {
                r.tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS(WarehouseKeys.ownerPk(org, account))))
                    .consistentRead(true);
                if (exclusiveStart != null) {
                  r.exclusiveStartKey(exclusiveStart);
                }
              });
      for (Map<String, AttributeValue> item : page.items()) {
        String sk = item.get(Tables.SK).s();
        AttributeValue member = item.get("memberId");
        if (member == null) {
          continue;
        }
        if (sk.equals(WarehouseKeys.OWNER_SK)) {
          legacy = MemberId.of(member.s());
        } else if (sk.startsWith(WarehouseKeys.OWNER_SK + "#")) {
          AttributeValue on = item.get(LISTED_ON);
          listed.put(member.s(), on == null ? "" : on.s());
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    Set<MemberId> owners = new TreeSet<>(java.util.Comparator.comparing(MemberId::value));
    if (listed.isEmpty()) {
      if (legacy != null) {
        owners.add(legacy);
      }
      return owners;
    }
    owners.addAll(current(listed).stream().map(MemberId::of).toList());
    return owners;
  }

  /**
   * The owners still current among members and their {@code listedOn} dates ({@code ""} when the
   * item has none: seeded, always current).
   */
  static Set<String> current(Map<String, String> listedOn) {
    String newest =
        listedOn.values().stream().filter(s -> !s.isEmpty()).max(String::compareTo).orElse(null);
    String cutoff =
        newest == null ? null : LocalDate.parse(newest).minus(UNLISTED_GRACE).toString();
    Set<String> current = new TreeSet<>();
    listedOn.forEach(
        (member, on) -> {
          if (on.isEmpty() || cutoff == null || on.compareTo(cutoff) >= 0) {
            current.add(member);
          }
        });
    return current;
  }

  /** Some owner of the account (the first by id), if any. */
  public static Optional<MemberId> ownerOf(
      DynamoDbClient dynamoDb, String table, OrganizationId org, AccountId account) {
    return owners(dynamoDb, table, org, account).stream().findFirst();
  }

  /** Whether the member is one of the account's owners in that organization. */
  public static boolean owns(
      DynamoDbClient dynamoDb,
      String table,
      OrganizationId org,
      MemberId member,
      AccountId account) {
    return owners(dynamoDb, table, org, account).contains(member);
  }
}
