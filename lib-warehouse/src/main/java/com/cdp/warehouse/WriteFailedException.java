package com.cdp.warehouse;

/** Writes (or event publications) that still failed after every retry; the invocation fails. */
public final class WriteFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WriteFailedException(String message) {
    super(message);
  }

  public WriteFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
