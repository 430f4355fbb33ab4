package com.cdp.realtime.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.access.SessionService;
import com.cdp.model.ValidationException;
import com.cdp.model.id.MemberId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(StandInsExtension.class)
class ConnectionLimitTest {
  private final StandIns standIns;
  private final SessionService sessions;
  private final Map<String, String> closed = new ConcurrentHashMap<>();

  ConnectionLimitTest(StandIns standIns) {
    this.standIns = standIns;
    this.sessions =
        new SessionService(
            standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), Clock.systemUTC());
  }

  /** A service whose clock moves one second per connection, so "oldest" is well defined. */
  private ConnectionService service(int max, Instant at) {
    Clock clock = Clock.fixed(at, ZoneOffset.UTC);
    RealtimeStore store =
        new RealtimeStore(standIns.dynamoDb(), standIns.tableName(Tables.REALTIME), clock);
    return new ConnectionService(
        sessions,
        store,
        store.streams(MemberStreams.DEFAULT_WINDOW),
        (id, frame) -> {
          closed.put(id, frame);
          return true;
        },
        max,
        clock);
  }

  private static String id() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 15) + "=";
  }

  @Test
  void connect_beyondTheLimitPerSession_closesTheOldestWithAFrameSayingWhy() {
    String token = sessions.create(TestIds.org(), MemberId.of("m-1"), Duration.ofHours(1)).token();
    Instant start = Instant.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = id();
      ids.add(id);
      service(5, start.plusSeconds(i)).connect(id, token);
    }
    assertThat(closed).isEmpty();

    String sixth = id();
    var outcome =
        (ConnectionService.Accepted) service(5, start.plusSeconds(5)).connect(sixth, token);

    assertThat(outcome.closed()).containsExactly(ids.get(0));
    JsonNode frame = Json.tree(closed.get(ids.get(0)));
    assertThat(frame.path("type").asText()).isEqualTo("closing");
    assertThat(frame.path("code").asText()).isEqualTo("too_many_connections");
    RealtimeStore store =
        new RealtimeStore(
            standIns.dynamoDb(), standIns.tableName(Tables.REALTIME), Clock.systemUTC());
    String sessionId = outcome.connection().session().id();
    assertThat(store.sessionConnections(sessionId))
        .extracting(Recipient::connectionId)
        .containsExactlyElementsOf(List.of(ids.get(1), ids.get(2), ids.get(3), ids.get(4), sixth));
    assertThat(store.connection(ids.get(0))).isEmpty();
  }

  @Test
  void theLimit_isPerSession_otherSessionsOfTheMemberAreNotTouched() {
    var org = TestIds.org();
    String a = sessions.create(org, MemberId.of("m-1"), Duration.ofHours(1)).token();
    String b = sessions.create(org, MemberId.of("m-1"), Duration.ofHours(1)).token();
    Instant start = Instant.now();
    for (int i = 0; i < 2; i++) {
      service(2, start.plusSeconds(i)).connect(id(), a);
      service(2, start.plusSeconds(i)).connect(id(), b);
    }

    assertThat(closed).isEmpty();
  }

  @Test
  void connect_withAMalformedSince_isRefusedWithInvalidSince() {
    String token = sessions.create(TestIds.org(), MemberId.of("m-1"), Duration.ofHours(1)).token();
    for (String since : List.of("-1", "abc", "1.5", "01", "9999999999999999999999")) {
      assertThatThrownBy(() -> service(5, Instant.now()).connect(id(), token, since))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("since");
    }
  }
}
