package com.cdp.links.client;

/**
 * The short-link API refused a request ({@link #status()} and its stable {@link #code()}, e.g. 409
 * {@code slug_taken}, 403 {@code organization_not_allowed}), or could not be reached (status 0,
 * code {@code unreachable}).
 */
public final class LinksException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  public LinksException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return "HTTP " + status + " " + code + ": " + getMessage();
  }
}
