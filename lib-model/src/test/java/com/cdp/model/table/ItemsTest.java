package com.cdp.model.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemsTest {

  @Test
  void key_isThePkAndSkOfTheTable() {
    assertThat(Items.key("ORG#a", "MEMBER#b"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Tables.PK,
                AttributeValue.fromS("ORG#a"),
                Tables.SK,
                AttributeValue.fromS("MEMBER#b")));
  }

  @Test
  void valuesWritten_areReadBack() {
    Map<String, AttributeValue> item = Map.of("name", Items.s("x"), "count", Items.n(42));
    assertThat(Items.str(item, "name")).isEqualTo("x");
    assertThat(Items.number(item, "count", -1)).isEqualTo(42);
  }

  @Test
  void absentAttributes_readAsNullOrTheGivenDefault() {
    Map<String, AttributeValue> item = Map.of("name", Items.s("x"));
    assertThat(Items.str(item, "missing")).isNull();
    assertThat(Items.number(item, "missing", 7)).isEqualTo(7);
    assertThat(Items.number(item, "name", 7)).isEqualTo(7);
  }
}
