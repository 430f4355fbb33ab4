package com.cdp.model.warehouse;

import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Which member owns an account, kept by the loaders and read for authorization by the transactions
 * API and the realtime relay. Two items per account: member -> account and account -> owner.
 */
public final class AccountOwnership {
  private AccountOwnership() {}

  /** The two writes that record that {@code member} owns {@code account}. */
  public static java.util.List<WriteRequest> writes(
      OrganizationId org, MemberId member, AccountId account) {
    Map<String, AttributeValue> byMember =
        Map.of(
            Tables.PK,
            AttributeValue.fromS(WarehouseKeys.memberPk(org, member)),
            Tables.SK,
            AttributeValue.fromS(WarehouseKeys.memberAccountSk(account)),
            "organizationId",
            AttributeValue.fromS(org.value()),
            "memberId",
            AttributeValue.fromS(member.value()),
            "accountId",
            AttributeValue.fromS(account.value()));
    Map<String, AttributeValue> byAccount =
        Map.of(
            Tables.PK,
            AttributeValue.fromS(WarehouseKeys.ownerPk(org, account)),
            Tables.SK,
            AttributeValue.fromS(WarehouseKeys.OWNER_SK),
            "organizationId",
            AttributeValue.fromS(org.value()),
            "memberId",
            AttributeValue.fromS(member.value()),
            "accountId",
            AttributeValue.fromS(account.value()));
    return java.util.List.of(
        WriteRequest.builder().putRequest(PutRequest.builder().item(byMember).build()).build(),
        WriteRequest.builder().putRequest(PutRequest.builder().item(byAccount).build()).build());
  }

  /** The member who owns the account in that organization, if any (strongly consistent read). */
  public static Optional<MemberId> ownerOf(
      DynamoDbClient dynamoDb, String table, OrganizationId org, AccountId account) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(
                            Map.of(
                                Tables.PK,
                                    AttributeValue.fromS(WarehouseKeys.ownerPk(org, account)),
                                Tables.SK, AttributeValue.fromS(WarehouseKeys.OWNER_SK))))
            .item();
    return item == null || item.isEmpty()
        ? Optional.empty()
        : Optional.of(MemberId.of(item.get("memberId").s()));
  }

  /** Whether the member owns the account in that organization. */
  public static boolean owns(
      DynamoDbClient dynamoDb,
      String table,
      OrganizationId org,
      MemberId member,
      AccountId account) {
    return ownerOf(dynamoDb, table, org, account).filter(member::equals).isPresent();
  }
}
