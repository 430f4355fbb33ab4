package com.cdp.model.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class MerchantEnrichmentTest {
  private static final MerchantEnrichment FULL =
      new MerchantEnrichment(
          "segmint",
          "SIMILAR",
          new BigDecimal("0.96"),
          "SHELL",
          "https://logos.example/shell.svg",
          "CHICAGO",
          "IL",
          "60601",
          "US",
          "GAS STATIONS",
          "TRANSPORTATION & AUTOMOTIVE",
          "SERVICE STATIONS");

  @Test
  void attribute_roundTripsEveryField() {
    assertThat(MerchantEnrichment.fromAttribute(FULL.toAttribute())).isEqualTo(FULL);
  }

  @Test
  void blankValues_areStoredAsAbsent_andAbsentLocationIsReported() {
    MerchantEnrichment sparse =
        new MerchantEnrichment(
            "segmint", "NO_MATCH", null, " ", "", "", null, "", "", null, null, null);
    Map<String, AttributeValue> stored = sparse.toAttribute().m();
    assertThat(stored.keySet()).containsExactlyInAnyOrder("source", "matchType");
    assertThat(sparse.hasLocation()).isFalse();
    assertThat(MerchantEnrichment.fromAttribute(sparse.toAttribute())).isEqualTo(sparse);
  }

  @Test
  void sourceAndMatchType_areRequired_andANonMapAttributeReadsAsAbsent() {
    assertThatThrownBy(
            () ->
                new MerchantEnrichment(
                    "segmint", " ", null, null, null, null, null, null, null, null, null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("matchType");
    assertThat(MerchantEnrichment.fromAttribute(AttributeValue.fromS("x"))).isNull();
    assertThat(MerchantEnrichment.fromAttribute(null)).isNull();
  }
}
