package com.cdp.local.runtime;

import com.cdp.local.template.LocalTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment of a function: a JVM running the Runtime Interface Client, and the
 * invocation it is working on. It serves one invocation at a time, like a Lambda sandbox.
 */
final class FunctionInstance {
  private final LocalTemplate.Function function;
  private final BlockingQueue<Invocation> inbox = new LinkedBlockingQueue<>();
  private volatile Invocation current;
  private volatile Process process;
  private volatile String initError;
  private volatile boolean stopped;
  private volatile boolean broken;
  private volatile long lastUsedNanos = System.nanoTime();
  private Runnable closePort = () -> {};

  FunctionInstance(LocalTemplate.Function function) {
    this.function = function;
  }

  String functionArn() {
    return function.arn();
  }

  void attach(int port, Runnable closePort) {
    this.closePort = closePort;
  }

  void started(Process process) {
    this.process = process;
    process.onExit().thenRun(this::exited);
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Whether the runtime has taken an invocation and not yet answered it. */
  boolean busy() {
    return current != null && usable();
  }

  boolean usable() {
    return !broken && !stopped && process != null && process.isAlive();
  }

  long idleNanos() {
    return System.nanoTime() - lastUsedNanos;
  }

  /**
   * Runs one invocation: waits up to {@code initTimeout} for the runtime to ask for it (the init
   * phase of a cold start), then up to the function's timeout for its result. An overrun fails as
   * Lambda's does ({@code Sandbox.Timedout}) and the instance is killed, to be replaced.
   */
  InvocationResult invoke(Invocation invocation, Duration initTimeout) {
    lastUsedNanos = System.nanoTime();
    inbox.add(invocation);
    try {
      try {
        invocation.delivered.get(initTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        kill();
        return InvocationResult.error(
            invocation.requestId,
            "Runtime.InitTimeout",
            "the function did not initialize within " + initTimeout.toSeconds() + " s");
      } catch (ExecutionException e) {
        // the process ended before taking the invocation: the result says why
      }
      long waitMs = Math.max(1, invocation.deadlineMs - System.currentTimeMillis());
      try {
        return invocation.result.get(waitMs + 200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        kill();
        return InvocationResult.error(
            invocation.requestId,
            "Sandbox.Timedout",
            java.time.Instant.now()
                + " "
                + invocation.requestId
                + " Task timed out after "
                + String.format("%.2f", function.timeoutSeconds() * 1.0)
                + " seconds");
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      return InvocationResult.error(invocation.requestId, "Runtime.Interrupted", "interrupted");
    } finally {
      lastUsedNanos = System.nanoTime();
    }
  }

  /** The runtime's {@code GET next}: blocks until there is an invocation or the instance stops. */
  Optional<Invocation> awaitNext() {
    while (!stopped) {
      try {
        Invocation next = inbox.poll(1, TimeUnit.SECONDS);
        if (next != null) {
          next.deadlineMs = System.currentTimeMillis() + function.timeoutSeconds() * 1000L;
          current = next;
          next.delivered.complete(null);
          return Optional.of(next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  boolean completed(String requestId, byte[] body) {
    Invocation invocation = current;
    if (invocation == null || !invocation.requestId.equals(requestId)) {
      return false;
    }
    current = null;
    return invocation.result.complete(new InvocationResult(requestId, body, Optional.empty()));
  }

  boolean failed(String requestId, byte[] body) {
    Invocation invocation = current;
    if (invocation == null || !invocation.requestId.equals(requestId)) {
      return false;
    }
    current = null;
    return invocation.result.complete(
        new InvocationResult(requestId, body, Optional.of("Unhandled")));
  }

  /** The runtime reported that the function could not initialize; the RIC exits next. */
  void initFailed(String errorDocument) {
    initError = errorDocument;
    broken = true;
  }

  private void exited() {
    broken = true;
    stopped = true;
    closePort.run();
    int status = process.exitValue();
    for (Invocation pending : new Invocation[] {current, inbox.poll()}) {
      if (pending == null) {
        continue;
      }
      InvocationResult result =
          initError != null
              ? new InvocationResult(
                  pending.requestId,
                  initError.getBytes(StandardCharsets.UTF_8),
                  Optional.of("Unhandled"))
              : InvocationResult.error(
                  pending.requestId,
                  "Runtime.ExitError",
                  "RequestId: "
                      + pending.requestId
                      + " Error: Runtime exited with error: exit status "
                      + status);
      pending.delivered.completeExceptionally(new IllegalStateException("exited"));
      pending.result.complete(result);
    }
  }

  /** Stops the JVM (idle, replaced after a timeout, or the platform stopping). */
  void kill() {
    broken = true;
    stopped = true;
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
    closePort.run();
  }
}
