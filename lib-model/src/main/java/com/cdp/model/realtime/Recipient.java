package com.cdp.model.realtime;

import java.time.Instant;
import java.util.Objects;

/** A connection an event is to be posted to, with what the relay needs to clean it up. */
public record Recipient(String connectionId, String sessionId, Instant connectedAt) {
  public Recipient {
    WsConnection.checkId(connectionId);
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(connectedAt, "connectedAt");
  }
}
