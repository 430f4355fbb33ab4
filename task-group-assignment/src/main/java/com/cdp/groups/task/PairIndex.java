package com.cdp.groups.task;

import java.util.Arrays;

/**
 * For each (member, tile group) of a file, the line of its first {@code add} row and of its first
 * {@code remove} row: what the duplicate and contradiction checks need, kept without holding the
 * rows. Exact (no hashing): entries are chained per member number ({@link MemberIds}), and a member
 * appears in few groups. About 20 bytes per distinct (member, group). Not thread-safe.
 */
final class PairIndex {
  private int[] head = new int[256]; // per member: 1 + its first entry, 0 if none
  private int[] group = new int[256];
  private int[] firstAdd = new int[256];
  private int[] firstRemove = new int[256];
  private int[] next = new int[256];
  private int entries;

  /**
   * Records a row; returns true if an earlier row of the same (member, group) had the same action
   * (this row is then a duplicate, unless the pair turns out contradicted).
   */
  boolean record(int member, int groupIndex, boolean add, int line) {
    int e = find(member, groupIndex);
    if (e < 0) {
      e = create(member, groupIndex);
    }
    int[] first = add ? firstAdd : firstRemove;
    if (first[e] != 0) {
      return true;
    }
    first[e] = line;
    return false;
  }

  /** The first add line of the pair, 0 if none (or the pair is unknown). */
  int firstAdd(int member, int groupIndex) {
    int e = find(member, groupIndex);
    return e < 0 ? 0 : firstAdd[e];
  }

  /** The first remove line of the pair, 0 if none (or the pair is unknown). */
  int firstRemove(int member, int groupIndex) {
    int e = find(member, groupIndex);
    return e < 0 ? 0 : firstRemove[e];
  }

  /** Pairs with both an add and a remove row. */
  int contradicted() {
    int n = 0;
    for (int e = 0; e < entries; e++) {
      if (firstAdd[e] != 0 && firstRemove[e] != 0) {
        n++;
      }
    }
    return n;
  }

  /** Per group index, the pairs without a contradiction (each has exactly one valid row). */
  int[] validPairsPerGroup(int groups) {
    int[] counts = new int[groups];
    for (int e = 0; e < entries; e++) {
      if (firstAdd[e] == 0 || firstRemove[e] == 0) {
        counts[group[e]]++;
      }
    }
    return counts;
  }

  private int find(int member, int groupIndex) {
    if (member >= head.length) {
      return -1;
    }
    for (int e = head[member] - 1; e >= 0; e = next[e] - 1) {
      if (group[e] == groupIndex) {
        return e;
      }
    }
    return -1;
  }

  private int create(int member, int groupIndex) {
    if (member >= head.length) {
      head = Arrays.copyOf(head, Math.max(member + 1, head.length + (head.length >> 1)));
    }
    if (entries == group.length) {
      int size = group.length + (group.length >> 1);
      group = Arrays.copyOf(group, size);
      firstAdd = Arrays.copyOf(firstAdd, size);
      firstRemove = Arrays.copyOf(firstRemove, size);
      next = Arrays.copyOf(next, size);
    }
    int e = entries++;
    group[e] = groupIndex;
    next[e] = head[member];
    head[member] = e + 1;
    return e;
  }
}
