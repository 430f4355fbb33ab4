package com.cdp.transactions;

import com.cdp.model.Money;
import com.cdp.model.warehouse.MerchantEnrichment;
import com.cdp.model.warehouse.WarehouseTransaction;
import java.math.BigDecimal;

/**
 * One transaction as the API returns it. Amounts are JSON numbers with two fraction digits;
 * optional fields are left out when absent.
 */
record TransactionView(
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
    String category,
    Enrichment enrichment) {

  /**
   * What Segmint said about the description (absent when the rule-based cleanser cleaned it or it
   * is not cleaned yet); {@code location} is absent when Segmint gave none.
   */
  public record Enrichment(
      String source,
      String matchType,
      BigDecimal matchScore,
      String merchant,
      String logoUrl,
      Location location,
      String category1,
      String category2,
      String mccClassification) {
    static Enrichment of(MerchantEnrichment e) {
      return new Enrichment(
          e.source(),
          e.matchType(),
          e.matchScore(),
          e.merchant(),
          e.logoUrl(),
          e.hasLocation() ? new Location(e.city(), e.state(), e.zip(), e.country()) : null,
          e.category1(),
          e.category2(),
          e.mccClassification());
    }
  }

  /** A merchant's location as Segmint gave it; parts it left empty are absent. */
  public record Location(String city, String state, String zip, String country) {}

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
        t.category().orElse(null),
        t.enrichment().map(Enrichment::of).orElse(null));
  }
}
