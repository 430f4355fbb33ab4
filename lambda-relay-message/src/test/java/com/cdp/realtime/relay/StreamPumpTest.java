package com.cdp.realtime.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.session.Session;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(StandInsExtension.class)
class StreamPumpTest {
  private static final Topic TXN = Topic.ACCOUNT_TRANSACTION_ADDED;
  private static final Topic BALANCE = Topic.ACCOUNT_BALANCE_UPDATED;
  private final OrganizationId org = TestIds.org();
  private final MemberId alice = MemberId.of("alice");
  private final PumpFixture f;

  StreamPumpTest(StandIns standIns) throws Exception {
    f = new PumpFixture(standIns);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void connectWithSince_getsTheKeptEventsOfItsTopicsAfterSinceInOrder_thenLiveOnes() {
    Session s = f.session(org, alice, TXN);
    for (int i = 0; i < 6; i++) {
      f.publish(org, alice, i % 3 == 2 ? BALANCE : TXN); // seq 3 and 6 are balance events
    }

    String c = f.connect(s, OptionalLong.of(1));
    f.pump(s);
    f.publish(org, alice, TXN); // 7
    f.publish(org, alice, BALANCE); // 8, not subscribed
    f.publish(org, alice, TXN); // 9

    assertThat(f.seqs(c)).containsExactly(2L, 4L, 5L, 7L, 9L);
  }

  @Test
  void connectWithoutSince_getsOnlyEventsAfterItConnected() {
    Session s = f.session(org, alice, TXN);
    f.publish(org, alice, TXN);
    f.publish(org, alice, TXN);

    String c = f.connect(s, OptionalLong.empty());
    f.publish(org, alice, TXN);

    assertThat(f.seqs(c)).containsExactly(3L);
  }

  @Test
  void aConnectionWaitingForItsReplay_getsNothingLiveBeforeTheReplay() {
    Session s = f.session(org, alice, TXN);
    f.publish(org, alice, TXN);
    f.publish(org, alice, TXN);
    String c = f.connect(s, OptionalLong.of(0));

    // The next event's pump serves the replay first, then posts the event live: 1, 2, 3 once each.
    f.publish(org, alice, TXN);

    assertThat(f.seqs(c)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void resumeFrame_onAFreshConnection_replaysTheOlderEventsBeforeAnythingNewer() {
    Session s = f.session(org, alice, TXN);
    LongStream.range(0, 4).forEach(i -> f.publish(org, alice, TXN));
    String c = f.connect(s, OptionalLong.empty());
    f.pump(s); // admitted at 4

    f.resume(s, c, 1);
    f.publish(org, alice, TXN);

    assertThat(f.seqs(c)).containsExactly(2L, 3L, 4L, 5L);
  }

  @Test
  void resumeFrame_afterNewerEventsWereSent_refusesWithResumeConflictInsteadOfDisorder() {
    Session s = f.session(org, alice, TXN);
    LongStream.range(0, 3).forEach(i -> f.publish(org, alice, TXN));
    String c = f.connect(s, OptionalLong.empty());
    f.publish(org, alice, TXN); // 4, live

    f.resume(s, c, 1);

    List<JsonNode> frames = f.frames(c);
    assertThat(f.seqs(c)).containsExactly(4L);
    assertThat(frames.get(frames.size() - 1).path("code").asText()).isEqualTo("resume_conflict");
  }

  @Test
  void replay_whenSinceIsOlderThanTheWindow_sendsContinuityLostThenWhatIsKept() throws Exception {
    Session s = f.session(org, alice, TXN);
    // Events kept with a window that has already passed: expired as far as reads go.
    try (PumpFixture expired = new PumpFixture(f.standIns, Duration.ofMillis(1))) {
      expired.publish(org, alice, TXN);
      expired.publish(org, alice, TXN);
    }
    Thread.sleep(1100); // TTL has one-second resolution
    f.publish(org, alice, TXN); // 3
    f.publish(org, alice, TXN); // 4

    String c = f.connect(s, OptionalLong.of(0));
    f.pump(s);

    List<JsonNode> frames = f.frames(c);
    assertThat(frames.get(0).path("type").asText()).isEqualTo("continuity_lost");
    assertThat(frames.get(0).path("since").asLong()).isZero();
    assertThat(frames.get(0).path("oldest").asLong()).isEqualTo(3);
    assertThat(f.seqs(c)).containsExactly(3L, 4L);
  }

  @Test
  void aLiveConnectionThatStaysThrottled_isReplayedLaterFromWhatItMissed_withoutGap() {
    Session s = f.session(org, alice, TXN);
    String c = f.connect(s, OptionalLong.empty());
    f.pump(s);
    Integer[] throttled = new Integer[12];
    java.util.Arrays.fill(throttled, 429);
    f.api.script(c, throttled);

    f.publish(org, alice, TXN); // 1: throttled through every retry: suspended
    f.publish(org, alice, TXN); // 2: the pump replays 1, then posts 2

    assertThat(f.seqs(c)).containsExactly(1L, 2L);
  }

  @Test
  void aLiveConnectionAnswering410WithinTheConnectGrace_getsTheEventLaterInOrder_notNever()
      throws Exception {
    try (PumpFixture g =
        new PumpFixture(f.standIns, Duration.ofHours(24), Duration.ofSeconds(30))) {
      Session s = g.session(org, alice, TXN);
      String c = g.connect(s, OptionalLong.empty());
      g.pump(s); // nothing to replay: admitted at once
      // API Gateway answers 410 for a connection whose $connect has not returned yet.
      g.api.script(c, 410);

      g.publish(org, alice, TXN); // 1: 410 within the grace: not reachable yet, not gone
      g.publish(org, alice, TXN); // 2: the pump replays 1 first

      assertThat(g.seqs(c)).containsExactly(1L, 2L);
    }
  }

  @Test
  void
      aNewSessionsConnectionWithSince_isReplayedItsTopicsOnceItSubscribes_evenIfAnEventCameFirst() {
    Session s = f.sessions.create(org, alice, Duration.ofHours(1)).session(); // no topics yet
    f.publish(org, alice, TXN); // 1
    f.publish(org, alice, TXN); // 2
    String c = f.connect(s, OptionalLong.of(0));

    f.publish(org, alice, TXN); // 3: its pump runs before the client's subscribe frame
    f.store.subscribe(s, List.of(TXN)); // the subscribe frame: topics, then the pump
    f.pump(s);
    f.publish(org, alice, TXN); // 4

    assertThat(f.seqs(c)).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aReplayToAConnectionStillInConnect_isLeftForTheClientsFrame_notWaitedOnForTheGrace()
      throws Exception {
    try (PumpFixture g =
        new PumpFixture(f.standIns, Duration.ofHours(24), Duration.ofSeconds(30))) {
      Session s = g.session(org, alice, TXN);
      g.publish(org, alice, TXN); // 1
      String c = g.recordConnection(s, OptionalLong.of(0)); // posts answer 410 for now

      g.pump(s); // tries a few times, then leaves the replay to the next trigger

      assertThat(g.streams.pending(org, alice))
          .extracting(MemberStreams.Pending::connectionId)
          .containsExactly(c);
      g.api.open(c);
      g.subscribeFrame(s);
      assertThat(g.seqs(c)).containsExactly(1L);
    }
  }

  @Test
  void positions_arePerMember_andNeverReused() {
    Session s = f.session(org, alice, TXN);
    String c = f.connect(s, OptionalLong.empty());
    f.publish(org, MemberId.of("bob"), TXN);
    f.publish(org, alice, TXN);
    f.publish(org, alice, TXN);

    assertThat(f.seqs(c)).containsExactly(1L, 2L);
    assertThat(f.streams.last(org, MemberId.of("bob"))).isEqualTo(1);
  }
}
