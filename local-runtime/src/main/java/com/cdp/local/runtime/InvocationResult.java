package com.cdp.local.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What an invocation returned, as Lambda's Invoke API reports it: the payload, and for a failed
 * invocation the function error ({@code Unhandled}) with Lambda's error document as the payload
 * ({@code errorMessage}, {@code errorType}).
 *
 * @param requestId the invocation's request id (also in the function's log)
 */
public record InvocationResult(String requestId, byte[] payload, Optional<String> functionError) {
  public boolean failed() {
    return functionError.isPresent();
  }

  /**
   * Lambda refused the invocation because the function's reserved concurrency was in use (the
   * Invoke API's 429 {@code TooManyRequestsException}); the function did not run.
   */
  public boolean throttled() {
    return functionError.filter(THROTTLED::equals).isPresent();
  }

  static final String THROTTLED = "TooManyRequestsException";

  /** The result of an invocation Lambda refused ({@link FunctionPool.TooManyRequestsException}). */
  public static InvocationResult throttled(FunctionPool.TooManyRequestsException e) {
    return new InvocationResult(
        "", e.body().getBytes(StandardCharsets.UTF_8), Optional.of(THROTTLED));
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  static InvocationResult error(String requestId, String errorType, String message) {
    String body =
        com.cdp.model.json.Json.mapper()
            .createObjectNode()
            .put("errorMessage", message)
            .put("errorType", errorType)
            .toString();
    return new InvocationResult(
        requestId, body.getBytes(StandardCharsets.UTF_8), Optional.of("Unhandled"));
  }
}
