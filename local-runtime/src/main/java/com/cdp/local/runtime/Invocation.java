package com.cdp.local.runtime;

import java.util.concurrent.CompletableFuture;

/** One invocation handed to a function instance: its request id, payload, deadline and result. */
final class Invocation {
  final String requestId;
  final byte[] payload;
  volatile long deadlineMs;
  final CompletableFuture<Void> delivered = new CompletableFuture<>();
  final String traceId;
  final CompletableFuture<InvocationResult> result = new CompletableFuture<>();

  Invocation(String requestId, byte[] payload, String traceId) {
    this.requestId = requestId;
    this.payload = payload;
    this.traceId = traceId;
  }
}
