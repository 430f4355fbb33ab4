package com.cdp.realtime.subscribe;

import com.cdp.access.SessionService;
import com.cdp.http.ApiError;
import com.cdp.logging.RequestLog;
import com.cdp.model.ValidationException;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.realtime.RealtimeTopics;
import com.cdp.model.realtime.ServerFrames;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.Session;
import com.cdp.model.session.SessionVerification;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Subscriptions of end-user sessions to realtime topics, over WebSocket frames and over REST. A
 * subscription belongs to the session, so it applies to all of the session's connections and
 * survives reconnects; both entry points write the same records.
 */
final class SubscriptionService {
  /** Runs the member's stream pump (replays due to its connections, then live events). */
  @FunctionalInterface
  interface Pump {
    void pump(OrganizationId organization, MemberId member);
  }

  private final SessionService sessions;
  private final RealtimeStore store;
  private final MemberStreams streams;
  private final Pump pump;
  private final Clock clock;

  SubscriptionService(
      SessionService sessions, RealtimeStore store, MemberStreams streams, Pump pump, Clock clock) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.store = Objects.requireNonNull(store, "store");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.pump = Objects.requireNonNull(pump, "pump");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Without a pump (tests of subscriptions only): replays wait for the next event. */
  SubscriptionService(SessionService sessions, RealtimeStore store, Clock clock) {
    this(sessions, store, store.streams(MemberStreams.DEFAULT_WINDOW), (o, m) -> {}, clock);
  }

  /**
   * The answer to one client frame: the frame to send back, and for the log what was asked, by whom
   * (when known), and the error code if it failed.
   */
  record Reply(String frame, String action, Optional<Session> session, String errorCode) {
    public boolean succeeded() {
      return errorCode == null;
    }
  }

  /** Handles a text frame from a connection; every problem becomes an error frame. */
  Reply onFrame(String connectionId, String body) {
    ClientFrame frame;
    try {
      frame = ClientFrame.parse(body);
    } catch (ValidationException e) {
      return new Reply(
          ServerFrames.error(e.code(), e.getMessage()), "frame", Optional.empty(), e.code());
    }
    if (frame instanceof ClientFrame.Ping) {
      return new Reply(ServerFrames.pong(), "ping", Optional.empty(), null);
    }
    String action =
        frame instanceof ClientFrame.Subscribe
            ? "subscribe"
            : frame instanceof ClientFrame.Resume ? "resume" : "unsubscribe";
    Optional<WsConnection> connection = store.connection(connectionId);
    if (connection.isEmpty() || !connection.get().isLiveAt(clock.instant())) {
      String code = connection.isEmpty() ? "not_connected" : "session_expired";
      String message =
          connection.isEmpty()
              ? "this connection is not registered; reconnect"
              : "the session has expired; reconnect with a new session token";
      return new Reply(
          ServerFrames.error(code, message), action, connection.map(WsConnection::session), code);
    }
    Session session = connection.get().session();
    if (frame instanceof ClientFrame.Subscribe s) {
      store.subscribe(session, s.topics());
      // A connection opened with ?since (or any new one) waits for its replay: serve it now. The
      // nudge makes a pump that holds the member's lease right now look at it again, in case it
      // had left it for a later trigger (the connection was still in $connect then).
      streams.nudge(session.organization(), session.member());
      pump.pump(session.organization(), session.member());
      return new Reply(
          startingPoint(session, connectionId)
              .map(since -> ServerFrames.subscribed(s.topics(), since))
              .orElseGet(() -> ServerFrames.subscribed(s.topics())),
          action,
          Optional.of(session),
          null);
    }
    if (frame instanceof ClientFrame.Resume r) {
      streams.requestReplay(
          session.organization(),
          session.member(),
          connectionId,
          session.id(),
          r.since(),
          connection.get().expiresAt());
      pump.pump(session.organization(), session.member());
      return new Reply(ServerFrames.resumed(r.since()), action, Optional.of(session), null);
    }
    ClientFrame.Unsubscribe u = (ClientFrame.Unsubscribe) frame;
    store.unsubscribe(session, u.topics());
    return new Reply(ServerFrames.unsubscribed(u.topics()), action, Optional.of(session), null);
  }

  /**
   * Where the connection's stream starts: its admission point once admitted, else the position of
   * its pending replay.
   */
  private Optional<Long> startingPoint(Session session, String connectionId) {
    var recorded = store.sessionConnection(session.id(), connectionId);
    if (recorded.isPresent() && recorded.get().admitted()) {
      return Optional.of(recorded.get().admittedFrom());
    }
    return streams.pending(session.organization(), session.member()).stream()
        .filter(p -> p.connectionId().equals(connectionId))
        .map(MemberStreams.Pending::since)
        .findFirst();
  }

  /** Verifies a bearer token for the REST routes. */
  Session authenticate(String token) {
    SessionVerification verification = sessions.verify(token);
    if (verification instanceof SessionVerification.Refused refused) {
      throw ApiError.unauthorized(refused.reason().code(), refused.reason().message(), "Bearer");
    }
    return ((SessionVerification.Valid) verification).session();
  }

  /** {@code GET /realtime/subscriptions}: the session's topics. */
  List<Topic> list(Session session) {
    return store.subscriptions(session);
  }

  /** {@code PUT /realtime/subscriptions/{topic}}: the session's topics afterwards. */
  List<Topic> subscribe(Session session, String topicName) {
    return store.subscribe(session, List.of(topic(topicName)));
  }

  /** {@code DELETE /realtime/subscriptions/{topic}}: the session's topics afterwards. */
  List<Topic> unsubscribe(Session session, String topicName) {
    return store.unsubscribe(session, List.of(topic(topicName)));
  }

  /**
   * The REST routes on the session's subscriptions: {@code GET} lists them, {@code PUT} subscribes
   * to and {@code DELETE} unsubscribes from {@code topicName}. The answer is {@code
   * {"topics":[...]}}, the session's topics afterwards, which the request log records.
   */
  Map<String, List<String>> rest(String method, Session session, String topicName, RequestLog log) {
    String action;
    List<Topic> after;
    switch (method) {
      case "PUT" -> {
        action = "subscribe";
        after = subscribe(session, topicName);
      }
      case "DELETE" -> {
        action = "unsubscribe";
        after = unsubscribe(session, topicName);
      }
      default -> {
        action = "list";
        after = list(session);
      }
    }
    List<String> names = after.stream().map(Topic::detailType).toList();
    log.event(action, "subscriptions " + action, Map.of("topics", names));
    return Map.of("topics", names);
  }

  /** SnapStart priming: a subscribe frame from an unregistered connection (one read). */
  void prime() {
    onFrame(
        "snapStartPriming=",
        "{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\"]}");
  }

  private static Topic topic(String name) {
    try {
      return RealtimeTopics.parse(name);
    } catch (ValidationException e) {
      throw new ApiError(400, e.code(), e.getMessage());
    }
  }
}
