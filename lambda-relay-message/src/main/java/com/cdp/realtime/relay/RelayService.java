package com.cdp.realtime.relay;

import com.cdp.aws.retry.Backoff;
import com.cdp.model.ValidationException;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Relays one {@code account_*} event: claims it (scoped to its organization and source, so a
 * redelivered event is kept once), keeps it in the stream of every member it goes to ({@link
 * #recipientMembers}) at that stream's next position {@code seq}, and runs the member's {@link
 * StreamPump}, which posts it to the member's subscribed, admitted connections (bounded
 * concurrency, throttling retried with backoff, gone connections cleaned up) after any replay they
 * wait for. An event too large for one message is kept and sent as a compact notification.
 */
public final class RelayService {
  /** How the relay behaves; see {@link Config} for the environment variables. */
  public record Settings(
      Duration claimLease, Backoff throttleBackoff, Duration goneGrace, Duration replayWindow) {
    public Settings {
      Objects.requireNonNull(claimLease, "claimLease");
      Objects.requireNonNull(throttleBackoff, "throttleBackoff");
      Objects.requireNonNull(goneGrace, "goneGrace");
      Objects.requireNonNull(replayWindow, "replayWindow");
    }

    /** With the default replay window of 24 hours. */
    public Settings(Duration claimLease, Backoff throttleBackoff, Duration goneGrace) {
      this(claimLease, throttleBackoff, goneGrace, MemberStreams.DEFAULT_WINDOW);
    }

    /**
     * A claim lease of one minute (the function's timeout), three more rounds after the SDK's own
     * throttling retries, a 30-second grace for 410s from connections still in {@code $connect},
     * and a replay window of 24 hours.
     */
    public static Settings defaults() {
      return new Settings(
          Duration.ofMinutes(1),
          Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(2), 4),
          Duration.ofSeconds(30));
    }

    public Settings withReplayWindow(Duration window) {
      return new Settings(claimLease, throttleBackoff, goneGrace, window);
    }

