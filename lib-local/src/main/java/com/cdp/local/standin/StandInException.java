package com.cdp.local.standin;

/** A stand-in could not start; the message is one actionable line. */
public final class StandInException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StandInException(String message) {
    super(message);
  }

  public StandInException(String message, Throwable cause) {
    super(message, cause);
  }
}
