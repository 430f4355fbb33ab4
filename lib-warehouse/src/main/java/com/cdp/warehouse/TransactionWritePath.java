package com.cdp.warehouse;

import com.cdp.access.AccountOwnership;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.warehouse.WarehouseTransaction;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The one way transactions enter the warehouse, shared by the file loader and the
 * platform-announced transactions: transaction items (idempotent keys: organization, account,
 * posted date, transaction id), then the ownership records of the owners the data lists, then one
 * {@code account_transactionadded} per account. Announcements never write ownership: only rows that
 * name their member do.
 */
public final class TransactionWritePath {
  private final BatchWriter writer;
  private final TransactionEvents events;
  private final String warehouseTable;

  public TransactionWritePath(BatchWriter writer, TransactionEvents events, String warehouseTable) {
    this.writer = Objects.requireNonNull(writer, "writer");
    this.events = Objects.requireNonNull(events, "events");
    this.warehouseTable = Objects.requireNonNull(warehouseTable, "warehouseTable");
  }

  public String warehouseTable() {
    return warehouseTable;
  }

  /** Writes the transactions; returns the number of distinct items written. */
  public int writeTransactions(List<WarehouseTransaction> transactions) {
    List<Map<String, AttributeValue>> items = new ArrayList<>(transactions.size());
    for (WarehouseTransaction t : transactions) {
      items.add(t.toItem());
    }
    return writer.write(warehouseTable, items);
  }

  /**
   * Writes validated rows as the organization's transactions; returns the number of distinct items
   * (rows repeating a key are written once, the last one wins). Items are built while earlier
   * batches are in flight, straight from the rows' normalized values: every row here came from
   * {@link TransactionValidator} (the chunker's, or the platform announcement's), so it is not
   * validated a second time ({@link TransactionRow#toItem}).
   */
  public int writeRows(
      OrganizationId org, String source, java.time.Instant loadedAt, List<TransactionRow> rows) {
    String loadedText = loadedAt.toString();
    Map<String, TransactionRow> distinct = new java.util.LinkedHashMap<>();
    for (TransactionRow row : rows) {
      distinct.put(row.accountId() + '\u0000' + row.postedDate() + '#' + row.transactionId(), row);
    }
    return writer.write(warehouseTable, distinct, row -> row.toItem(org, source, loadedText));
  }

  /**
   * Records the owners each activity lists (the organization's own data: file rows, or core rows
   * that carry a member id): the member's-accounts index items, then one conditional update per
   * (member, account) that moves its {@code listedOn} forward. Returns the number of pairs.
   */
  public int writeOwnership(OrganizationId org, Collection<AccountActivity> activities) {
    List<Map<String, AttributeValue>> index = new ArrayList<>();
    List<UpdateItemRequest> listings = new ArrayList<>();
    for (AccountActivity a : activities) {
      AccountId account = AccountId.of(a.accountId());
      for (Map.Entry<String, String> owner : a.owners().entrySet()) {
        MemberId member = MemberId.of(owner.getKey());
        index.add(AccountOwnership.memberIndexItem(org, member, account));
        listings.add(
            AccountOwnership.listed(
                warehouseTable, org, member, account, LocalDate.parse(owner.getValue())));
      }
    }
    writer.write(warehouseTable, index);
    writer.update(listings);
    return listings.size();
  }

  /** Publishes one {@code account_transactionadded} per announcement. */
  public int announce(OrganizationId org, List<TransactionEvents.Announcement> announcements) {
    return events.publish(org, announcements);
  }

  /**
   * Publishes one {@code account_transactionadded} per announcement, each carrying {@code
   * transactionId}, the flow that produced them (the file's, or the announcement's).
   */
  public int announce(
      OrganizationId org,
      List<TransactionEvents.Announcement> announcements,
      String transactionId) {
    return events.publish(org, announcements.stream().map(a -> a.inFlow(transactionId)).toList());
  }
}
