package com.cdp.model;

/**
 * A value from outside the platform broke a contract rule. Carries a stable machine-readable code
 * and a sentence a person can act on; never the offending secret.
 */
public final class ValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public ValidationException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** Stable error code, e.g. {@code invalid_member_id}. */
  public String code() {
    return code;
  }
}
