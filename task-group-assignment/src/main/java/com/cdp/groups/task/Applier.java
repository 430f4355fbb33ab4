package com.cdp.groups.task;

import com.cdp.model.id.OrganizationId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Applies a plan with single-item conditional writes, {@code concurrency} at a time: first the
 * partial enrollments, then the membership changes. A write whose condition fails means another run
 * made the change first: the row becomes a no-op (and its member is not counted as enrolled by this
 * run). On the first failure no new write starts; the rows not written are marked not applied and
 * {@link ApplyFailure} is thrown. Re-running the file completes the work (writes are idempotent).
 */
final class Applier {
  private static final String STOPPED = "not applied: the run stopped after a failed write";

  private final GroupStore store;
  private final int concurrency;

  Applier(GroupStore store, int concurrency) {
    this.store = store;
    this.concurrency = Math.max(1, concurrency);
  }

  /** A write failed; the rows not (certainly) written are marked not applied. */
  static final class ApplyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ApplyFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  void apply(OrganizationId org, Plan plan, String source) {
    try {
      run(
          plan.enrollments,
          row -> {
            if (!store.enrollPartiallyIfNone(org, row.member, source)) {
              row.partiallyEnrolled = false;
            }
          },
          row -> row.partiallyEnrolled = false);
    } catch (ApplyFailure e) {
      for (AssignmentRow row : plan.changes) {
        if (row.outcome == Outcome.ADDED || row.outcome == Outcome.REMOVED) {
          row.settle(Outcome.NOT_APPLIED, STOPPED);
        }
      }
      throw e;
    }
    run(
        plan.changes,
        row -> {
          if (row.action == Action.ADD) {
            if (!store.addMember(org, row.membership(), source)) {
              row.settle(Outcome.UNCHANGED, "already in the tile group (added by another run)");
            }
          } else if (!store.removeMember(org, row.membership())) {
            row.settle(Outcome.UNCHANGED, "not in the tile group (removed by another run)");
          }
        },
        row -> row.settle(Outcome.NOT_APPLIED, STOPPED));
  }

  /**
   * Writes every row with {@code write}; after a failure, {@code notWritten} is applied to the rows
   * not written (including the failed one, whose write may or may not have happened).
   */
  private void run(
      List<AssignmentRow> rows, Consumer<AssignmentRow> write, Consumer<AssignmentRow> notWritten) {
    if (rows.isEmpty()) {
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    boolean[] written = new boolean[rows.size()];
    Runnable worker =
        () -> {
          while (failure.get() == null) {
            int i = next.getAndIncrement();
            if (i >= rows.size()) {
              return;
            }
            try {
              write.accept(rows.get(i));
              written[i] = true;
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
              return;
            }
          }
        };
    int threads = Math.min(concurrency, rows.size());
    List<Thread> workers = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(worker, "group-apply-" + t);
      thread.setDaemon(true);
      workers.add(thread);
    }
    workers.forEach(Thread::start);
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, new IllegalStateException("interrupted while applying", e));
      }
    }
    RuntimeException failed = failure.get();
    if (failed != null) {
      for (int i = 0; i < rows.size(); i++) {
        if (!written[i]) {
          notWritten.accept(rows.get(i));
        }
      }
      throw new ApplyFailure("a write failed: " + failed.getMessage(), failed);
    }
  }
}
