package com.cdp.transactions;

import com.cdp.access.AccountOwnership;
import com.cdp.model.Money;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.id.TransactionId;
import com.cdp.model.table.Tables;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.model.warehouse.WarehouseTransaction;
import com.cdp.testing.StandIns;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Writes test transactions and ownership records the way the loader stores them. */
final class TestWarehouse {
  final DynamoDbClient dynamoDb;
  final String table;

  TestWarehouse(StandIns standIns) {
    this.dynamoDb = standIns.dynamoDb();
    this.table = standIns.tableName(Tables.WAREHOUSE);
  }

  void own(OrganizationId org, MemberId member, AccountId account) {
    write(AccountOwnership.writes(org, member, account));
  }

  void put(List<WarehouseTransaction> transactions) {
    List<WriteRequest> writes = new ArrayList<>();
    for (WarehouseTransaction t : transactions) {
      writes.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(t.toItem()).build()).build());
    }
    write(writes);
  }

  private void write(List<WriteRequest> writes) {
    for (int i = 0; i < writes.size(); i += 25) {
      List<WriteRequest> batch = writes.subList(i, Math.min(writes.size(), i + 25));
      Map<String, List<WriteRequest>> pending = Map.of(table, batch);
      while (!pending.isEmpty()) {
        Map<String, List<WriteRequest>> request = pending;
        BatchWriteItemResponse response = dynamoDb.batchWriteItem(r -> r.requestItems(request));
        pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
      }
    }
  }

  static WarehouseTransaction txn(
      OrganizationId org,
      MemberId member,
      AccountId account,
      String id,
      String date,
      String amount,
      String description,
      TransactionType type) {
    return new WarehouseTransaction(
        org,
        member,
        account,
        TransactionId.of(id),
        LocalDate.parse(date),
        Optional.empty(),
        Money.parse(amount),
        description,
        Optional.empty(),
        Optional.ofNullable(type),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "test",
        Instant.parse("2026-11-28T00:00:00Z"));
  }

  /** The API's order: sort key descending (date, then transaction id, both descending). */
  static final Comparator<WarehouseTransaction> API_ORDER =
      Comparator.comparing(WarehouseTransaction::sk).reversed();

  /** What the filter selects, computed in memory: the reference the API is checked against. */
  static boolean matches(TransactionFilter f, WarehouseTransaction t) {
    return f.from().map(d -> !t.postedDate().isBefore(d)).orElse(true)
        && f.to().map(d -> !t.postedDate().isAfter(d)).orElse(true)
        && f.minAmount().map(m -> t.amount().compareTo(m) >= 0).orElse(true)
        && f.maxAmount().map(m -> t.amount().compareTo(m) <= 0).orElse(true)
        && f.type().map(ty -> t.type().equals(Optional.of(ty))).orElse(true)
        && f.text()
            .map(q -> t.description().toLowerCase(java.util.Locale.ROOT).contains(q))
            .orElse(true);
  }
}
