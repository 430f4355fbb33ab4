package com.cdp.groups.task;

import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link GroupStore} in memory, for one organization; thread-safe like DynamoDB. */
final class InMemoryGroupStore implements GroupStore {
  private final List<TileGroupName> groups;
  final Map<MemberId, Enrollment> enrollments = new ConcurrentHashMap<>();
  final Set<Membership> memberships = ConcurrentHashMap.newKeySet();

  InMemoryGroupStore(List<TileGroupName> groups) {
    this.groups = List.copyOf(groups);
  }

  @Override
  public List<TileGroupName> tileGroups(OrganizationId org) {
    return groups;
  }

  @Override
  public Map<MemberId, Enrollment> enrollments(OrganizationId org, Collection<MemberId> members) {
    Map<MemberId, Enrollment> found = new HashMap<>();
    for (MemberId m : members) {
      Enrollment e = enrollments.get(m);
      if (e != null) {
        found.put(m, e);
      }
    }
    return found;
  }

  @Override
  public Set<Membership> existing(OrganizationId org, Collection<Membership> wanted) {
    Set<Membership> found = new HashSet<>();
    for (Membership m : wanted) {
      if (memberships.contains(m)) {
        found.add(m);
      }
    }
    return found;
  }

  @Override
  public java.util.Optional<Set<String>> memberIdsIfAtMost(
      OrganizationId org, TileGroupName group, int max) {
    Set<String> ids = new HashSet<>();
    for (Membership m : memberships) {
      if (m.group().equals(group)) {
        ids.add(m.member().value());
      }
    }
    return ids.size() > max ? java.util.Optional.empty() : java.util.Optional.of(ids);
  }

  @Override
  public boolean enrollPartiallyIfNone(OrganizationId org, MemberId member, String source) {
    return enrollments.putIfAbsent(member, Enrollment.PARTIAL) == null;
  }

  @Override
  public boolean addMember(OrganizationId org, Membership membership, String source) {
    return memberships.add(membership);
  }

  @Override
  public boolean removeMember(OrganizationId org, Membership membership) {
    return memberships.remove(membership);
  }

  private final Map<OrganizationId, String> locks = new ConcurrentHashMap<>();

  @Override
  public void writePlanned(
      OrganizationId org,
      List<MemberId> partialEnrollments,
      List<Membership> adds,
      List<Membership> removes,
      String source) {
    partialEnrollments.forEach(m -> enrollments.put(m, Enrollment.PARTIAL));
    memberships.addAll(adds);
    removes.forEach(memberships::remove);
  }

  @Override
  public boolean tryLockApply(OrganizationId org, String holder, java.time.Instant until) {
    return holder.equals(locks.computeIfAbsent(org, o -> holder));
  }

  @Override
  public void unlockApply(OrganizationId org, String holder) {
    locks.remove(org, holder);
  }
}
