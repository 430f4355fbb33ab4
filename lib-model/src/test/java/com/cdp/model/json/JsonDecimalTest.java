package com.cdp.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonDecimalTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.00",
        "0.10",
        "12345678901234.57",
        "-0.01",
        "99999999999999999.99",
        "1.000000000000000000001"
      })
  void treeRoundTrip_keepsEveryDigitAndTheScale(String amount) {
    String json = "{\"balance\":" + amount + ",\"count\":3}";

    assertThat(Json.write(Json.tree(json))).isEqualTo(json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.00", "12345678901234.57", "0.10"})
  void readAsMap_givesBigDecimalsNotDoubles(String amount) {
    @SuppressWarnings("unchecked")
    Map<String, Object> read = Json.read("{\"balance\":" + amount + "}", Map.class);

    assertThat(read.get("balance")).isEqualTo(new BigDecimal(amount));
    assertThat(Json.write(read)).isEqualTo("{\"balance\":" + amount + "}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345678901234.57", "0.10"})
  void nestedDetail_survivesBeingSetIntoAnotherTree(String amount) {
    JsonNode detail = Json.tree("{\"accounts\":[{\"balance\":" + amount + "}]}");
    var frame = Json.object();
    frame.set("data", detail);

    assertThat(Json.write(Json.tree(Json.write(frame))))
        .isEqualTo("{\"data\":{\"accounts\":[{\"balance\":" + amount + "}]}}");
  }
}
