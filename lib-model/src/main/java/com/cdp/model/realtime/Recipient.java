package com.cdp.model.realtime;

import java.time.Instant;
import java.util.Objects;

/**
 * A connection an event is to be posted to, with what the relay needs to clean it up, and its
 * admission point in the member's stream: the connection has (or is being sent) every event of its
 * topics up to {@code admittedFrom}, and is posted the later ones live. {@link #NOT_ADMITTED} while
 * its replay has not been done: the relay then leaves it to the replay.
 */
public record Recipient(
    String connectionId, String sessionId, Instant connectedAt, long admittedFrom) {
  /** The admission point of a connection that is still waiting for its replay. */
  public static final long NOT_ADMITTED = -1;

  public Recipient {
    WsConnection.checkId(connectionId);
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(connectedAt, "connectedAt");
  }

  /** A connection that receives everything live (tests, tools). */
  public Recipient(String connectionId, String sessionId, Instant connectedAt) {
    this(connectionId, sessionId, connectedAt, 0);
  }

  public boolean admitted() {
    return admittedFrom != NOT_ADMITTED;
  }

  /** Whether the event at {@code seq} is to be posted to this connection live. */
  public boolean takesLive(long seq) {
    return admitted() && seq > admittedFrom;
  }
}
