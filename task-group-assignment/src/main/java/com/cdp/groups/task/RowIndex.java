package com.cdp.groups.task;

import com.cdp.model.groups.TileGroupName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a file checked against each other without holding them (CONTRACTS 1b): a repeated
 * (member, group, action) is a duplicate of its first line; add and remove of the same (member,
 * group) contradict each other and every row of that pair is rejected. The first pass {@link #add}s
 * every row valid on its own; later passes {@link #check} each such row, which then also carries
 * its member's number.
 */
final class RowIndex {
  private final List<TileGroupName> groups;
  private final Map<TileGroupName, Integer> groupNumbers = new HashMap<>();
  final MemberIds members = new MemberIds();
  private final PairIndex pairs = new PairIndex();
  private long duplicates;

  RowIndex(List<TileGroupName> groups) {
    this.groups = List.copyOf(groups);
    for (int i = 0; i < this.groups.size(); i++) {
      groupNumbers.put(this.groups.get(i), i);
    }
  }

  List<TileGroupName> groups() {
    return groups;
  }

  int groupNumber(TileGroupName group) {
    return groupNumbers.get(group);
  }

  /** First pass: a row valid on its own. */
  void add(AssignmentRow row) {
    int member = members.intern(row.member.value());
    if (pairs.record(member, groupNumber(row.group), row.action == Action.ADD, row.line)) {
      duplicates++;
    }
  }

  /** Rows valid on their own that the cross-check rejects (known after the first pass). */
  long rejected() {
    // Duplicates were counted as they came; a contradicted pair also loses its two first rows.
    return duplicates + 2L * pairs.contradicted();
  }

  /** Per group number, the rows that stay valid after the cross-check. */
  int[] validRowsPerGroup() {
    return pairs.validPairsPerGroup(groups.size());
  }

  /**
   * Later passes: rejects {@code row} (valid on its own, added in the first pass) if it is a
   * duplicate or contradicted, and sets its member number.
   */
  void check(AssignmentRow row) {
    int member = members.find(row.member.value());
    if (member < 0) {
      throw new IllegalStateException("line " + row.line + " was not read in the first pass");
    }
    row.memberNumber = member;
    int group = groupNumber(row.group);
    int firstAdd = pairs.firstAdd(member, group);
    int firstRemove = pairs.firstRemove(member, group);
    if (firstAdd > 0 && firstRemove > 0) {
      row.reject(
          "action",
          "contradiction: line "
              + firstAdd
              + " adds and line "
              + firstRemove
              + " removes member "
              + row.member.value()
              + " in tile group '"
              + row.group.value()
              + "'");
    } else {
      int first = row.action == Action.ADD ? firstAdd : firstRemove;
      if (first != row.line) {
        row.reject(null, "duplicate of line " + first);
      }
    }
  }
}
