package com.cdp.links;

/**
 * A request the shortener refuses: an HTTP status, a stable code and a sentence the caller can act
 * on (never the presented API key or anything else secret).
 */
public final class LinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  public LinkException(int status, String code, String message) {
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

  static LinkException badRequest(String code, String message) {
    return new LinkException(400, code, message);
  }
}
