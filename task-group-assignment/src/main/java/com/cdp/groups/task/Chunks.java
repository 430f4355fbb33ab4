package com.cdp.groups.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs work over chunks of a list, in parallel on a pool: the plan reads the current state one
 * BatchGetItem (100 keys) per chunk, and BatchGetItem latency, not throughput, bounds a sequential
 * plan. Each chunk's results are used and dropped, so memory does not grow with the state read.
 */
final class Chunks {
  /** The largest chunk (BatchGetItem's limit). */
  static final int SIZE = 100;

  private Chunks() {}

  /** A pool of {@code threads} daemon threads named {@code name}. */
  static ExecutorService pool(int threads, String name) {
    return Executors.newFixedThreadPool(
        Math.max(1, threads),
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** Calls {@code work} once per chunk, in parallel on {@code pool}; rethrows the first failure. */
  static <T> void forEach(List<T> items, ExecutorService pool, Consumer<List<T>> work) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += SIZE) {
      chunks.add(items.subList(from, Math.min(items.size(), from + SIZE)));
    }
    if (chunks.size() <= 1) {
      chunks.forEach(work);
      return;
    }
    List<Future<?>> futures = new ArrayList<>(chunks.size());
    for (List<T> chunk : chunks) {
      futures.add(pool.submit(() -> work.accept(chunk)));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the current state", e);
    }
  }
}
