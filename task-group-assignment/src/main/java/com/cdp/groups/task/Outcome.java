package com.cdp.groups.task;

/** What happened to a row (or, in a dry run, what would happen). */
enum Outcome {
  /** The member was added to the tile group. */
  ADDED("added"),
  /** The member was removed from the tile group. */
  REMOVED("removed"),
  /** Nothing to do: already in the group (add) or not in it (remove). */
  UNCHANGED("unchanged"),
  /** The row breaks a rule; see its reason. */
  REJECTED("rejected"),
  /** A valid row that was not applied because the file was rejected or the run failed. */
  NOT_APPLIED("not_applied");

  private final String id;

  Outcome(String id) {
    this.id = id;
  }

  String id() {
    return id;
  }
}
