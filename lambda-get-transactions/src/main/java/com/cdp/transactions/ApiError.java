package com.cdp.transactions;

import java.util.Objects;

/**
 * A request the API refuses: an HTTP status, a stable machine-readable code and a sentence a client
 * developer can act on. Never carries a token or a key.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx (got " + status + ")");
    }
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The HTTP status, e.g. 400. */
  public int status() {
    return status;
  }

  /** Stable error code, e.g. {@code invalid_cursor}. */
  public String code() {
    return code;
  }
}
