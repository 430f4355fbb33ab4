package com.cdp.groups.task;

import java.util.List;

/**
 * The report's counts. Rows: {@code rowsRead = added + removed + unchanged + rejected +
 * notApplied}. {@code partiallyEnrolled} counts members (each at most once), not rows.
 */
record Counts(
    long rowsRead,
    long added,
    long removed,
    long partiallyEnrolled,
    long unchanged,
    long rejected,
    long notApplied) {

  static Counts of(List<AssignmentRow> rows) {
    long added = 0;
    long removed = 0;
    long enrolled = 0;
    long unchanged = 0;
    long rejected = 0;
    long notApplied = 0;
    for (AssignmentRow row : rows) {
      switch (row.outcome) {
        case ADDED -> added++;
        case REMOVED -> removed++;
        case UNCHANGED -> unchanged++;
        case REJECTED -> rejected++;
        case NOT_APPLIED -> notApplied++;
      }
      if (row.partiallyEnrolled) {
        enrolled++;
      }
    }
    return new Counts(rows.size(), added, removed, enrolled, unchanged, rejected, notApplied);
  }
}
