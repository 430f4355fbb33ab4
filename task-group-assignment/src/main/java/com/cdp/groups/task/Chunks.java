package com.cdp.groups.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs work over chunks of a list, {@code concurrency} chunks at a time: the plan reads the current
 * state one BatchGetItem (100 keys) per chunk, and BatchGetItem latency, not throughput, bounds a
 * sequential plan. Each chunk's results are used and dropped, so memory does not grow with the
 * state read.
 */
final class Chunks {
  /** The largest chunk (BatchGetItem's limit). */
  static final int SIZE = 100;

  private Chunks() {}

  /** Calls {@code work} once per chunk, in parallel; rethrows the first failure. */
  static <T> void forEach(List<T> items, int concurrency, Consumer<List<T>> work) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += SIZE) {
      chunks.add(items.subList(from, Math.min(items.size(), from + SIZE)));
    }
    if (chunks.size() <= 1 || concurrency <= 1) {
      chunks.forEach(work);
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(concurrency, chunks.size()),
            r -> {
              Thread t = new Thread(r, "group-plan-read");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>(chunks.size());
      for (List<T> chunk : chunks) {
        futures.add(pool.submit(() -> work.accept(chunk)));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the current state", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
