package com.cdp.local.platform;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the platform's asynchronous invocations (S3 notifications, bus deliveries, schedules) and
 * knows when all of them, including the work they start, have finished: tests wait for that.
 */
public final class AsyncWork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncWork.class);
  private final ExecutorService executor;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object idle = new Object();

  AsyncWork(int threads) {
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "local-invoke-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs the task later; its failure is logged by the caller's retry policy, never lost silently.
   */
  public void submit(String what, Runnable task) {
    inFlight.incrementAndGet();
    executor.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.error("{} failed: {}", what, e.toString());
          } finally {
            if (inFlight.decrementAndGet() == 0) {
              synchronized (idle) {
                idle.notifyAll();
              }
            }
          }
        });
  }

  /**
   * Counts work running elsewhere (a function's asynchronous invocation in its own JVM) until it
   * completes, so {@link #awaitIdle} waits for it too.
   */
  public void track(String what, java.util.concurrent.CompletableFuture<?> running) {
    inFlight.incrementAndGet();
    running.whenComplete(
        (ok, failed) -> {
          if (failed != null) {
            LOG.error("{} failed: {}", what, failed.toString());
          }
          if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
              idle.notifyAll();
            }
          }
        });
  }

  /** Waits until no invocation is running or queued; false if the timeout came first. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    return true;
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
