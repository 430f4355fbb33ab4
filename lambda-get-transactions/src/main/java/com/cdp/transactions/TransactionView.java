package com.cdp.transactions;

import com.cdp.model.Money;
import com.cdp.model.warehouse.WarehouseTransaction;
import java.math.BigDecimal;

/**
 * One transaction as the API returns it. Amounts are JSON numbers with two fraction digits;
 * optional fields are left out when absent.
 */
public record TransactionView(
    String transactionId,
    String accountId,
    String postedDate,
    String postedAt,
    BigDecimal amount,
    String description,
    BigDecimal runningBalance,
    String type,
    String checkNumber,
    String merchantCategoryCode,
    String merchantName,
    String category) {

  public static TransactionView of(WarehouseTransaction t) {
    return new TransactionView(
        t.transactionId().value(),
        t.account().value(),
        t.postedDate().toString(),
        t.postedAt().orElse(null),
        t.amount().amount(),
        t.description(),
        t.runningBalance().map(Money::amount).orElse(null),
        t.type().map(Enum::name).orElse(null),
        t.checkNumber().orElse(null),
        t.merchantCategoryCode().orElse(null),
        t.merchantName().orElse(null),
        t.category().orElse(null));
  }
}
