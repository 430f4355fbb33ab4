package com.cdp.realtime.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.session.Session;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.testing.SharedStandIns;
import com.cdp.testing.TestIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * One listener's chain of connections on one session, as {@code ./cdp listen} makes them in the
 * chaos test: while two relays publish, each connection is dropped at a random moment (closed with
 * its $disconnect, or vanished so that posts answer 410), and the next one resumes after the last
 * seq the listener printed. The listener prints an event frame unless its seq is not after the last
 * printed (ListenCommand). Whatever the interleaving, it must print every event of its topics,
 * once, in seq order: a frame arriving ahead of an earlier one would make it skip that one.
 */
class ResumeChainPropertiesTest {
  private static final List<Topic> TOPICS =
      List.of(Topic.ACCOUNT_TRANSACTION_ADDED, Topic.ACCOUNT_BALANCE_UPDATED);

  @Property(tries = 8)
  void aResumingListenerPrintsEveryEventOnceInOrder(
      @ForAll @IntRange(min = 10, max = 40) int events,
      @ForAll @IntRange(min = 1, max = 6) int drops,
      @ForAll long seed)
      throws Exception {
    Random random = new Random(seed);
    OrganizationId org = TestIds.org();
    MemberId member = MemberId.of("m-" + (seed & 0xffff));
    try (PumpFixture f =
        new PumpFixture(SharedStandIns.get(), Duration.ofHours(24), Duration.ofSeconds(30))) {
      List<Topic> plan = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        plan.add(TOPICS.get(random.nextInt(TOPICS.size())));
      }
      boolean both = random.nextBoolean();
      Session s =
          both
              ? f.session(org, member, TOPICS.toArray(Topic[]::new))
              : f.session(org, member, TOPICS.get(0));
      AtomicInteger published = new AtomicInteger();
      AtomicInteger next = new AtomicInteger();
      Runnable publisher =
          () -> {
            int i;
            while ((i = next.getAndIncrement()) < events) {
              f.publish(org, member, plan.get(i));
              published.incrementAndGet();
            }
          };
      List<Integer> dropAt = new ArrayList<>();
      for (int d = 0; d < drops; d++) {
        dropAt.add(random.nextInt(events));
      }
      dropAt.sort(null);
      List<Long> printed = new ArrayList<>();
      long[] position = {0};
      String[] current = new String[1];
      Runnable listener =
          () -> {
            current[0] = f.connect(s, OptionalLong.of(position[0]));
            f.subscribeFrame(s);
            for (int d = 0; d < dropAt.size(); d++) {
              while (published.get() < dropAt.get(d)) {
                Thread.onSpinWait();
              }
              String c = current[0];
              f.api.drop(c);
              if (random.nextBoolean()) {
                f.store.deleteConnection(s.id(), c); // closed: its $disconnect ran
              }
              print(f.seqs(c), printed, position);
              current[0] = f.connect(s, OptionalLong.of(position[0]));
              f.subscribeFrame(s);
            }
          };
      ExecutorService threads = Executors.newFixedThreadPool(3);
      try {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(publisher, threads),
                CompletableFuture.runAsync(publisher, threads),
                CompletableFuture.runAsync(listener, threads))
            .join();
      } finally {
        threads.shutdownNow();
      }
      f.pump(s); // what a next trigger would do
      print(f.seqs(current[0]), printed, position);

      List<Long> mine =
          f.streams.after(org, member, 0, 10_000).stream()
              .filter(k -> both || k.topic() == TOPICS.get(0))
              .map(MemberStreams.Kept::seq)
              .toList();
      assertThat(printed).containsExactlyElementsOf(mine);
    }
  }

  /** What ListenCommand prints of a connection's frames. */
  private static void print(List<Long> frames, List<Long> printed, long[] position) {
    for (long seq : frames) {
      if (seq > position[0]) {
        printed.add(seq);
        position[0] = seq;
      }
    }
  }
}
