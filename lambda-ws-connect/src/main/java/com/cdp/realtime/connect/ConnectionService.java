package com.cdp.realtime.connect;

import com.cdp.model.realtime.RealtimeStore;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.SessionService;
import com.cdp.model.session.SessionVerification;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Admits WebSocket connections that present a valid session token and records them (organization,
 * member, session, connect time, TTL); forgets them on disconnect. Subscriptions belong to the
 * session, so they outlive any one connection.
 */
public final class ConnectionService {
  private final SessionService sessions;
  private final RealtimeStore store;
  private final Clock clock;

  public ConnectionService(SessionService sessions, RealtimeStore store, Clock clock) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What became of a connection attempt. */
  public sealed interface Outcome {}

  /** The connection is recorded and may be accepted. */
  public record Accepted(WsConnection connection) implements Outcome {}

  /** The token was missing, malformed, unknown or expired: refuse the connection. */
  public record Refused(SessionVerification.Reason reason) implements Outcome {}

  /** Verifies the token and records the connection when it is valid. */
  public Outcome connect(String connectionId, String token) {
    WsConnection.checkId(connectionId);
    SessionVerification verification = sessions.verify(token);
    if (verification instanceof SessionVerification.Refused refused) {
      return new Refused(refused.reason());
    }
    var session = ((SessionVerification.Valid) verification).session();
    WsConnection connection = new WsConnection(connectionId, session, clock.instant());
    store.putConnection(connection);
    return new Accepted(connection);
  }

  /** Removes the connection's records; empty when it was not (or no longer) recorded. */
  public Optional<WsConnection> disconnect(String connectionId) {
    Optional<WsConnection> connection = store.connection(connectionId);
    connection.ifPresent(c -> store.deleteConnection(c.session().id(), connectionId));
    return connection;
  }
}
