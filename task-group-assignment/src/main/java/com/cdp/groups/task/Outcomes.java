package com.cdp.groups.task;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Each data row's outcome by its ordinal (one byte a row) and which rows flag a partial enrollment:
 * what planning and applying decide, kept without the rows. A row without an outcome here is
 * rejected (the passes say so) or, when the run did not get to it, not applied for the run's
 * reason.
 */
final class Outcomes {
  static final String STOPPED = "not applied: the run stopped after a failed write";
  private static final Outcome[] OUTCOMES = Outcome.values();

  private final byte[] codes;
  private final BitSet partial = new BitSet();
  private final long rejected;
  private String notAppliedReason = "not applied";

  /**
   * @param rows the file's data rows
   * @param rejected how many of them are rejected (on their own or by the cross-check)
   */
  Outcomes(int rows, long rejected) {
    this.codes = new byte[rows];
    this.rejected = rejected;
  }

  void set(int ordinal, Outcome outcome) {
    codes[ordinal] = (byte) (outcome.ordinal() + 1);
  }

  /** The planned (or applied) outcome, null if none. */
  Outcome get(int ordinal) {
    int code = codes[ordinal];
    return code == 0 ? null : OUTCOMES[code - 1];
  }

  void partiallyEnrolled(int ordinal, boolean value) {
    synchronized (partial) {
      partial.set(ordinal, value);
    }
  }

  /** A planned change that was not (certainly) written. */
  void stop(int ordinal) {
    Outcome planned = get(ordinal);
    if (planned == Outcome.ADDED || planned == Outcome.REMOVED) {
      set(ordinal, Outcome.NOT_APPLIED);
    }
  }

  /** Every planned change from {@code ordinal} on was not written. */
  void stopFrom(int ordinal) {
    for (int i = Math.max(0, ordinal); i < codes.length; i++) {
      stop(i);
    }
  }

  /** Nothing of the run is applied, for {@code reason}: every valid row is not applied. */
  void noneApplied(String reason) {
    Arrays.fill(codes, (byte) 0);
    synchronized (partial) {
      partial.clear();
    }
    this.notAppliedReason = reason;
  }

  /** Sets a row of a pass (validated and cross-checked) to what the run did with it. */
  void settle(AssignmentRow row) {
    if (row.outcome == Outcome.REJECTED) {
      return;
    }
    Outcome outcome = get(row.ordinal);
    if (outcome == null) {
      row.settle(Outcome.NOT_APPLIED, notAppliedReason);
      return;
    }
    row.settle(outcome, reason(outcome, row.action));
    synchronized (partial) {
      row.partiallyEnrolled = partial.get(row.ordinal);
    }
  }

  private static String reason(Outcome outcome, Action action) {
    return switch (outcome) {
      case UNCHANGED ->
          action == Action.ADD
              ? "already in the tile group"
              : "not in the tile group (nothing to remove)";
      case NOT_APPLIED -> STOPPED;
      default -> null;
    };
  }

  Counts counts() {
    long[] n = new long[OUTCOMES.length];
    long set = 0;
    for (byte code : codes) {
      if (code != 0) {
        n[code - 1]++;
        set++;
      }
    }
    long notApplied = n[Outcome.NOT_APPLIED.ordinal()] + (codes.length - set - rejected);
    long enrolled;
    synchronized (partial) {
      enrolled = partial.cardinality();
    }
    return new Counts(
        codes.length,
        n[Outcome.ADDED.ordinal()],
        n[Outcome.REMOVED.ordinal()],
        enrolled,
        n[Outcome.UNCHANGED.ordinal()],
        rejected,
        notApplied);
  }
}
