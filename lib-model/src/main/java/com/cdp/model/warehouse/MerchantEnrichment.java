package com.cdp.model.warehouse;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a merchant-cleansing service (Segmint) said about a transaction's description, kept next to
 * the untouched description: how it matched ({@code matchType}, {@code matchScore}), the merchant's
 * classification, logo and location, the two category classifications and the MCC classification.
 * Every field except {@code source} and {@code matchType} may be null (the service left it out or
 * empty); blank values are stored as absent.
 *
 * <p>Stored as one map attribute {@code enrichment} of the warehouse item, so the cleanser sets it
 * with one {@code SET} and readers that do not know it ignore it.
 */
public record MerchantEnrichment(
    String source,
    String matchType,
    BigDecimal matchScore,
    String merchant,
    String logoUrl,
    String city,
    String state,
    String zip,
    String country,
    String category1,
    String category2,
    String mccClassification) {

  /** The warehouse item attribute holding the enrichment. */
  public static final String ATTRIBUTE = "enrichment";

  public MerchantEnrichment {
    source = Objects.requireNonNull(blankToNull(source), "source");
    matchType = Objects.requireNonNull(blankToNull(matchType), "matchType");
    merchant = blankToNull(merchant);
    logoUrl = blankToNull(logoUrl);
    city = blankToNull(city);
    state = blankToNull(state);
    zip = blankToNull(zip);
    country = blankToNull(country);
    category1 = blankToNull(category1);
    category2 = blankToNull(category2);
    mccClassification = blankToNull(mccClassification);
  }

  /** Whether any part of a location was given. */
  public boolean hasLocation() {
    return city != null || state != null || zip != null || country != null;
  }

  public AttributeValue toAttribute() {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put("source", AttributeValue.fromS(source));
    m.put("matchType", AttributeValue.fromS(matchType));
    if (matchScore != null) {
      m.put("matchScore", AttributeValue.fromN(matchScore.toPlainString()));
    }
    put(m, "merchant", merchant);
    put(m, "logoUrl", logoUrl);
    put(m, "city", city);
    put(m, "state", state);
    put(m, "zip", zip);
    put(m, "country", country);
    put(m, "category1", category1);
    put(m, "category2", category2);
    put(m, "mccClassification", mccClassification);
    return AttributeValue.fromM(m);
  }

  /** The enrichment stored in {@code value}, or null when the value is absent or not a map. */
  public static MerchantEnrichment fromAttribute(AttributeValue value) {
    if (value == null || !value.hasM()) {
      return null;
    }
    Map<String, AttributeValue> m = value.m();
    if (s(m, "source") == null || s(m, "matchType") == null) {
      return null;
    }
    AttributeValue score = m.get("matchScore");
    return new MerchantEnrichment(
        s(m, "source"),
        s(m, "matchType"),
        score == null || score.n() == null ? null : new BigDecimal(score.n()),
        s(m, "merchant"),
        s(m, "logoUrl"),
        s(m, "city"),
        s(m, "state"),
        s(m, "zip"),
        s(m, "country"),
        s(m, "category1"),
        s(m, "category2"),
        s(m, "mccClassification"));
  }

  private static void put(Map<String, AttributeValue> m, String name, String value) {
    if (value != null) {
      m.put(name, AttributeValue.fromS(value));
    }
  }

  private static String s(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null ? null : v.s();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
