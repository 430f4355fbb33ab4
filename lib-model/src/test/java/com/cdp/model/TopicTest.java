package com.cdp.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.event.Events;
import com.cdp.model.event.Topic;
import com.cdp.model.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicTest {
  @Test
  void fromDetailType_findsContractTopics_only() {
    assertThat(Topic.fromDetailType("account_transactionadded"))
        .contains(Topic.ACCOUNT_TRANSACTION_ADDED);
    assertThat(Topic.fromDetailType("account_deleted")).isEmpty();
    assertThat(Topic.PLATFORM_ACCOUNT_TRANSACTION_ADDED.relayedToEndUsers()).isFalse();
  }

  @Test
  void transactionAddedDetail_serializesWithContractFieldNames() {
    var detail =
        new Events.AccountTransactionAdded("tcu", "e1", "m1", "a1", List.of("t1", "t2"), 2);
    assertThat(Json.tree(Json.write(detail)))
        .isEqualTo(
            Json.tree(
                """
            {"organizationId":"tcu","eventId":"e1","memberId":"m1","accountId":"a1","transactionIds":["t1","t2"],"count":2}"""));
  }
}
