package com.cdp.connectors;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How an invocation ended when it did not fail: the hub accepted the call, or the call can never
 * succeed as sent (a 4xx from the hub, or a payload that is not the contract's) and is therefore
 * not retried. Returned as the function's JSON result.
 */
record CallOutcome(
    Status status, String transactionId, String target, Integer httpStatus, String reason) {

  public enum Status {
    SUCCEEDED,
    /** The hub refused the call (4xx): logged as a permanent failure, not retried. */
    PERMANENT_FAILURE,
    /** The payload is not the contract's: logged, not retried. */
    REJECTED
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
    node.put("transactionId", transactionId);
    if (target != null) {
      node.put("target", target);
    }
    if (httpStatus != null) {
      node.put("httpStatus", httpStatus);
    }
    if (reason != null) {
      node.put("reason", reason);
    }
    return node;
  }
}
