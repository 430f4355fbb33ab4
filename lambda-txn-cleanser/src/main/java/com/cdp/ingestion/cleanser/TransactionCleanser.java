package com.cdp.ingestion.cleanser;

import com.cdp.model.warehouse.MerchantEnrichment;
import java.util.List;
import java.util.Objects;

/**
 * Turns raw transaction descriptions into a clean merchant name and a category. Two
 * implementations: {@link SegmintCleanser} (the Segmint API, in AWS) and {@link RuleBasedCleanser}
 * (embedded, the default and the fallback).
 */
public interface TransactionCleanser {
  /** One transaction to clean; {@code merchantCategoryCode} and {@code type} may be null. */
  record Input(
      String id, String description, String amount, String merchantCategoryCode, String type) {
    public Input {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(description, "description");
    }
  }

  /**
   * The cleaned values of one transaction; {@code enrichment} is what Segmint said (null for the
   * rule-based cleanser).
   */
  record Output(String id, String merchantName, String category, MerchantEnrichment enrichment) {
    public Output {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(merchantName, "merchantName");
      Objects.requireNonNull(category, "category");
    }

    public Output(String id, String merchantName, String category) {
      this(id, merchantName, category, null);
    }
  }

  /** Cleans a batch; the result may omit transactions it could not clean. */
  List<Output> cleanse(List<Input> transactions);
}
