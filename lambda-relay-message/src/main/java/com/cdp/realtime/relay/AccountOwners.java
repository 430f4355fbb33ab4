package com.cdp.realtime.relay;

import com.cdp.access.AccountOwnership;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Who owns an account in an organization: the members an account event is delivered to. */
@FunctionalInterface
public interface AccountOwners {
  Set<MemberId> ownersOf(OrganizationId org, AccountId account);

  /** The ownership records the loaders keep in the warehouse ({@link AccountOwnership}). */
  static AccountOwners warehouse(DynamoDbClient dynamoDb, String warehouseTable) {
    return (org, account) -> AccountOwnership.owners(dynamoDb, warehouseTable, org, account);
  }
}
