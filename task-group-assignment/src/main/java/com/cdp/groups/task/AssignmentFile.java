package com.cdp.groups.task;

import java.util.List;

/**
 * A read and validated assignment file: its data rows in file order (each valid or rejected),
 * problems that make the whole file unusable (no header, a missing column, not UTF-8, too many
 * rows), and warnings (unknown columns).
 */
record AssignmentFile(List<AssignmentRow> rows, List<String> fileProblems, List<String> warnings) {
  AssignmentFile {
    rows = List.copyOf(rows);
    fileProblems = List.copyOf(fileProblems);
    warnings = List.copyOf(warnings);
  }

  long rejectedRows() {
    return rows.stream().filter(r -> !r.isValid()).count();
  }

  boolean hasProblems() {
    return !fileProblems.isEmpty() || rejectedRows() > 0;
  }
}
