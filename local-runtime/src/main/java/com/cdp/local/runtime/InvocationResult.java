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
