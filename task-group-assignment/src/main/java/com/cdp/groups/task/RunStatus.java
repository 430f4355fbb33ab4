package com.cdp.groups.task;

/** The report's {@code status}. */
enum RunStatus {
  /** Every row was applied (or, in a dry run, would be). */
  COMPLETED("completed"),
  /** A partial file: the valid rows were applied, the rejected ones reported. */
  COMPLETED_WITH_REJECTIONS("completed_with_rejections"),
  /** The file broke a rule and nothing was changed. */
  REJECTED("rejected"),
  /** The run stopped on an error; some rows may be applied, see each row. */
  FAILED("failed");

  private final String id;

  RunStatus(String id) {
    this.id = id;
  }

  String id() {
    return id;
  }
}
