package com.cdp.ingestion.cleanser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleBasedCleanserTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "POS DEBIT 1127 WALMART SUPERCENTER #1234 BENTONVILLE AR|Walmart Supercenter",
        "DEBIT CARD PURCHASE XXXX1234 STARBUCKS STORE 04521 SEATTLE WA|Starbucks",
        "CHECKCARD 1127 SHELL OIL 57442 HOUSTON TX|Shell Oil",
        "ACH DEBIT COMCAST CABLE COMM 800-266-2278|Comcast Cable Comm",
        "SQ *BLUE BOTTLE COFFEE OAKLAND CA|Blue Bottle Coffee",
        "TST* CHIPOTLE 2231 DENVER CO|Chipotle",
        "\"NETFLIX.COM, INC\" LOS GATOS CA|Netflix",
        "AMAZON.COM*2K4L19 AMZN.COM/BILL WA|Amazon",
        "CHECK #1043|Check",
      })
  void merchantName_stripsNoiseStoreNumbersAndCityState(String raw, String expected) {
    assertThat(RuleBasedCleanser.merchantName(raw)).isEqualTo(expected);
  }

  @Test
  void category_comesFromTheMerchantCategoryCode_thenKeywords_thenType() {
    var out =
        new RuleBasedCleanser()
            .cleanse(
                List.of(
                    new TransactionCleanser.Input("1", "KROGER #12", "-5.00", "5411", "DEBIT"),
                    new TransactionCleanser.Input(
                        "2", "ACME CORP PAYROLL", "900.00", null, "CREDIT"),
                    new TransactionCleanser.Input("3", "MONTHLY SERVICE", "-5.00", null, "FEE"),
                    new TransactionCleanser.Input("4", "SOMETHING", "-5.00", "0001", null)));
    assertThat(out)
        .extracting(TransactionCleanser.Output::category)
        .containsExactly("Groceries", "Income", "Fees", "Other");
  }

  @Test
  void cleanse_isDeterministic() {
    var in =
        List.of(
            new TransactionCleanser.Input(
                "1", "POS DEBIT TARGET T-1234 MINNEAPOLIS MN", "-1", "5311", null));
    assertThat(new RuleBasedCleanser().cleanse(in)).isEqualTo(new RuleBasedCleanser().cleanse(in));
  }
}
