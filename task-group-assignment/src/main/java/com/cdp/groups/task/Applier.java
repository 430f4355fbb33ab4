package com.cdp.groups.task;

import com.cdp.model.groups.Membership;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Applies a plan with BatchWriteItem, 25 planned writes a call and {@code concurrency} calls in
 * flight: first the partial enrollments, then the membership changes. The writes are unconditional,
 * so the caller must hold the organization's apply lock from planning to the last write ({@link
 * GroupStore#tryLockApply}): then the plan is exactly what changes, and the counts stay exact
 * without a condition per item. On the first failure no new batch starts; the rows of the batches
 * not written (the failed one included: it may or may not have been written) are marked not applied
 * and {@link ApplyFailure} is thrown. Re-running the file completes the work: a new plan sees what
 * was written.
 */
final class Applier {
  private static final String STOPPED = "not applied: the run stopped after a failed write";

  /** BatchWriteItem's limit. */
  static final int BATCH = 25;

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
          batch -> {
            List<MemberId> members = new ArrayList<>(batch.size());
            batch.forEach(row -> members.add(row.member));
            store.writePlanned(org, members, List.of(), List.of(), source);
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
        batch -> {
          List<Membership> adds = new ArrayList<>();
          List<Membership> removes = new ArrayList<>();
          for (AssignmentRow row : batch) {
            (row.action == Action.ADD ? adds : removes).add(row.membership());
          }
          store.writePlanned(org, List.of(), adds, removes, source);
        },
        row -> row.settle(Outcome.NOT_APPLIED, STOPPED));
  }

  /**
   * Writes the rows in batches of {@link #BATCH} with {@code write}; after a failure, {@code
   * notWritten} is applied to the rows of every batch not written (the failed one included).
   */
  private void run(
      List<AssignmentRow> rows,
      Consumer<List<AssignmentRow>> write,
      Consumer<AssignmentRow> notWritten) {
    if (rows.isEmpty()) {
      return;
    }
    int batches = (rows.size() + BATCH - 1) / BATCH;
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    boolean[] written = new boolean[batches];
    Runnable worker =
        () -> {
          while (failure.get() == null) {
            int b = next.getAndIncrement();
            if (b >= batches) {
              return;
            }
            try {
              write.accept(rows.subList(b * BATCH, Math.min(rows.size(), (b + 1) * BATCH)));
              written[b] = true;
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
              return;
            }
          }
        };
    int threads = Math.min(concurrency, batches);
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
      for (int b = 0; b < batches; b++) {
        if (!written[b]) {
          for (AssignmentRow row :
              rows.subList(b * BATCH, Math.min(rows.size(), (b + 1) * BATCH))) {
            notWritten.accept(row);
          }
        }
      }
      throw new ApplyFailure("a write failed: " + failed.getMessage(), failed);
    }
  }
}