    /** The pump's settings: its lease is the claim lease, its run bounded below it. */
    StreamPump.Settings pump() {
      return new StreamPump.Settings(
          claimLease, 100, throttleBackoff, goneGrace, claimLease.multipliedBy(2).dividedBy(3));
    }
  }

  /** What the relay did with one event. */
  public record Outcome(
      Status status,
      String reason,
      String organizationId,
      String memberId,
      String topic,
      String eventId,
      int recipients,
      int delivered,
      int gone,
      int cleanedUp,
      int throttled,
      int failed,
      boolean compact,
      int messageBytes,
      long seq,
      int replayed,
      int replayFailures,
      List<Delivery> deliveries,
      int deliveriesNotListed) {

    public Outcome {
      deliveries = List.copyOf(deliveries);
    }

    static Outcome skipped(Status status, String reason, RelayEvent e) {
      return new Outcome(
          status,
          reason,
          e == null ? null : e.organization().value(),
          e == null ? null : e.member().value(),
          e == null ? null : e.topic().detailType(),
          e == null ? null : e.eventId(),
          0,
          0,
          0,
          0,
          0,
          0,
          false,
          0,
          0,
          0,
          0,
          List.of(),
          0);
    }
  }

  /**
   * The delivery of the event through one member's stream: its position there and what the pump did
   * with the member's connections.
   */
  public record Delivery(
      String memberId, long seq, int connections, int delivered, int gone, int failed) {}

  /**
   * At most this many {@link Delivery} entries per outcome (the log message stays bounded; the rest
   * are counted in {@link Outcome#deliveriesNotListed()}).
   */
  public static final int MAX_LISTED_DELIVERIES = 25;

  public enum Status {
    /** Kept and posted to every recipient that could be reached. */
    RELAYED,
    /** Already relayed (a redelivery): not kept again; the member's pump was run once more. */
    DUPLICATE,
    /** Not a relayable event (wrong topic, missing ids): nothing sent, no retry would help. */
    IGNORED
  }

  private final RealtimeStore store;
  private final StreamPump pump;
  private final AccountOwners owners;
  private final Settings settings;

  /**
   * {@code executor} bounds how many posts are in flight at once (a fixed pool of the configured
   * concurrency, shared by the container's invocations).
   */
  public RelayService(
      RealtimeStore store,
      AccountOwners owners,
      ConnectionsApi connections,
      Executor executor,
      Settings settings,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.owners = Objects.requireNonNull(owners, "owners");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.pump =
        new StreamPump(
            store,
            store.streams(settings.replayWindow()),
            connections,
            executor,
            settings.pump(),
            clock);
  }

  /** The pump this relay runs (the replay side, ws-subscribe, runs the same one). */
  public StreamPump pump() {
    return pump;
  }

  /**
   * A pump that stopped at its time limit with work left: fail the invocation, so EventBridge's
   * retry (a duplicate, not kept again) runs the pump again; nothing else might trigger it.
   */
  private static StreamPump.Result requireComplete(StreamPump.Result result) {
    if (result.incomplete()) {
      throw new IllegalStateException(
          "the member's stream pump stopped at its time limit with work left; retrying");
    }
    return result;
  }

  /**
   * The members an event goes to: every owner of the event's account in its organization (joint
   * accounts have several). The event's memberId is not proof of ownership and does not choose the
   * recipients.
   */
  List<MemberId> recipientMembers(RelayEvent event) {
    AccountId account;
    try {
      account = AccountId.of(event.detail().path("accountId").asText(null));
    } catch (ValidationException e) {
      return List.of();
    }
    return List.copyOf(owners.ownersOf(event.organization(), account));
  }

  /**
   * Relays an EventBridge event (full event JSON). Throws when it could not be kept (the claim is
   * given back, so EventBridge's retry relays it) or when the pump failed after keeping it (the
   * retry, a duplicate, runs the pump again, which posts it).
   */
  public Outcome relay(String eventJson) {
    RelayEvent event;
    try {
      event = RelayEvent.parse(eventJson);
    } catch (ValidationException e) {
      return Outcome.skipped(Status.IGNORED, e.code() + ": " + e.getMessage(), null);
    }
    // The owners are looked up before the claim: a lookup that fails after claiming would leave
    // the claim held, and the retry within its lease would take the event for a duplicate and
    // never keep it.
    List<MemberId> members = recipientMembers(event);
    RealtimeStore.EventClaim claim =
        store.claimEvent(
            event.organization(), event.source(), event.eventId(), settings.claimLease());
    if (claim == RealtimeStore.EventClaim.DUPLICATE) {
      // A redelivery: kept already. Pumping again costs little and finishes what a failed
      // attempt may have left (its pump threw after the event was kept).
      for (MemberId m : members) {
        requireComplete(pump.pump(event.organization(), m));
      }
      return Outcome.skipped(Status.DUPLICATE, "already relayed", event);
    }
    long seq = 0;
    String frame = null;
    Map<MemberId, Long> positions = new HashMap<>();
    try {
      for (MemberId member : members) {
        long position =
            pump.streams()
                .append(
                    event.organization(),
                    member,
                    event.topic(),
                    event.source(),
                    event.eventId(),
                    event::frame);
        positions.put(member, position);
        if (member.equals(event.member()) || frame == null) {
          seq = position;
          frame = event.frame(position);
        }
      }
    } catch (RuntimeException e) {
      // Nothing kept for every member yet: give the claim back so the retry keeps it.
      store.releaseEvent(event.organization(), event.source(), event.eventId());
      throw e;
    }
    try {
      store.completeEvent(event.organization(), event.source(), event.eventId());
    } catch (RuntimeException e) {
      // Kept already: a retry after the lease claims it again, finds it kept (MemberStreams.append
      // keeps an event once per stream) and pumps it.
    }
    int recipients = 0;
    int delivered = 0;
    int gone = 0;
    int cleanedUp = 0;
    int throttled = 0;
    int failed = 0;
    int replayed = 0;
    int replayFailures = 0;
    List<Delivery> deliveries = new ArrayList<>();
    int notListed = 0;
    for (MemberId member : members) {
      StreamPump.Result r = requireComplete(pump.pump(event.organization(), member));
      if (deliveries.size() < MAX_LISTED_DELIVERIES) {
        deliveries.add(
            new Delivery(
                member.value(),
                positions.get(member),
                r.recipients(),
                r.delivered(),
                r.gone(),
                r.failed()));
      } else {
        notListed++;
      }
      recipients += r.recipients();
      delivered += r.delivered();
      gone += r.gone();
      cleanedUp += r.cleanedUp();
      throttled += r.throttled();
      failed += r.failed();
      replayed += r.replayed();
      replayFailures += r.replayFailures();
    }
    byte[] bytes = frame == null ? new byte[0] : frame.getBytes(StandardCharsets.UTF_8);
    return new Outcome(
        Status.RELAYED,
        null,
        event.organization().value(),
        event.member().value(),
        event.topic().detailType(),
        event.eventId(),
        recipients,
        delivered,
        gone,
        cleanedUp,
        throttled,
        failed,
        frame != null && frame.endsWith(",\"truncated\":true}"),
        bytes.length,
        seq,
        replayed,
        replayFailures,
        deliveries,
        notListed);
  }
}
