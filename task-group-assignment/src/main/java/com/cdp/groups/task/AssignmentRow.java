package com.cdp.groups.task;

import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;

/**
 * One data row of an assignment file: what it said (trimmed cells), what it means once valid, and
 * its outcome. Transient: each pass over the file makes one per row and drops it ({@link
 * FilePasses}); what outlives a pass is kept by ordinal in {@link Outcomes} and {@link RowIndex}.
 */
final class AssignmentRow {
  final int line;
  final String memberCell;
  final String groupCell;
  final String actionCell;
  final MemberId member;
  final TileGroupName group;
  final Action action;

  /** The row's number among the file's data rows (0, 1, ...): the same in every pass. */
  int ordinal;

  /** The member's number in the run's {@link MemberIds}, once cross-checked; -1 before. */
  int memberNumber = -1;

  Outcome outcome;
  String column;
  String reason;
  boolean partiallyEnrolled;

  private AssignmentRow(
      int line,
      String memberCell,
      String groupCell,
      String actionCell,
      MemberId member,
      TileGroupName group,
      Action action) {
    this.line = line;
    this.memberCell = memberCell;
    this.groupCell = groupCell;
    this.actionCell = actionCell;
    this.member = member;
    this.group = group;
    this.action = action;
  }

  /** A valid row keeps its values only (its cells are the same text). */
  static AssignmentRow valid(int line, MemberId member, TileGroupName group, Action action) {
    return new AssignmentRow(line, member.value(), group.value(), null, member, group, action);
  }

  static AssignmentRow invalid(
      int line,
      String memberCell,
      String groupCell,
      String actionCell,
      String column,
      String reason) {
    AssignmentRow row =
        new AssignmentRow(line, memberCell, groupCell, actionCell, null, null, null);
    row.reject(column, reason);
    return row;
  }

  boolean isValid() {
    return outcome != Outcome.REJECTED;
  }

  Membership membership() {
    return new Membership(group, member);
  }

  void reject(String column, String reason) {
    this.outcome = Outcome.REJECTED;
    this.column = column;
    this.reason = reason;
    this.partiallyEnrolled = false;
  }

  void settle(Outcome outcome, String reason) {
    this.outcome = outcome;
    this.reason = reason;
  }
}
