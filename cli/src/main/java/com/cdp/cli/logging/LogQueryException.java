package com.cdp.cli.logging;

/** A query the engine refused or could not run; the message is the engine's, on one line. */
public final class LogQueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LogQueryException(String message) {
    super(oneLine(message));
  }

  /** The first non-blank line of an engine message. */
  static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "the query failed without a message";
    }
    return message
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .findFirst()
        .orElse(message.strip());
  }
}
