package com.cdp.groups.task;

import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What applying the valid rows would change, computed from the current state: which members get
 * partially enrolled (flagged on their first row), which rows add or remove a membership, and which
 * are no-ops. Each row's planned outcome is set on the row; applying may still turn a planned
 * change into a no-op when a concurrent run made it first.
 *
 * <p>The state is read in chunks of 100 keys, in parallel, and each chunk's answer is applied to
 * its rows and dropped: only the set of not-yet-enrolled members is kept.
 */
final class Plan {
  /**
   * Largest group read whole (its member ids are held while planning: about 10 MB at this size).
   */
  static final int WHOLE_GROUP_MAX = 100_000;

  final List<AssignmentRow> enrollments;
  final List<AssignmentRow> changes;

  private Plan(List<AssignmentRow> enrollments, List<AssignmentRow> changes) {
    this.enrollments = enrollments;
    this.changes = changes;
  }

  static Plan of(
      GroupStore store, OrganizationId org, List<AssignmentRow> validRows, int concurrency) {
    Set<MemberId> distinct = new LinkedHashSet<>();
    for (AssignmentRow row : validRows) {
      distinct.add(row.member);
    }
    Set<MemberId> notEnrolled = ConcurrentHashMap.newKeySet();
    Chunks.forEach(
        new ArrayList<>(distinct),
        concurrency,
        chunk -> {
          Map<MemberId, Enrollment> found = store.enrollments(org, chunk);
          for (MemberId member : chunk) {
            if (found.getOrDefault(member, Enrollment.NONE) == Enrollment.NONE) {
              notEnrolled.add(member);
            }
          }
        });
    distinct = null;
    // Groups with few members are read whole (a few Query pages); the rows of larger groups are
    // checked by key, 100 a BatchGetItem. Rows are unique per (member, group) here.
    Map<TileGroupName, Integer> rowsPerGroup = new HashMap<>();
    for (AssignmentRow row : validRows) {
      rowsPerGroup.merge(row.group, 1, Integer::sum);
    }
    Map<TileGroupName, Set<String>> wholeGroups = new HashMap<>();
    for (Map.Entry<TileGroupName, Integer> g : rowsPerGroup.entrySet()) {
      int max = Math.min(WHOLE_GROUP_MAX, Math.max(1_000, 2 * g.getValue()));
      store
          .memberIdsIfAtMost(org, g.getKey(), max)
          .ifPresent(ids -> wholeGroups.put(g.getKey(), ids));
    }
    List<AssignmentRow> byKey = new ArrayList<>();
    for (AssignmentRow row : validRows) {
      Set<String> members = wholeGroups.get(row.group);
      if (members == null) {
        byKey.add(row);
      } else {
        settle(row, members.contains(row.member.value()));
      }
    }
    wholeGroups.clear();
    // Each chunk settles only its own rows.
    Chunks.forEach(
        byKey,
        concurrency,
        chunk -> {
          List<Membership> keys = new ArrayList<>(chunk.size());
          chunk.forEach(r -> keys.add(r.membership()));
          Set<Membership> existing = store.existing(org, keys);
          for (AssignmentRow row : chunk) {
            settle(row, existing.contains(row.membership()));
          }
        });
    Set<MemberId> enrolling = new HashSet<>();
    List<AssignmentRow> enrollments = new ArrayList<>();
    List<AssignmentRow> changes = new ArrayList<>();
    for (AssignmentRow row : validRows) {
      if (notEnrolled.contains(row.member) && enrolling.add(row.member)) {
        row.partiallyEnrolled = true;
        enrollments.add(row);
      }
      if (row.outcome == Outcome.ADDED || row.outcome == Outcome.REMOVED) {
        changes.add(row);
      }
    }
    return new Plan(enrollments, changes);
  }

  private static void settle(AssignmentRow row, boolean member) {
    if (row.action == Action.ADD) {
      if (member) {
        row.settle(Outcome.UNCHANGED, "already in the tile group");
      } else {
        row.settle(Outcome.ADDED, null);
      }
    } else if (member) {
      row.settle(Outcome.REMOVED, null);
    } else {
      row.settle(Outcome.UNCHANGED, "not in the tile group (nothing to remove)");
    }
  }
}
