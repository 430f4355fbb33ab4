package com.cdp.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.retry.Backoff;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

class TransactionEventsTest {
  /**
   * A PutEvents stand-in that fails every other entry (every entry when failures are unlimited)
   * while failures are left, and records what was accepted.
   */
  private static final class FlakyBus implements EventBridgeClient {
    final List<List<PutEventsRequestEntry>> calls = new ArrayList<>();
    final List<PutEventsRequestEntry> accepted = new ArrayList<>();
    final AtomicInteger failuresLeft;

    final boolean always;

    FlakyBus(int failures) {
      failuresLeft = new AtomicInteger(failures);
      always = failures == Integer.MAX_VALUE;
    }

    @Override
    public PutEventsResponse putEvents(PutEventsRequest request) {
      calls.add(request.entries());
      List<PutEventsResultEntry> results = new ArrayList<>();
      int failed = 0;
      for (int i = 0; i < request.entries().size(); i++) {
        if (always || (i % 2 == 1 && failuresLeft.getAndDecrement() > 0)) {
          results.add(
              PutEventsResultEntry.builder()
                  .errorCode("ThrottlingException")
                  .errorMessage("slow down")
                  .build());
          failed++;
        } else {
          accepted.add(request.entries().get(i));
          results.add(PutEventsResultEntry.builder().eventId("e" + accepted.size()).build());
        }
      }
      return PutEventsResponse.builder().entries(results).failedEntryCount(failed).build();
    }

    @Override
    public String serviceName() {
      return "events";
    }

    @Override
    public void close() {}
  }

  private static List<TransactionEvents.Announcement> announcements(int n) {
    List<TransactionEvents.Announcement> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AccountActivity a = new AccountActivity("A" + i, "M" + i);
      a.add("T" + i, "2026-11-27");
      out.add(new TransactionEvents.Announcement(a, "evt-" + i));
    }
    return out;
  }

  @Test
  void publish_sendsAtMostTenEntriesACall_andRetriesOnlyTheFailedEntries() {
    FlakyBus bus = new FlakyBus(5);
    TransactionEvents events = new TransactionEvents(bus, "bus", Backoff.immediate(5));
    assertThat(events.publish(OrganizationId.of("tcu"), announcements(23))).isEqualTo(23);
    assertThat(bus.calls).allSatisfy(c -> assertThat(c.size()).isLessThanOrEqualTo(10));
    assertThat(bus.accepted).hasSize(23);
    assertThat(
            bus.accepted.stream()
                .map(e -> Json.tree(e.detail()).path("eventId").asText())
                .distinct())
        .hasSize(23);
    PutEventsRequestEntry first = bus.accepted.get(0);
    assertThat(first.source()).isEqualTo("cdp.platform");
    assertThat(first.detailType()).isEqualTo("account_transactionadded");
    var detail = Json.tree(first.detail());
    assertThat(detail.path("organizationId").asText()).isEqualTo("tcu");
    assertThat(detail.path("count").asInt()).isEqualTo(1);
    assertThat(detail.path("transactionIds")).hasSize(1);
  }

  @Test
  void publish_whenEntriesKeepFailing_throwsAfterTheLastAttempt() {
    FlakyBus bus = new FlakyBus(Integer.MAX_VALUE);
    TransactionEvents events = new TransactionEvents(bus, "bus", Backoff.immediate(3));
    assertThatThrownBy(() -> events.publish(OrganizationId.of("tcu"), announcements(2)))
        .isInstanceOf(WriteFailedException.class)
        .hasMessageContaining("ThrottlingException");
  }

  @Test
  void eventId_isDeterministic_soRetriesCanBeDeduplicated() {
    assertThat(TransactionEvents.eventId("a", "b")).isEqualTo(TransactionEvents.eventId("a", "b"));
    assertThat(TransactionEvents.eventId("a", "b"))
        .isNotEqualTo(TransactionEvents.eventId("a", "c"));
  }
}
