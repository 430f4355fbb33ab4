package com.cdp.groups.task;

import com.cdp.model.groups.Membership;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies a plan with BatchWriteItem, 25 planned writes a call and {@code concurrency} calls in
 * flight: first the partial enrollments (from the plan), then the membership changes (one more pass
 * over the file, the rows whose planned outcome is a change). The writes are unconditional, so the
 * caller must hold the organization's apply lock from planning to the last write ({@link
 * GroupStore#tryLockApply}): then the plan is exactly what changes, and the counts stay exact
 * without a condition per item. On the first failure no new batch starts; the rows of the batches
 * not written (the failed one included: it may or may not have been written) are marked not applied
 * and {@link ApplyFailure} is thrown. Re-running the file completes the work: a new plan sees what
 * was written.
 */
final class Applier {
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

  void apply(OrganizationId org, Plan plan, FilePasses passes, Outcomes outcomes, String source) {
    MemberIds members = passes.index().members;
    try (Writes enrollments = new Writes()) {
      List<Integer> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < plan.enrollMembers.size() && !enrollments.failed(); i++) {
        batch.add(i);
        if (batch.size() == BATCH || i == plan.enrollMembers.size() - 1) {
          List<Integer> rows = List.copyOf(batch);
          batch.clear();
          enrollments.submit(
              () -> {
                List<MemberId> ids = new ArrayList<>(rows.size());
                rows.forEach(r -> ids.add(MemberId.of(members.id(plan.enrollMembers.get(r)))));
                store.writePlanned(org, ids, List.of(), List.of(), source);
              },
              () -> rows.forEach(r -> outcomes.partiallyEnrolled(plan.enrollRows.get(r), false)));
        }
      }
      enrollments.await();
      if (enrollments.failed()) {
        // Enrollments not written: their rows' flags were cleared; no change is written either.
        for (int i = 0; i < plan.enrollMembers.size(); i++) {
          if (!enrollments.written(i / BATCH)) {
            outcomes.partiallyEnrolled(plan.enrollRows.get(i), false);
          }
        }
        outcomes.stopFrom(0);
        throw enrollments.failure();
      }
    }
    try (Writes changes = new Writes()) {
      List<AssignmentRow> batch = new ArrayList<>(BATCH);
      int[] last = {-1};
      passes.forEach(
          row -> {
            if (changes.failed()) {
              return false;
            }
            last[0] = row.ordinal;
            Outcome planned = row.isValid() ? outcomes.get(row.ordinal) : null;
            if (planned == Outcome.ADDED || planned == Outcome.REMOVED) {
              batch.add(row);
              if (batch.size() == BATCH) {
                submitChanges(changes, org, List.copyOf(batch), outcomes, source);
                batch.clear();
              }
            }
            return true;
          });
      if (!changes.failed() && !batch.isEmpty()) {
        submitChanges(changes, org, List.copyOf(batch), outcomes, source);
        batch.clear();
      }
      changes.await();
      if (changes.failed()) {
        batch.forEach(row -> stop(outcomes, row.ordinal));
        outcomes.stopFrom(last[0] + 1);
        throw changes.failure();
      }
    }
  }

  private void submitChanges(
      Writes writes,
      OrganizationId org,
      List<AssignmentRow> batch,
      Outcomes outcomes,
      String source) {
    writes.submit(
        () -> {
          List<Membership> adds = new ArrayList<>();
          List<Membership> removes = new ArrayList<>();
          for (AssignmentRow row : batch) {
            (row.action == Action.ADD ? adds : removes).add(row.membership());
          }
          store.writePlanned(org, List.of(), adds, removes, source);
        },
        () -> batch.forEach(row -> stop(outcomes, row.ordinal)));
  }

  /** A planned change that was not (certainly) written. */
  private static void stop(Outcomes outcomes, int ordinal) {
    outcomes.stop(ordinal);
  }

  /**
   * Batches written on a pool, at most {@code concurrency} in flight; after the first failure,
   * batches not yet started are not written (their {@code notWritten} runs instead).
   */
  private final class Writes implements AutoCloseable {
    private final ExecutorService pool = Chunks.pool(concurrency, "group-apply");
    private final Semaphore inFlight = new Semaphore(concurrency);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final java.util.BitSet written = new java.util.BitSet();
    private int submitted;

    void submit(Runnable write, Runnable notWritten) {
      int number = submitted++;
      try {
        inFlight.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, new IllegalStateException("interrupted while applying", e));
        notWritten.run();
        return;
      }
      pool.execute(
          () -> {
            try {
              if (failure.get() != null) {
                notWritten.run();
                return;
              }
              write.run();
              synchronized (written) {
                written.set(number);
              }
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
              notWritten.run();
            } finally {
              inFlight.release();
            }
          });
    }

    boolean written(int batch) {
      synchronized (written) {
        return written.get(batch);
      }
    }

    boolean failed() {
      return failure.get() != null;
    }

    ApplyFailure failure() {
      RuntimeException e = failure.get();
      return new ApplyFailure("a write failed: " + e.getMessage(), e);
    }

    /** Waits until every submitted batch is written or given up. */
    void await() {
      try {
        inFlight.acquire(concurrency);
        inFlight.release(concurrency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, new IllegalStateException("interrupted while applying", e));
      }
    }

    @Override
    public void close() {
      pool.shutdownNow();
      try {
        pool.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
