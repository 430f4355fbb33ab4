package com.cdp.groups.task;

import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Delegates everything; tests override one call to inject a fault. */
class ForwardingGroupStore implements GroupStore {
  private final GroupStore delegate;

  ForwardingGroupStore(GroupStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<TileGroupName> tileGroups(OrganizationId org) {
    return delegate.tileGroups(org);
  }

  @Override
  public Map<MemberId, Enrollment> enrollments(OrganizationId org, Collection<MemberId> members) {
    return delegate.enrollments(org, members);
  }

  @Override
  public Set<Membership> existing(OrganizationId org, Collection<Membership> memberships) {
    return delegate.existing(org, memberships);
  }

  @Override
  public java.util.Optional<Set<String>> memberIdsIfAtMost(
      OrganizationId org, TileGroupName group, int max) {
    return delegate.memberIdsIfAtMost(org, group, max);
  }

  @Override
  public boolean enrollPartiallyIfNone(OrganizationId org, MemberId member, String source) {
    return delegate.enrollPartiallyIfNone(org, member, source);
  }

  @Override
  public boolean addMember(OrganizationId org, Membership membership, String source) {
    return delegate.addMember(org, membership, source);
  }

  @Override
  public boolean removeMember(OrganizationId org, Membership membership) {
    return delegate.removeMember(org, membership);
  }

  @Override
  public void writePlanned(
      OrganizationId org,
      List<MemberId> partialEnrollments,
      List<Membership> adds,
      List<Membership> removes,
      String source) {
    delegate.writePlanned(org, partialEnrollments, adds, removes, source);
  }

  @Override
  public boolean tryLockApply(OrganizationId org, String holder, java.time.Instant until) {
    return delegate.tryLockApply(org, holder, until);
  }

  @Override
  public void unlockApply(OrganizationId org, String holder) {
    delegate.unlockApply(org, holder);
  }
}
