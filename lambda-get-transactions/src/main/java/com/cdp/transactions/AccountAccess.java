package com.cdp.transactions;

import com.cdp.access.AccountOwnership;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Whether a member may read an account: in this platform, whether the member owns it. */
@FunctionalInterface
public interface AccountAccess {
  boolean mayRead(OrganizationId org, MemberId member, AccountId account);

  /** The ownership records the loaders keep in the warehouse (organization-scoped keys). */
  static AccountAccess ownership(DynamoDbClient dynamoDb, String warehouseTable) {
    return (org, member, account) ->
        AccountOwnership.owns(dynamoDb, warehouseTable, org, member, account);
  }
}
