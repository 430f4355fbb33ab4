package com.cdp.model.session;

/** The outcome of checking a token: a live session, or why it was refused. */
public sealed interface SessionVerification {
  record Valid(Session session) implements SessionVerification {}

  record Refused(Reason reason) implements SessionVerification {}

  enum Reason {
    MISSING("no session token was given"),
    MALFORMED("the session token is not well formed"),
    UNKNOWN("the session token is not known"),
    EXPIRED("the session has expired");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }

    /** Stable error code, e.g. {@code session_expired}. */
    public String code() {
      return "session_" + name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
