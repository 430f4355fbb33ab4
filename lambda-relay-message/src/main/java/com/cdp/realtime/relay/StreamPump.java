package com.cdp.realtime.relay;

import com.cdp.aws.retry.Backoff;
import com.cdp.aws.retry.Retry;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.realtime.ServerFrames;
import com.cdp.model.realtime.WsConnection;
import com.cdp.realtime.relay.ConnectionsApi.PostResult;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.MemberStreams.Kept;
import com.cdp.realtime.store.MemberStreams.Pending;
import com.cdp.realtime.store.RealtimeStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers a member's stream to the member's connections: the one place that posts event frames,
 * and it runs for one member at a time (a lease on the stream's head). Each round it first serves
 * the connections waiting for a replay (the kept events of their topics after their {@code since},
 * then admits them), then posts the kept events after the head to the admitted connections, then
 * moves the head. Because replay and live posting are done by the same serialized loop, a
 * connection gets every event once, in {@code seq} order, across the replay-to-live hand-over
 * (docs/realtime.md, "Continuity").
 *
 * <p>Whoever finds the lease taken just leaves: after giving the lease up, its holder looks again
 * for work that arrived meanwhile (a new event, a new replay request) and goes on if there is any.
 */
public final class StreamPump {
  /** How long a replay that could not be served waits before it is tried again. */
  static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  /**
   * How long after a connection asked for its replay the pump keeps retrying it while the
   * connection cannot be posted to yet ({@code $connect} still running): a few retries, not a pump
   * held for the whole 30-second grace by a connection that vanished. Later, the client's frame
   * (which nudges the pump, see {@link MemberStreams#nudge}) or the next event serves it.
   */
  static final Duration CONNECT_WAIT = Duration.ofSeconds(2);

  /**
   * The deferral of a replay whose post failed (throttled, 5xx): not retried in this call (that
   * would hammer the connection), but by the next trigger of the pump.
   */
  private static final Instant NEXT_TRIGGER = Instant.MAX;

  /** How the pump behaves. */
  public record Settings(
      Duration lease, int batch, Backoff throttleBackoff, Duration goneGrace, Duration maxRun) {
    public Settings {
      Objects.requireNonNull(lease, "lease");
      Objects.requireNonNull(throttleBackoff, "throttleBackoff");
      Objects.requireNonNull(goneGrace, "goneGrace");
      Objects.requireNonNull(maxRun, "maxRun");
      if (batch < 1) {
        throw new IllegalArgumentException("batch must be positive");
      }
    }
  }

  /** What one pump call did (summed over its rounds). */
  public record Result(
      boolean ran,
      long pumped,
      int recipients,
      int delivered,
      int gone,
      int cleanedUp,
      int throttled,
      int failed,
      int replays,
      int replayed,
      int replayFailures,
      int suspended,
      boolean incomplete) {}

  private final RealtimeStore store;
  private final MemberStreams streams;
  private final ConnectionsApi connections;
  private final Executor executor;
  private final Settings settings;
  private final Clock clock;

  public StreamPump(
      RealtimeStore store,
      MemberStreams streams,
      ConnectionsApi connections,
      Executor executor,
      Settings settings,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public MemberStreams streams() {
    return streams;
  }

  /** Counters of one call. */
  private static final class Tally {
    final AtomicInteger recipients = new AtomicInteger();
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger gone = new AtomicInteger();
    final AtomicInteger cleanedUp = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger replays = new AtomicInteger();
    final AtomicInteger replayed = new AtomicInteger();
    final AtomicInteger replayFailures = new AtomicInteger();
    final AtomicInteger suspended = new AtomicInteger();
    boolean ran;
    boolean incomplete;
    long pumped;

    Result result() {
      return new Result(
          ran,
          pumped,
          recipients.get(),
          delivered.get(),
          gone.get(),
          cleanedUp.get(),
          throttled.get(),
          failed.get(),
          replays.get(),
          replayed.get(),
          replayFailures.get(),
          suspended.get(),
          incomplete);
    }
  }

  /**
   * Delivers what is due in the member's stream, unless another pump is at it (then it will).
   * Returns when nothing is due, or after {@link Settings#maxRun} (the next trigger goes on).
   */
  public Result pump(OrganizationId organization, MemberId member) {
    String owner = UUID.randomUUID().toString();
    Tally tally = new Tally();
    Instant deadline = clock.instant().plus(settings.maxRun());
    // Replays that could not be served a moment ago (the connection still in $connect, a post
    // that failed): tried again after a short pause, not in a tight loop.
    Map<Pending, Instant> deferred = new ConcurrentHashMap<>();
    long nudges = -1;
    while (true) {
      if (!clock.instant().isBefore(deadline)) {
        tally.incomplete = true; // the trigger is retried (relay) or the next one goes on
        break;
      }
      var acquired = streams.acquire(organization, member, owner, settings.lease());
      if (acquired.isEmpty()) {
        break; // the holder goes on with what we brought
      }
      tally.ran = true;
      if (nudges < 0) {
        nudges = acquired.get().nudges();
      }
      long pumped = acquired.get().pumped();
      java.util.OptionalLong released = java.util.OptionalLong.empty();
      try {
        pumped = rounds(organization, member, owner, pumped, deadline, deferred, tally);
      } finally {
        released = streams.release(organization, member, owner, pumped);
        tally.pumped = pumped;
      }
      if (released.isPresent() && released.getAsLong() != nudges) {
        // A client's frame came for its replay while we held the lease (MemberStreams.nudge):
        // what we left for a later trigger may be servable now, and that frame was the trigger.
        nudges = released.getAsLong();
        deferred.values().removeIf(NEXT_TRIGGER::equals);
      }
      // Work that arrived while we held the lease found it taken and left it to us.
      final long from = pumped;
      var newer =
          CompletableFuture.supplyAsync(
              () -> streams.after(organization, member, from, 1), executor);
      List<Pending> waiting =
          streams.pending(organization, member).stream()
              .filter(p -> !NEXT_TRIGGER.equals(deferred.get(p)))
              .toList();
      boolean events = !joined(newer).isEmpty();
      if (!events && waiting.isEmpty()) {
        break;
      }
      if (!events) {
        Instant next =
            waiting.stream()
                .map(p -> deferred.getOrDefault(p, Instant.EPOCH))
                .min(Instant::compareTo)
                .orElse(Instant.EPOCH);
        pause(next);
      }
    }
    return tally.result();
  }

  private void pause(Instant until) {
    Instant now = clock.instant();
    if (until.isAfter(now)) {
      long millis = Duration.between(now, until).toMillis();
      try {
        Thread.sleep(Math.max(1, Math.min(millis, RETRY_PAUSE.toMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private long rounds(
      OrganizationId organization,
      MemberId member,
      String owner,
      long pumped,
      Instant deadline,
      Map<Pending, Instant> deferred,
      Tally tally) {
    while (clock.instant().isBefore(deadline)) {
      final long head = pumped;
      Instant now = clock.instant();
      // The two reads are independent: one on the pool, one here.
      var next =
          CompletableFuture.supplyAsync(
              () -> streams.after(organization, member, head, settings.batch()), executor);
      List<Pending> pending =
          streams.pending(organization, member).stream()
              .filter(p -> !now.isBefore(deferred.getOrDefault(p, Instant.EPOCH)))
              .toList();
      List<Kept> events = joined(next);
      if (pending.isEmpty() && events.isEmpty()) {
        return pumped;
      }
      // 1. Replays, up to the head: the connections waiting for them get nothing live until
      // admitted, so what they are sent here and what they are sent live never overlap.
      List<CompletableFuture<Void>> replays = new ArrayList<>();
      for (Pending p : pending) {
        replays.add(
            CompletableFuture.runAsync(
                () -> {
                  Served served = replay(organization, member, p, head, tally);
                  if (served == Served.SOON) {
                    // Soon, while $connect may still be running; after that the client's first
                    // frame (or the member's next event) triggers the pump again.
                    Instant at = clock.instant();
                    deferred.put(
                        p,
                        at.isBefore(p.requestedAt().plus(CONNECT_WAIT))
                            ? at.plus(RETRY_PAUSE)
                            : NEXT_TRIGGER);
                  } else if (served == Served.LATER) {
                    deferred.put(p, NEXT_TRIGGER);
                  }
                },
                executor));
      }
      replays.forEach(StreamPump::joined);
      // 2. Live: every admitted connection gets the batch's events of its topics after its
      // admission point, in order (one sequential task per connection).
      if (!events.isEmpty()) {
        postLive(organization, member, events, deferred, tally);
        pumped = events.get(events.size() - 1).seq();
        if (!streams.advance(organization, member, owner, pumped, settings.lease())) {
          return pumped; // the lease was lost (we were too slow): its new holder goes on
        }
      }
      if (events.size() < settings.batch()) {
        // Caught up: anything that arrived during this round is found by the look after the
        // lease is released (pump), so another round here would only repeat those two reads.
        return pumped;
      }
    }
    return pumped;
  }

  private void postLive(
      OrganizationId organization,
      MemberId member,
      List<Kept> events,
      Map<Pending, Instant> deferred,
      Tally tally) {
    Map<Topic, List<Recipient>> byTopic = new LinkedHashMap<>();
    for (Kept e : events) {
      byTopic.computeIfAbsent(e.topic(), t -> store.recipients(organization, member, t, executor));
    }
    Map<String, Recipient> targets = new LinkedHashMap<>();
    Map<String, List<Kept>> frames = new LinkedHashMap<>();
    for (Kept e : events) {
      for (Recipient r : byTopic.get(e.topic())) {
        if (r.takesLive(e.seq())) {
          targets.putIfAbsent(r.connectionId(), r);
          frames.computeIfAbsent(r.connectionId(), c -> new ArrayList<>()).add(e);
        }
      }
    }
    tally.recipients.addAndGet(targets.size());
    List<CompletableFuture<Void>> posts = new ArrayList<>();
    for (var entry : frames.entrySet()) {
      Recipient r = targets.get(entry.getKey());
      posts.add(
          CompletableFuture.runAsync(
              () -> {
                for (Kept e : entry.getValue()) {
                  PostResult result = deliver(r, e.frame(), tally);
                  if (result != PostResult.DELIVERED) {
                    // A 410 within the connect grace is a connection whose $connect has not
                    // returned yet (it can be admitted before, when its replay had nothing to
                    // send), not a gone one: like a failed post, it missed the event.
                    if (result != PostResult.GONE || !isPastGrace(r)) {
                      // A connection that missed an event must not get the later ones live (a
                      // gap it could not see): it goes back to waiting for a replay from there.
                      Pending again = suspend(organization, member, r, e.seq() - 1, tally);
                      if (again != null) {
                        deferred.put(again, NEXT_TRIGGER);
                      }
                    }
                    return;
                  }
                }
              },
              executor));
    }
    posts.forEach(StreamPump::joined);
  }

  /** What became of a pending replay. */
  private enum Served {
    /** Served (or dropped: the connection is gone). */
    DONE,
    /** Not yet: the connection is still completing {@code $connect}; try again in a moment. */
    SOON,
    /** A post failed: it stays pending for the next trigger. */
    LATER
  }

  /** Serves one pending replay up to {@code head}. */
  private Served replay(
      OrganizationId organization, MemberId member, Pending p, long head, Tally tally) {
    var connection = store.sessionConnection(p.sessionId(), p.connectionId());
    if (connection.isEmpty()) {
      if (clock.instant().isBefore(p.requestedAt().plus(settings.goneGrace()))) {
        return Served.SOON; // $connect has not recorded it yet
      }
      streams.clearPending(organization, member, p);
      return Served.DONE;
    }
    Recipient r = connection.get();
    Set<Topic> topics = new HashSet<>(store.subscriptions(p.sessionId()));
    if (topics.isEmpty() && !r.admitted()) {
      // A new session whose subscribe frame is still on its way: admitting the connection now
      // would skip the events it asked for. The subscribe frame runs the pump again.
      return Served.LATER;
    }
    tally.replays.incrementAndGet();
    long upTo = head;
    if (r.admitted()) {
      // A resume on a connection that is already live: it has every event after its admission
      // point, so only the older ones can be missing, and they may be sent only if nothing newer
      // was sent to it yet (else they would arrive out of order).
      if (p.since() >= r.admittedFrom()) {
        streams.clearPending(organization, member, p);
        return Served.DONE;
      }
      boolean sentNewer =
          streams.range(organization, member, r.admittedFrom(), head, Integer.MAX_VALUE).stream()
              .anyMatch(k -> topics.contains(k.topic()));
      if (sentNewer) {
        connections.post(
            r.connectionId(),
            bytes(
                ServerFrames.error(
                    "resume_conflict",
                    "this connection has already received newer events; reconnect with"
                        + " ?since=SEQ to resume in order")));
        streams.clearPending(organization, member, p);
        return Served.DONE;
      }
      upTo = r.admittedFrom();
    }
    long since = p.since();
    Pending current = p;
    if (since < upTo) {
      boolean first = true;
      while (since < upTo) {
        List<Kept> page = streams.range(organization, member, since, upTo, settings.batch());
        if (first) {
          long oldest = page.isEmpty() ? upTo + 1 : page.get(0).seq();
          if (oldest > since + 1) {
            PostResult result =
                deliver(r, ServerFrames.continuityLost(p.since(), oldest), tally, false);
            if (!handled(organization, member, current, r, result, since, tally)) {
              return outcome(result, r);
            }
          }
          first = false;
        }
        if (page.isEmpty()) {
          break;
        }
        for (Kept k : page) {
          if (topics.contains(k.topic())) {
            PostResult result = deliver(r, k.frame(), tally, false);
            if (!handled(organization, member, current, r, result, since, tally)) {
              return outcome(result, r);
            }
            tally.replayed.incrementAndGet();
          }
          since = k.seq();
        }
      }
    }
    if (!r.admitted()) {
      store.admit(p.sessionId(), p.connectionId(), Math.max(p.since(), head));
    }
    streams.clearPending(organization, member, current);
    return Served.DONE;
  }

  private Served outcome(PostResult failed, Recipient r) {
    if (failed == PostResult.GONE) {
      return isPastGrace(r) ? Served.DONE : Served.SOON;
    }
    return Served.LATER;
  }

  /**
   * False when the replay must stop: the connection is gone (its records and request are removed
   * once past the connect grace) or a post failed (the request moves to what was sent, for the next
   * round, and the failure is counted for the alarm).
   */
  private boolean handled(
      OrganizationId organization,
      MemberId member,
      Pending p,
      Recipient r,
      PostResult result,
      long sentUpTo,
      Tally tally) {
    switch (result) {
      case DELIVERED -> {
        return true;
      }
      case GONE -> {
        if (isPastGrace(r)) {
          streams.clearPending(organization, member, p);
        }
        return false;
      }
      default -> {
        tally.replayFailures.incrementAndGet();
        if (sentUpTo > p.since()) {
          streams.movePending(organization, member, p, sentUpTo);
        }
        return false;
      }
    }
  }

  /**
   * Takes a connection off live delivery and asks for a replay after {@code since} (the next
   * trigger of the pump serves it). Null when the connection's records are gone.
   */
  private Pending suspend(
      OrganizationId organization, MemberId member, Recipient r, long since, Tally tally) {
    if (!store.admit(r.sessionId(), r.connectionId(), Recipient.NOT_ADMITTED)) {
      return null;
    }
    tally.suspended.incrementAndGet();
    return streams.requestReplay(
        organization,
        member,
        r.connectionId(),
        r.sessionId(),
        since,
        r.connectedAt().plus(WsConnection.MAX_DURATION));
  }

  private PostResult deliver(Recipient r, String frame, Tally tally) {
    return deliver(r, frame, tally, true);
  }

  private PostResult deliver(Recipient r, String frame, Tally tally, boolean live) {
    byte[] message = bytes(frame);
    PostResult result;
    try {
      result =
          Retry.with(settings.throttleBackoff())
              .run(
                  attempt -> {
                    PostResult posted = connections.post(r.connectionId(), message);
                    return posted == PostResult.THROTTLED
                        ? Retry.Step.again("throttled")
                        : Retry.Step.done(posted);
                  });
    } catch (Retry.ExhaustedException stillThrottled) {
      result = PostResult.THROTTLED;
    }
    switch (result) {
      case DELIVERED -> {
        if (live) {
          tally.delivered.incrementAndGet();
        }
      }
      case GONE -> {
        tally.gone.incrementAndGet();
        if (isPastGrace(r)) {
          // $disconnect is best effort: a vanished connection is cleaned up by whoever notices.
          try {
            store.deleteConnection(r.sessionId(), r.connectionId());
            tally.cleanedUp.incrementAndGet();
          } catch (RuntimeException e) {
            // TTL removes it later.
          }
        }
      }
      case THROTTLED -> tally.throttled.incrementAndGet();
      case FAILED -> tally.failed.incrementAndGet();
    }
    return result;
  }

  /**
   * A 410 from a connection that is still completing {@code $connect} is not a vanished one: its
   * records stay until the grace has passed.
   */
  private boolean isPastGrace(Recipient r) {
    return !clock.instant().isBefore(r.connectedAt().plus(settings.goneGrace()));
  }

  private static byte[] bytes(String frame) {
    return frame.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}
