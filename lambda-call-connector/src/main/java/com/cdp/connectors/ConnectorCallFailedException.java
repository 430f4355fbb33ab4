package com.cdp.connectors;

/**
 * The hub call failed in a way that may succeed later (5xx, 408/429, a timeout or an unreachable
 * hub). Thrown out of the handler on purpose: the invocation fails, so the asynchronous retries of
 * Lambda (and the schedule's retry policy) and finally the dead-letter queue apply.
 */
final class ConnectorCallFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConnectorCallFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
