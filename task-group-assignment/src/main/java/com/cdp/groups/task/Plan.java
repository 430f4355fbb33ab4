package com.cdp.groups.task;

import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * What applying the valid rows would change, computed from the current state in one pass over the
 * file: which members get partially enrolled (flagged on their first valid row), which rows add or
 * remove a membership, and which are no-ops. Each row's planned outcome goes into {@link Outcomes};
 * the plan itself keeps only the members to enroll (two ints each).
 *
 * <p>The state is read in chunks of 100 keys, {@code concurrency} chunks in parallel, a window of
 * rows at a time; each answer is recorded and dropped. Groups with few members are read whole
 * first, into a bit per member number of the file.
 */
final class Plan {
  /**
   * Largest group read whole (its member ids are held while it is read: about 10 MB at this size).
   */
  static final int WHOLE_GROUP_MAX = 100_000;

  /** Member numbers to enroll partially, and the row each is flagged on (same order). */
  final IntList enrollMembers = new IntList();

  final IntList enrollRows = new IntList();
  long changes;

  private Plan() {}

  static Plan of(
      GroupStore store, OrganizationId org, FilePasses passes, Outcomes outcomes, int concurrency) {
    RowIndex index = passes.index();
    List<TileGroupName> groups = index.groups();
    int[] rowsPerGroup = index.validRowsPerGroup();
    BitSet[] wholeGroups = new BitSet[groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      if (rowsPerGroup[g] == 0) {
        continue;
      }
      int max = Math.min(WHOLE_GROUP_MAX, Math.max(1_000, 2 * rowsPerGroup[g]));
      Optional<Set<String>> members = store.memberIdsIfAtMost(org, groups.get(g), max);
      if (members.isPresent()) {
        BitSet bits = new BitSet(index.members.size());
        for (String id : members.get()) {
          int number = index.members.find(id);
          if (number >= 0) {
            bits.set(number);
          }
        }
        wholeGroups[g] = bits;
      }
    }
    Plan plan = new Plan();
    ExecutorService pool = Chunks.pool(concurrency, "group-plan-read");
    try {
      Window window = new Window(plan, store, org, outcomes, pool, concurrency * Chunks.SIZE);
      BitSet seen = new BitSet(index.members.size());
      passes.forEach(
          row -> {
            if (!row.isValid()) {
              return true;
            }
            if (!seen.get(row.memberNumber)) {
              seen.set(row.memberNumber);
              window.enroll.add(row);
            }
            BitSet whole = wholeGroups[index.groupNumber(row.group)];
            if (whole == null) {
              window.byKey.add(row);
            } else {
              plan.settle(outcomes, row.ordinal, row.action, whole.get(row.memberNumber));
            }
            window.flushIfFull();
            return true;
          });
      window.flush();
    } finally {
      pool.shutdownNow();
    }
    return plan;
  }

  private void settle(Outcomes outcomes, int ordinal, Action action, boolean member) {
    Outcome outcome;
    if (action == Action.ADD) {
      outcome = member ? Outcome.UNCHANGED : Outcome.ADDED;
    } else {
      outcome = member ? Outcome.REMOVED : Outcome.UNCHANGED;
    }
    outcomes.set(ordinal, outcome);
    if (outcome != Outcome.UNCHANGED) {
      synchronized (this) {
        changes++;
      }
    }
  }

  /** The rows whose state is still to be read: at most {@code size} of each kind. */
  private static final class Window {
    final List<AssignmentRow> enroll = new ArrayList<>();
    final List<AssignmentRow> byKey = new ArrayList<>();
    private final Plan plan;
    private final GroupStore store;
    private final OrganizationId org;
    private final Outcomes outcomes;
    private final ExecutorService pool;
    private final int size;

    Window(
        Plan plan,
        GroupStore store,
        OrganizationId org,
        Outcomes outcomes,
        ExecutorService pool,
        int size) {
      this.plan = plan;
      this.store = store;
      this.org = org;
      this.outcomes = outcomes;
      this.pool = pool;
      this.size = size;
    }

    void flushIfFull() {
      if (enroll.size() >= size || byKey.size() >= size) {
        flush();
      }
    }

    void flush() {
      boolean[] notEnrolled = new boolean[enroll.size()];
      List<Integer> positions = new ArrayList<>(enroll.size());
      for (int i = 0; i < enroll.size(); i++) {
        positions.add(i);
      }
      Chunks.forEach(
          positions,
          pool,
          chunk -> {
            List<MemberId> members = new ArrayList<>(chunk.size());
            chunk.forEach(i -> members.add(enroll.get(i).member));
            Map<MemberId, Enrollment> found = store.enrollments(org, members);
            for (int i : chunk) {
              notEnrolled[i] =
                  found.getOrDefault(enroll.get(i).member, Enrollment.NONE) == Enrollment.NONE;
            }
          });
      // In file order: the first valid row of each member not yet enrolled is flagged.
      for (int i = 0; i < enroll.size(); i++) {
        if (notEnrolled[i]) {
          AssignmentRow row = enroll.get(i);
          outcomes.partiallyEnrolled(row.ordinal, true);
          plan.enrollMembers.add(row.memberNumber);
          plan.enrollRows.add(row.ordinal);
        }
      }
      Chunks.forEach(
          byKey,
          pool,
          chunk -> {
            List<Membership> keys = new ArrayList<>(chunk.size());
            chunk.forEach(r -> keys.add(r.membership()));
            Set<Membership> existing = store.existing(org, keys);
            for (AssignmentRow row : chunk) {
              plan.settle(outcomes, row.ordinal, row.action, existing.contains(row.membership()));
            }
          });
      enroll.clear();
      byKey.clear();
    }
  }

  /** A growable list of ints (4 bytes each). */
  static final class IntList {
    private int[] values = new int[64];
    private int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size + (size >> 1));
      }
      values[size++] = value;
    }

    int get(int i) {
      return values[i];
    }

    int size() {
      return size;
    }
  }
}
