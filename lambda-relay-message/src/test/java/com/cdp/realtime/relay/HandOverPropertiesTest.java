package com.cdp.realtime.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.session.Session;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.testing.SharedStandIns;
import com.cdp.testing.TestIds;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The replay-to-live hand-over under concurrency: two relays publish a member's events while
 * connections open at random moments, some resuming from a random earlier position, and ask the
 * pump for their replay as ws-subscribe does. Whatever the interleaving, each connection must end
 * with exactly the member's events of its topics after its starting point, each once, in seq order.
 */
class HandOverPropertiesTest {
  private static final List<Topic> TOPICS =
      List.of(Topic.ACCOUNT_TRANSACTION_ADDED, Topic.ACCOUNT_BALANCE_UPDATED);

  @Property(tries = 8)
  void everyConnectionGetsItsEventsOnceInOrder_acrossTheHandOver(
      @ForAll @IntRange(min = 6, max = 30) int events,
      @ForAll @IntRange(min = 1, max = 5) int connections,
      @ForAll long seed)
      throws Exception {
    Random random = new Random(seed);
    OrganizationId org = TestIds.org();
    MemberId member = MemberId.of("m-" + (seed & 0xffff));
    // The production connect grace: a pump may read a connection's replay request between the
    // two writes of $connect (request, then the connection), and must not drop it then.
    try (PumpFixture f =
        new PumpFixture(
            SharedStandIns.get(),
            java.time.Duration.ofHours(24),
            java.time.Duration.ofSeconds(30))) {
      AtomicInteger published = new AtomicInteger();
      List<Topic> plan = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        plan.add(TOPICS.get(random.nextInt(TOPICS.size())));
      }
      AtomicInteger next = new AtomicInteger();
      Runnable publisher =
          () -> {
            int i;
            while ((i = next.getAndIncrement()) < events) {
              f.publish(org, member, plan.get(i));
              published.incrementAndGet();
            }
          };
      record Opened(String connectionId, Set<Topic> topics, OptionalLong since) {}
      List<Opened> opened = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Integer> openAt = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        openAt.add(random.nextInt(events));
      }
      openAt.sort(null);
      Runnable opener =
          () -> {
            for (int c = 0; c < openAt.size(); c++) {
              while (published.get() < openAt.get(c)) {
                Thread.onSpinWait();
              }
              Set<Topic> topics =
                  random.nextBoolean() ? Set.copyOf(TOPICS) : Set.of(TOPICS.get(c % 2));
              Session s = f.session(org, member, topics.toArray(Topic[]::new));
              OptionalLong since =
                  random.nextInt(3) == 0
                      ? OptionalLong.empty()
                      : OptionalLong.of(random.nextInt(published.get() + 1));
              String id = f.connect(s, since);
              opened.add(new Opened(id, topics, since));
              f.pump(s); // the subscribe frame that follows the connect runs the pump
            }
          };
      // Own threads: the common pool may have a single worker on a small machine.
      ExecutorService threads = Executors.newFixedThreadPool(3);
      try {
        CompletableFuture<Void> a = CompletableFuture.runAsync(publisher, threads);
        CompletableFuture<Void> b = CompletableFuture.runAsync(publisher, threads);
        CompletableFuture<Void> o = CompletableFuture.runAsync(opener, threads);
        CompletableFuture.allOf(a, b, o).join();
      } finally {
        threads.shutdownNow();
      }
      f.relay.pump().pump(org, member); // what a next trigger would do

      List<MemberStreams.Kept> kept = f.streams.after(org, member, 0, 10_000);
      assertThat(kept).extracting(MemberStreams.Kept::seq).doesNotHaveDuplicates();
      assertThat(kept).hasSize(events);
      for (Opened c : opened) {
        List<Long> got = f.seqs(c.connectionId());
        List<Long> mine =
            kept.stream()
                .filter(k -> c.topics().contains(k.topic()))
                .map(MemberStreams.Kept::seq)
                .toList();
        if (c.since().isPresent()) {
          long since = c.since().getAsLong();
          assertThat(got)
              .as("connection resuming after %d", since)
              .containsExactlyElementsOf(mine.stream().filter(q -> q > since).toList());
        } else {
          // Live from its connect: some suffix of its events, whole and in order.
          assertThat(got)
              .as("connection without since")
              .containsExactlyElementsOf(mine.subList(mine.size() - got.size(), mine.size()));
        }
      }
    }
  }
}
