package com.cdp.groups.task;

import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.time.Instant;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link GroupStore} in memory for members named {@code m-<number>}, a bit per enrollment and per
 * membership: a million memberships take 0.5 MB, so a probe in a small heap measures the task's
 * memory, not the stand-in's. Other member ids are refused. Thread-safe (one lock).
 */
final class CompactGroupStore implements GroupStore {
  private final List<TileGroupName> groups;
  private final Map<TileGroupName, Integer> numbers = new HashMap<>();
  private final BitSet enrolled = new BitSet();
  private final BitSet members = new BitSet();
  private String lock;
  long batchWrites;

  CompactGroupStore(List<TileGroupName> groups) {
    this.groups = List.copyOf(groups);
    for (int i = 0; i < groups.size(); i++) {
      numbers.put(groups.get(i), i);
    }
  }

  private static int number(MemberId member) {
    String id = member.value();
    if (!id.startsWith("m-")) {
      throw new IllegalArgumentException("CompactGroupStore holds m-<number> members only: " + id);
    }
    return Integer.parseInt(id.substring(2));
  }

  private int bit(Membership m) {
    return number(m.member()) * groups.size() + numbers.get(m.group());
  }

  @Override
  public List<TileGroupName> tileGroups(OrganizationId org) {
    return groups;
  }

  @Override
  public synchronized Map<MemberId, Enrollment> enrollments(
      OrganizationId org, Collection<MemberId> wanted) {
    Map<MemberId, Enrollment> found = new HashMap<>();
    for (MemberId m : wanted) {
      if (enrolled.get(number(m))) {
        found.put(m, Enrollment.PARTIAL);
      }
    }
    return found;
  }

  @Override
  public synchronized Set<Membership> existing(OrganizationId org, Collection<Membership> wanted) {
    Set<Membership> found = new HashSet<>();
    for (Membership m : wanted) {
      if (members.get(bit(m))) {
        found.add(m);
      }
    }
    return found;
  }

  @Override
  public synchronized Optional<Set<String>> memberIdsIfAtMost(
      OrganizationId org, TileGroupName group, int max) {
    int g = numbers.get(group);
    Set<String> ids = new HashSet<>();
    for (int b = members.nextSetBit(0); b >= 0; b = members.nextSetBit(b + 1)) {
      if (b % groups.size() == g) {
        if (ids.size() == max) {
          return Optional.empty();
        }
        ids.add("m-" + b / groups.size());
      }
    }
    return Optional.of(ids);
  }

  @Override
  public synchronized boolean enrollPartiallyIfNone(
      OrganizationId org, MemberId member, String source) {
    boolean was = enrolled.get(number(member));
    enrolled.set(number(member));
    return !was;
  }

  @Override
  public synchronized boolean addMember(OrganizationId org, Membership m, String source) {
    boolean was = members.get(bit(m));
    members.set(bit(m));
    return !was;
  }

  @Override
  public synchronized boolean removeMember(OrganizationId org, Membership m) {
    boolean was = members.get(bit(m));
    members.clear(bit(m));
    return was;
  }

  @Override
  public synchronized void writePlanned(
      OrganizationId org,
      List<MemberId> partialEnrollments,
      List<Membership> adds,
      List<Membership> removes,
      String source) {
    batchWrites++;
    partialEnrollments.forEach(m -> enrolled.set(number(m)));
    adds.forEach(m -> members.set(bit(m)));
    removes.forEach(m -> members.clear(bit(m)));
  }

  @Override
  public synchronized boolean tryLockApply(OrganizationId org, String holder, Instant until) {
    if (lock == null || lock.equals(holder)) {
      lock = holder;
      return true;
    }
    return false;
  }

  @Override
  public synchronized void unlockApply(OrganizationId org, String holder) {
    if (holder.equals(lock)) {
      lock = null;
    }
  }
}
