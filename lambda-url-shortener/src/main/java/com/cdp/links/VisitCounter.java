package com.cdp.links;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts visits off the redirect's path: {@link #record} only bumps an in-memory counter; one
 * background thread writes the accumulated counts every {@link #DEFAULT_WINDOW} with {@code
 * UpdateItem ADD visits :n}, merging the visits of a link into one write. A redirect therefore
 * never waits for (or fails because of) the count, and a busy link costs one write per window, not
 * one per visit (so the counts do not compete with the redirects' reads for the table's capacity).
 *
 * <p>Counts are a lower bound: in Lambda the background thread is frozen between invocations and
 * resumes on the next one; counts still in memory when a container is reclaimed, or whose write
 * fails, are lost (and counted in {@link #lost()}).
 */
public final class VisitCounter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VisitCounter.class);

  private record Key(LinkScope scope, String code, LocalDate day) {}

  private final LinkStore store;
  private final Map<Key, Long> pending = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final Thread worker;
  private volatile boolean closed;

  /** How long visits are gathered before they are written (one write per link per window). */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(500);

  private final Duration window;

  private final Clock clock;

  public VisitCounter(LinkStore store) {
    this(store, DEFAULT_WINDOW, Clock.systemUTC());
  }

  public VisitCounter(LinkStore store, Duration window, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = Objects.requireNonNull(window, "window");
    this.worker = new Thread(this::run, "visit-counter");
    worker.setDaemon(true);
    worker.start();
  }

  /** Counts one visit; returns at once. */
  public void record(LinkScope scope, String code) {
    inFlight.incrementAndGet();
    pending.merge(
        new Key(scope, code, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)), 1L, Long::sum);
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Visits written so far. */
  public long written() {
    return written.get();
  }

  /** Visits that could not be written. */
  public long lost() {
    return lost.get();
  }

  /** Waits until every recorded visit is written or lost (tests, benchmarks, shutdown). */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (!closed || !pending.isEmpty()) {
      lock.lock();
      try {
        if (pending.isEmpty() && !closed) {
          changed.await(1, TimeUnit.SECONDS);
        }
        // Gather more visits before writing, so a busy link costs one write per window.
        long left = window.toNanos();
        while (!closed && left > 0 && !pending.isEmpty()) {
          left = changed.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      for (Key key : pending.keySet()) {
        Long visits = pending.remove(key);
        if (visits == null) {
          continue;
        }
        try {
          store.addVisits(key.scope(), key.code(), key.day(), visits);
          written.addAndGet(visits);
        } catch (RuntimeException e) {
          lost.addAndGet(visits);
          LOG.warn("could not count {} visit(s) of a link: {}", visits, e.toString());
        } finally {
          inFlight.addAndGet(-visits);
          lock.lock();
          try {
            changed.signalAll();
          } finally {
            lock.unlock();
          }
        }
      }
    }
  }

  /** Writes what is pending (for at most a few seconds) and stops the thread. */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
