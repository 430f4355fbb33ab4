package com.cdp.realtime.relay;

import com.cdp.model.ValidationException;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.realtime.RealtimeStore;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.realtime.ServerFrames;
import com.cdp.model.retry.Backoff;
import com.cdp.realtime.relay.ConnectionsApi.PostResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Relays one {@code account_*} event to the WebSocket connections of the owners of the account it
 * is about whose sessions subscribed to its topic: claims the event id (so a redelivered event is
 * sent once), looks the connections up through the index (no scan), posts to them with bounded
 * concurrency, retries throttled posts with backoff, and deletes the records of connections that
 * are gone (410). An event too large for one message is sent as a compact notification instead.
 */
public final class RelayService {
  /** How the relay behaves; see {@link Config} for the environment variables. */
  public record Settings(Duration claimLease, Backoff throttleBackoff, Duration goneGrace) {
    public Settings {
      Objects.requireNonNull(claimLease, "claimLease");
      Objects.requireNonNull(throttleBackoff, "throttleBackoff");
      Objects.requireNonNull(goneGrace, "goneGrace");
    }

    /**
     * A claim lease of one minute (the function's timeout), three more rounds after the SDK's own
     * throttling retries, and a 30-second grace for 410s from connections still in {@code
     * $connect}.
     */
    public static Settings defaults() {
      return new Settings(
          Duration.ofMinutes(1),
          Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(2), 4),
          Duration.ofSeconds(30));
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
      int messageBytes) {

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
          0);
    }
  }

  public enum Status {
    /** Posted to every recipient that could be reached. */
    RELAYED,
    /** Already relayed (a redelivery): nothing sent. */
    DUPLICATE,
    /** Not a relayable event (wrong topic, missing ids): nothing sent, no retry would help. */
    IGNORED
  }

  private final RealtimeStore store;
  private final AccountOwners owners;
  private final ConnectionsApi connections;
  private final Executor executor;
  private final Settings settings;
  private final Clock clock;

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
    this.connections = Objects.requireNonNull(connections, "connections");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Relays an EventBridge event (full event JSON). Throws only when the lookup failed before
   * anything was sent (the claim is given back, so EventBridge's retry relays it).
   */
  public Outcome relay(String eventJson) {
    RelayEvent event;
    try {
      event = RelayEvent.parse(eventJson);
    } catch (ValidationException e) {
      return Outcome.skipped(Status.IGNORED, e.code() + ": " + e.getMessage(), null);
    }
    // The claim and the lookup go to DynamoDB at the same time: a duplicate costs one wasted read,
    // every other event saves a round trip before the first post.
    CompletableFuture<RealtimeStore.EventClaim> claim =
        CompletableFuture.supplyAsync(
            () -> store.claimEvent(event.eventId(), settings.claimLease()), executor);
    List<Recipient> recipients;
    try {
      recipients = recipients(event);
    } catch (RuntimeException e) {
      if (joined(claim) == RealtimeStore.EventClaim.CLAIMED) {
        store.releaseEvent(event.eventId());
      }
      throw e;
    }
    if (joined(claim) == RealtimeStore.EventClaim.DUPLICATE) {
      return Outcome.skipped(Status.DUPLICATE, "already relayed", event);
    }
    byte[] message = message(event, false);
    boolean compact = false;
    if (message.length > ServerFrames.MAX_MESSAGE_BYTES) {
      message = message(event, true);
      compact = true;
    }
    byte[] payload = message;
    List<CompletableFuture<Delivery>> posts = new ArrayList<>(recipients.size());
    for (Recipient recipient : recipients) {
      posts.add(CompletableFuture.supplyAsync(() -> deliver(recipient, payload), executor));
    }
    int delivered = 0;
    int gone = 0;
    int cleanedUp = 0;
    int throttled = 0;
    int failed = 0;
    for (CompletableFuture<Delivery> post : posts) {
      Delivery d = post.join();
      switch (d.result()) {
        case DELIVERED -> delivered++;
        case GONE -> gone++;
        case THROTTLED -> throttled++;
        case FAILED -> failed++;
      }
      if (d.cleanedUp()) {
        cleanedUp++;
      }
    }
    try {
      store.completeEvent(event.eventId());
    } catch (RuntimeException e) {
      // Sent already: failing now would make EventBridge send it again once the lease ends.
    }
    return new Outcome(
        Status.RELAYED,
        null,
        event.organization().value(),
        event.member().value(),
        event.topic().detailType(),
        event.eventId(),
        recipients.size(),
        delivered,
        gone,
        cleanedUp,
        throttled,
        failed,
        compact,
        payload.length);
  }

  /**
   * The connections an account event goes to: those of every owner of the event's account in its
   * organization (joint accounts have several) whose sessions subscribed to the topic. The event's
   * memberId is not proof of ownership and does not choose the recipients.
   */
  private List<Recipient> recipients(RelayEvent event) {
    AccountId account;
    try {
      account = AccountId.of(event.detail().path("accountId").asText(null));
    } catch (ValidationException e) {
      return List.of();
    }
    List<Recipient> all = new ArrayList<>();
    for (MemberId owner : owners.ownersOf(event.organization(), account)) {
      all.addAll(store.recipients(event.organization(), owner, event.topic(), executor));
    }
    return all;
  }

  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private record Delivery(PostResult result, boolean cleanedUp) {}

  private Delivery deliver(Recipient recipient, byte[] message) {
    PostResult result = connections.post(recipient.connectionId(), message);
    for (int retry = 1;
        result == PostResult.THROTTLED && retry < settings.throttleBackoff().maxAttempts();
        retry++) {
      settings.throttleBackoff().pause(retry);
      result = connections.post(recipient.connectionId(), message);
    }
    boolean cleanedUp = false;
    if (result == PostResult.GONE && isPastGrace(recipient)) {
      // $disconnect is best effort: a vanished connection is cleaned up by whoever notices.
      try {
        store.deleteConnection(recipient.sessionId(), recipient.connectionId());
        cleanedUp = true;
      } catch (RuntimeException e) {
        // TTL removes it later; the other recipients still get the event.
      }
    }
    return new Delivery(result, cleanedUp);
  }

  /**
   * A 410 from a connection that is still completing {@code $connect} is not a vanished one: its
   * records stay until the grace has passed.
   */
  private boolean isPastGrace(Recipient recipient) {
    Instant now = clock.instant();
    return !now.isBefore(recipient.connectedAt().plus(settings.goneGrace()));
  }

  private static byte[] message(RelayEvent event, boolean compact) {
    String frame =
        compact
            ? ServerFrames.event(
                event.topic(), event.eventId(), event.time(), event.compactDetail(), true)
            : ServerFrames.event(event.topic(), event.eventId(), event.time(), event.detail());
    return frame.getBytes(StandardCharsets.UTF_8);
  }
}
