package com.cdp.realtime.connect;

import com.cdp.access.SessionService;
import com.cdp.model.ValidationException;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.realtime.ServerFrames;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.SessionVerification;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Admits WebSocket connections that present a valid session token and records them (organization,
 * member, session, connect time, TTL) together with their starting point in the member's stream
 * ({@code since}, or the stream's current end), for the stream pump to replay and admit; keeps at
 * most {@code maxConnectionsPerSession} open per session by closing the oldest; forgets them on
 * disconnect. Subscriptions belong to the session, so they outlive any one connection.
 */
final class ConnectionService {
  /** Closes a connection at the gateway after sending it a last frame. */
  @FunctionalInterface
  public interface Closer {
    /** Sends {@code frame} to the connection and closes it; false if it could not be closed. */
    boolean close(String connectionId, String frame);
  }

  private static final Pattern SINCE = Pattern.compile("0|[1-9][0-9]{0,17}");

  private final SessionService sessions;
  private final RealtimeStore store;
  private final MemberStreams streams;
  private final Closer closer;
  private final int maxConnectionsPerSession;
  private final Clock clock;

  public ConnectionService(
      SessionService sessions,
      RealtimeStore store,
      MemberStreams streams,
      Closer closer,
      int maxConnectionsPerSession,
      Clock clock) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.store = Objects.requireNonNull(store, "store");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.closer = Objects.requireNonNull(closer, "closer");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxConnectionsPerSession < 1) {
      throw new IllegalArgumentException("maxConnectionsPerSession must be positive");
    }
    this.maxConnectionsPerSession = maxConnectionsPerSession;
  }

  /** With the default stream window, no closer and the default limit (tests of other concerns). */
  public ConnectionService(SessionService sessions, RealtimeStore store, Clock clock) {
    this(
        sessions,
        store,
        store.streams(MemberStreams.DEFAULT_WINDOW),
        (id, frame) -> false,
        Config.DEFAULT_MAX_CONNECTIONS_PER_SESSION,
        clock);
  }

  /** What became of a connection attempt. */
  public sealed interface Outcome {}

  /**
   * The connection is recorded and may be accepted; {@code closed} are the session's older
   * connections closed to keep within the limit.
   */
  public record Accepted(WsConnection connection, List<String> closed) implements Outcome {}

  /** The token was missing, malformed, unknown or expired: refuse the connection. */
  public record Refused(SessionVerification.Reason reason) implements Outcome {}

  /** Verifies the token and records the connection when it is valid (live from now). */
  public Outcome connect(String connectionId, String token) {
    return connect(connectionId, token, null);
  }

  /**
   * Verifies the token and records the connection when it is valid, to be sent the kept events
   * after {@code since} (the query parameter's text; null for none) and then the live ones.
   *
   * @throws ValidationException {@code invalid_since} when since is not a non-negative integer
   */
  public Outcome connect(String connectionId, String token, String since) {
    WsConnection.checkId(connectionId);
    OptionalLong from = parseSince(since);
    SessionVerification verification = sessions.verify(token);
    if (verification instanceof SessionVerification.Refused refused) {
      return new Refused(refused.reason());
    }
    var session = ((SessionVerification.Valid) verification).session();
    WsConnection connection = new WsConnection(connectionId, session, clock.instant());
    store.openConnection(connection, streams, from);
    return new Accepted(connection, enforceLimit(connection));
  }

  /** Parses {@code since}: absent, or a non-negative integer. */
  public static OptionalLong parseSince(String since) {
    if (since == null) {
      return OptionalLong.empty();
    }
    if (!SINCE.matcher(since).matches()) {
      throw new ValidationException(
          "invalid_since", "since must be a non-negative integer (the last seq received)");
    }
    return OptionalLong.of(Long.parseLong(since));
  }

  /** Closes the session's oldest connections beyond the limit, each with a frame saying why. */
  private List<String> enforceLimit(WsConnection opened) {
    List<Recipient> open = store.sessionConnections(opened.session().id());
    List<String> closed = new ArrayList<>();
    int excess = open.size() - maxConnectionsPerSession;
    String frame =
        ServerFrames.closing(
            "too_many_connections",
            "this session opened more than "
                + maxConnectionsPerSession
                + " connections; the oldest is closed");
    for (Recipient r : open) {
      if (excess <= 0) {
        break;
      }
      if (r.connectionId().equals(opened.connectionId())) {
        continue;
      }
      closer.close(r.connectionId(), frame);
      store.deleteConnection(r.sessionId(), r.connectionId());
      closed.add(r.connectionId());
      excess--;
    }
    return closed;
  }

  static byte[] bytes(String frame) {
    return frame.getBytes(StandardCharsets.UTF_8);
  }

  /** Removes the connection's records; empty when it was not (or no longer) recorded. */
  public Optional<WsConnection> disconnect(String connectionId) {
    Optional<WsConnection> connection = store.connection(connectionId);
    connection.ifPresent(c -> store.deleteConnection(c.session().id(), connectionId));
    return connection;
  }
}
