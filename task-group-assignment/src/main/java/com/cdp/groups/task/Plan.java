package com.cdp.groups.task;

import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What applying the valid rows would change, computed from the current state: which members get
 * partially enrolled (flagged on their first row), which rows add or remove a membership, and which
 * are no-ops. Each row's planned outcome is set on the row; applying may still turn a planned
 * change into a no-op when a concurrent run made it first.
 */
final class Plan {
  final List<AssignmentRow> enrollments;
  final List<AssignmentRow> changes;

  private Plan(List<AssignmentRow> enrollments, List<AssignmentRow> changes) {
    this.enrollments = enrollments;
    this.changes = changes;
  }

  static Plan of(
      GroupStore store, OrganizationId org, List<AssignmentRow> validRows, int concurrency) {
    Set<MemberId> members = new LinkedHashSet<>();
    List<Membership> memberships = new ArrayList<>(validRows.size());
    for (AssignmentRow row : validRows) {
      members.add(row.member);
      memberships.add(row.membership());
    }
    Map<MemberId, Enrollment> enrolled = new HashMap<>();
    for (Map.Entry<MemberId, Enrollment> e :
        ParallelReads.read(
            new ArrayList<>(members),
            concurrency,
            chunk -> store.enrollments(org, chunk).entrySet())) {
      enrolled.put(e.getKey(), e.getValue());
    }
    Set<Membership> existing =
        new HashSet<>(
            ParallelReads.read(memberships, concurrency, chunk -> store.existing(org, chunk)));
    Set<MemberId> enrolling = new HashSet<>();
    List<AssignmentRow> enrollments = new ArrayList<>();
    List<AssignmentRow> changes = new ArrayList<>();
    for (AssignmentRow row : validRows) {
      if (enrolled.getOrDefault(row.member, Enrollment.NONE) == Enrollment.NONE
          && enrolling.add(row.member)) {
        row.partiallyEnrolled = true;
        enrollments.add(row);
      }
      boolean member = existing.contains(row.membership());
      if (row.action == Action.ADD) {
        if (member) {
          row.settle(Outcome.UNCHANGED, "already in the tile group");
        } else {
          row.settle(Outcome.ADDED, null);
          changes.add(row);
        }
      } else {
        if (member) {
          row.settle(Outcome.REMOVED, null);
          changes.add(row);
        } else {
          row.settle(Outcome.UNCHANGED, "not in the tile group (nothing to remove)");
        }
      }
    }
    return new Plan(enrollments, changes);
  }
}
