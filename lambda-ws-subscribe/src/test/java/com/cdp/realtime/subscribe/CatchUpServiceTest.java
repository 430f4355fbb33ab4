package com.cdp.realtime.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.access.SessionService;
import com.cdp.http.ApiError;
import com.cdp.http.SignedCursors;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.ServerFrames;
import com.cdp.model.session.Session;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.MutableClock;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catch-up reads against dynalite: paging, filters, isolation, continuity and cursors. */
@ExtendWith(StandInsExtension.class)
class CatchUpServiceTest {
  private static final Duration WINDOW = Duration.ofHours(24);
  private static final String KEY = "a-test-key-of-at-least-32-characters!";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private final SessionService sessions;
  private final RealtimeStore store;
  private final MemberStreams streams;
  private final CatchUpService service;
  private final OrganizationId org = TestIds.org();

  CatchUpServiceTest(StandIns standIns) {
    sessions =
        new SessionService(
            standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), Clock.systemUTC());
    store = new RealtimeStore(standIns.dynamoDb(), standIns.tableName(Tables.REALTIME), clock);
    streams = store.streams(WINDOW);
    service =
        new CatchUpService(store, streams, new SignedCursors(KEY, clock, Duration.ofHours(1)));
  }

  private Session session(OrganizationId organization, String member) {
    return sessions.create(organization, MemberId.of(member), Duration.ofHours(1)).session();
  }

  /** Keeps an event in the member's stream as the relay does; returns its position. */
  private long keep(Session s, Topic topic, String eventId) {
    JsonNode data = Json.tree("{\"balance\":10.00,\"memberId\":\"" + s.member().value() + "\"}");
    return streams.append(
        s.organization(),
        s.member(),
        topic,
        "cdp.platform",
        eventId,
        seq ->
            ServerFrames.event(
                topic, eventId, seq, "t-" + eventId, "2026-12-01T08:00:00Z", data, false));
  }

  private static Map<String, String> query(String... pairs) {
    Map<String, String> q = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      q.put(pairs[i], pairs[i + 1]);
    }
    return q;
  }

  /** Every page from {@code since}, following nextCursor; asserts the page-size rule on the way. */
  private List<JsonNode> allPages(Session s, int limit, String... filters) {
    List<JsonNode> events = new ArrayList<>();
    Map<String, String> q = query(filters);
    q.put("limit", Integer.toString(limit));
    CatchUpService.Page page = service.events(s, q);
    while (true) {
      events.addAll(page.events());
      if (page.nextCursor().isEmpty()) {
        assertThat(page.events().size()).isLessThanOrEqualTo(limit);
        return events;
      }
      assertThat(page.events()).hasSize(limit);
      Map<String, String> next = query(filters);
      next.remove("since");
      next.put("limit", Integer.toString(limit));
      next.put("cursor", page.nextCursor().get());
      page = service.events(s, next);
    }
  }

  private static void refused(ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).isNotBlank();
            });
  }

  @Test
  void pages_holdExactlyLimitEvents_ofTheAskedTopics_inSeqOrder_untilNothingIsLeft() {
    Session a = session(org, "m-a");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      Topic topic =
          i % 3 == 0
              ? Topic.ACCOUNT_NICKNAME_UPDATED
              : i % 3 == 1 ? Topic.ACCOUNT_BALANCE_UPDATED : Topic.ACCOUNT_TRANSACTION_ADDED;
      keep(a, topic, "e-" + i);
      if (topic != Topic.ACCOUNT_NICKNAME_UPDATED) {
        expected.add("e-" + i);
      }
    }

    List<JsonNode> events =
        allPages(a, 4, "since", "0", "topic", "account_balanceupdated,account_transactionadded");

    assertThat(events)
        .extracting(e -> e.path("eventId").asText())
        .containsExactlyElementsOf(expected);
    assertThat(events).extracting(e -> e.path("seq").asLong()).isSorted().doesNotHaveDuplicates();
    JsonNode first = events.get(0);
    assertThat(first.path("type").asText()).isEqualTo("event");
    assertThat(first.path("transactionId").asText())
        .isEqualTo("t-" + first.path("eventId").asText());
    // The frame as kept: exact decimals.
    assertThat(Json.write(first.path("data"))).contains("10.00");
  }

  @Test
  void aPageThatTakesTheLastEvent_hasNoCursor_evenWhenItIsFull() {
    Session a = session(org, "m-a");
    for (int i = 0; i < 6; i++) {
      keep(a, Topic.ACCOUNT_BALANCE_UPDATED, "e-" + i);
    }

    CatchUpService.Page first =
        service.events(a, query("since", "0", "limit", "3", "topic", "account_balanceupdated"));
    CatchUpService.Page last =
        service.events(
            a,
            query(
                "limit",
                "3",
                "topic",
                "account_balanceupdated",
                "cursor",
                first.nextCursor().orElseThrow()));

    assertThat(first.events()).hasSize(3);
    assertThat(last.events()).hasSize(3);
    assertThat(last.nextCursor()).isEmpty();
    assertThat(last.events().get(2).path("eventId").asText()).isEqualTo("e-5");
  }

  @Test
  void withoutTopicParameters_theSessionsSubscribedTopicsApply_andStayFixedAcrossPages() {
    Session a = session(org, "m-a");
    store.subscribe(a, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));
    for (int i = 0; i < 8; i++) {
      keep(
          a,
          i % 2 == 0 ? Topic.ACCOUNT_TRANSACTION_ADDED : Topic.ACCOUNT_BALANCE_UPDATED,
          "e-" + i);
    }

    CatchUpService.Page first = service.events(a, query("since", "0", "limit", "2"));
    // Subscribing to more topics meanwhile does not change the listing in progress.
    store.subscribe(a, List.of(Topic.ACCOUNT_BALANCE_UPDATED));
    CatchUpService.Page second =
        service.events(a, query("limit", "2", "cursor", first.nextCursor().orElseThrow()));

    assertThat(first.events())
        .extracting(e -> e.path("eventId").asText())
        .containsExactly("e-0", "e-2");
    assertThat(second.events())
        .extracting(e -> e.path("eventId").asText())
        .containsExactly("e-4", "e-6");
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  void onlyTheSessionsMembersEvents_neverAnotherMembersOrOrganizations() {
    OrganizationId other = TestIds.org();
    Session a = session(org, "m-a");
    Session b = session(org, "m-b");
    Session otherA = session(other, "m-a"); // the same member id in another organization
    keep(a, Topic.ACCOUNT_BALANCE_UPDATED, "a-1");
    keep(b, Topic.ACCOUNT_BALANCE_UPDATED, "b-1");
    keep(otherA, Topic.ACCOUNT_BALANCE_UPDATED, "o-1");
    keep(a, Topic.ACCOUNT_BALANCE_UPDATED, "a-2");

    assertThat(allPages(a, 1, "since", "0", "topic", "account_balanceupdated"))
        .extracting(e -> e.path("eventId").asText())
        .containsExactly("a-1", "a-2");
    assertThat(allPages(otherA, 1, "since", "0", "topic", "account_balanceupdated"))
        .extracting(e -> e.path("eventId").asText())
        .containsExactly("o-1");
  }

  @Test
  void sinceOlderThanTheOldestKeptEvent_reportsContinuityLost_andWhatIsStillKept() {
    Session a = session(org, "m-a");
    for (int i = 1; i <= 3; i++) {
      keep(a, Topic.ACCOUNT_BALANCE_UPDATED, "old-" + i);
    }
    clock.advance(Duration.ofHours(23));
    for (int i = 4; i <= 5; i++) {
      keep(a, Topic.ACCOUNT_BALANCE_UPDATED, "new-" + i);
    }
    clock.advance(Duration.ofHours(1).plusSeconds(1)); // events 1-3 are past the window

    CatchUpService.Page lost =
        service.events(a, query("since", "1", "topic", "account_balanceupdated"));
    CatchUpService.Page fine =
        service.events(a, query("since", "3", "topic", "account_balanceupdated"));

    assertThat(lost.continuityLost()).isTrue();
    assertThat(lost.oldest()).isEqualTo(4);
    assertThat(lost.events())
        .extracting(e -> e.path("eventId").asText())
        .containsExactly("new-4", "new-5");
    assertThat(fine.continuityLost()).isFalse();
    assertThat(fine.oldest()).isEqualTo(4);
    assertThat(lost.body().path("continuityLost").asBoolean()).isTrue();
    assertThat(lost.body().path("nextCursor").isNull()).isTrue();
  }

  @Test
  void anEmptyStream_isNotALossOfContinuity_andItsOldestIsTheNextPosition() {
    Session a = session(org, "m-a");

    CatchUpService.Page page =
        service.events(a, query("since", "0", "topic", "account_balanceupdated"));

    assertThat(page.events()).isEmpty();
    assertThat(page.oldest()).isEqualTo(1);
    assertThat(page.continuityLost()).isFalse();
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void badParameters_are400WithTheirCodes() {
    Session a = session(org, "m-a");
    refused(() -> service.events(a, query()), 400, "invalid_since");
    refused(() -> service.events(a, query("since", "-1")), 400, "invalid_since");
    refused(() -> service.events(a, query("since", "1.5")), 400, "invalid_since");
    refused(() -> service.events(a, query("since", "99999999999999999999")), 400, "invalid_since");
    refused(() -> service.events(a, query("since", "0", "limit", "0")), 400, "invalid_limit");
    refused(() -> service.events(a, query("since", "0", "limit", "101")), 400, "invalid_limit");
    refused(() -> service.events(a, query("since", "0", "limit", "ten")), 400, "invalid_limit");
    refused(
        () -> service.events(a, query("since", "0", "topic", "account_everything")),
        400,
        "unknown_topic");
    refused(
        () -> service.events(a, query("since", "0", "topic", "platform_account_transactionadded")),
        400,
        "unknown_topic");
    refused(() -> service.events(a, query("since", "0", "topic", "")), 400, "unknown_topic");
    refused(() -> service.events(a, query("cursor", "c1.abc.def")), 400, "invalid_cursor");
    assertThat(service.events(a, query("since", "0", "limit", "100")).events()).isEmpty();
  }

  @Test
  void aCursor_isBoundToTheMemberTheFiltersAndSince_tamperEvident_andExpires() {
    Session a = session(org, "m-a");
    Session a2 = session(org, "m-a"); // another session of the same member may continue
    Session b = session(org, "m-b");
    for (int i = 0; i < 4; i++) {
      keep(a, Topic.ACCOUNT_BALANCE_UPDATED, "e-" + i);
    }
    String cursor =
        service
            .events(a, query("since", "0", "limit", "1", "topic", "account_balanceupdated"))
            .nextCursor()
            .orElseThrow();

    refused(
        () -> service.events(b, query("topic", "account_balanceupdated", "cursor", cursor)),
        400,
        "cursor_mismatch");
    refused(
        () -> service.events(a, query("topic", "account_transactionadded", "cursor", cursor)),
        400,
        "cursor_mismatch");
    refused(() -> service.events(a, query("cursor", cursor)), 400, "cursor_mismatch");
    refused(
        () ->
            service.events(
                a, query("since", "2", "topic", "account_balanceupdated", "cursor", cursor)),
        400,
        "cursor_mismatch");
    char last = cursor.charAt(cursor.length() - 1);
    String tampered = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
    refused(
        () -> service.events(a, query("topic", "account_balanceupdated", "cursor", tampered)),
        400,
        "invalid_cursor");
    CatchUpService foreignKey =
        new CatchUpService(
            store, streams, new SignedCursors(KEY + "other", clock, Duration.ofHours(1)));
    refused(
        () -> foreignKey.events(a, query("topic", "account_balanceupdated", "cursor", cursor)),
        400,
        "invalid_cursor");
    assertThat(
            service
                .events(
                    a2,
                    query(
                        "since",
                        "0",
                        "limit",
                        "1",
                        "topic",
                        "account_balanceupdated",
                        "cursor",
                        cursor))
                .events())
        .extracting(e -> e.path("eventId").asText())
        .containsExactly("e-1");

    clock.advance(Duration.ofHours(1));
    refused(
        () -> service.events(a, query("topic", "account_balanceupdated", "cursor", cursor)),
        400,
        "cursor_expired");
    assertThat(Optional.of(cursor)).get().asString().matches("[A-Za-z0-9._-]+");
  }
}
