package com.cdp.groups.task;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a batched read over chunks of its keys, {@code concurrency} chunks at a time, and gathers
 * the results (BatchGetItem latency, not throughput, bounds a sequential plan).
 */
final class ParallelReads {
  /** The largest chunk one call reads (BatchGetItem's limit). */
  static final int CHUNK = 100;

  private ParallelReads() {}

  static <K, R> List<R> read(
      List<K> keys, int concurrency, Function<List<K>, Collection<R>> readChunk) {
    List<List<K>> chunks = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += CHUNK) {
      chunks.add(keys.subList(from, Math.min(keys.size(), from + CHUNK)));
    }
    if (chunks.size() <= 1 || concurrency <= 1) {
      List<R> results = new ArrayList<>();
      chunks.forEach(c -> results.addAll(readChunk.apply(c)));
      return results;
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
      List<Future<Collection<R>>> futures = new ArrayList<>();
      for (List<K> chunk : chunks) {
        futures.add(pool.submit(() -> readChunk.apply(chunk)));
      }
      List<R> results = new ArrayList<>();
      for (Future<Collection<R>> f : futures) {
        results.addAll(f.get());
      }
      return results;
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
