package com.cdp.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one error type of the platform's APIs: a refusal with an HTTP status, a stable
 * machine-readable code and a sentence the caller can act on. {@link HttpEdge} turns it into {@code
 * {"code","message"}} with the status (and any headers it carries, such as a 401's {@code
 * WWW-Authenticate}). Never carries a token, a key or anything else secret. A control-flow refusal,
 * so it records no stack trace.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final Map<String, String> headers;

  public ApiError(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  private ApiError(int status, String code, String message, Map<String, String> headers) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx (got " + status + ")");
    }
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
    this.headers = Map.copyOf(headers);
  }

  /** A 400 with the given code. */
  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  /** A 401 with the {@code WWW-Authenticate} challenge the caller should answer. */
  public static ApiError unauthorized(String code, String message, String challenge) {
    return new ApiError(401, code, message, Map.of("WWW-Authenticate", challenge));
  }

  /** The same refusal with one more response header. */
  public ApiError withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ApiError(status, code, getMessage(), more);
  }

  /** The HTTP status, e.g. 400. */
  public int status() {
    return status;
  }

  /** Stable error code, e.g. {@code invalid_cursor}. */
  public String code() {
    return code;
  }

  /** Response headers the refusal needs beyond the JSON ones (usually none). */
  public Map<String, String> headers() {
    return headers;
  }
}
