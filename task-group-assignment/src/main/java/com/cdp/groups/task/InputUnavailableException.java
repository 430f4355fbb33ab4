package com.cdp.groups.task;

/** The task cannot read the file it was started for; it exits non-zero with this message. */
final class InputUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InputUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
