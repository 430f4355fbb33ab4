package com.cdp.model.realtime;

import com.cdp.model.ValidationException;
import com.cdp.model.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An open WebSocket connection of an end-user session. API Gateway ends every connection after two
 * hours, and a connection is only worth notifying while its session is valid too.
 */
public record WsConnection(String connectionId, Session session, Instant connectedAt) {
  /** API Gateway closes every WebSocket connection after two hours. */
  public static final Duration MAX_DURATION = Duration.ofHours(2);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9+/=_-]{1,128}");

  public WsConnection {
    checkId(connectionId);
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(connectedAt, "connectedAt");
  }

  /** Checks an API Gateway connection id (for example {@code L0SM9cOFvHcCIhw=}). */
  public static String checkId(String connectionId) {
    if (connectionId == null || !ID.matcher(connectionId).matches()) {
      throw new ValidationException(
          "invalid_connection_id", "connection id must be 1-128 characters of base64");
    }
    return connectionId;
  }

  /** When API Gateway will have closed this connection at the latest. */
  public Instant expiresAt() {
    return connectedAt.plus(MAX_DURATION);
  }

  /** Whether the connection may still be open and its session still valid. */
  public boolean isLiveAt(Instant now) {
    return now.isBefore(expiresAt()) && !session.isExpiredAt(now);
  }
}
