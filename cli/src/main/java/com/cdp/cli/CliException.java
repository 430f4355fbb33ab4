package com.cdp.cli;

/** A command failed for a reason the user can act on; printed as one line, never a stack trace. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
