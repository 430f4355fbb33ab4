package com.cdp.groups.task;

import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroup;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The group data the task reads and changes. Every change is idempotent and reports whether this
 * call made it. Production: {@link #of(GroupDirectory)} over DynamoDB.
 */
interface GroupStore {
  List<TileGroupName> tileGroups(OrganizationId org);

  Map<MemberId, Enrollment> enrollments(OrganizationId org, Collection<MemberId> members);

  Set<Membership> existing(OrganizationId org, Collection<Membership> memberships);

  /** The group's member ids if it has at most {@code max} members, else empty. */
  Optional<Set<String>> memberIdsIfAtMost(OrganizationId org, TileGroupName group, int max);

  boolean enrollPartiallyIfNone(OrganizationId org, MemberId member, String source);

  boolean addMember(OrganizationId org, Membership membership, String source);

  boolean removeMember(OrganizationId org, Membership membership);

  /**
   * Writes planned changes (at most 25 in all) unconditionally; only while holding the
   * organization's apply lock.
   */
  void writePlanned(
      OrganizationId org,
      List<MemberId> partialEnrollments,
      List<Membership> adds,
      List<Membership> removes,
      String source);

  /** Takes (or renews) the organization's apply lock until {@code until}; false while held. */
  boolean tryLockApply(OrganizationId org, String holder, Instant until);

  void unlockApply(OrganizationId org, String holder);

  static GroupStore of(GroupDirectory directory) {
    return new GroupStore() {
      @Override
      public List<TileGroupName> tileGroups(OrganizationId org) {
        return directory.tileGroups(org).stream().map(TileGroup::name).toList();
      }

      @Override
      public Map<MemberId, Enrollment> enrollments(
          OrganizationId org, Collection<MemberId> members) {
        return directory.enrollments(org, members);
      }

      @Override
      public Set<Membership> existing(OrganizationId org, Collection<Membership> memberships) {
        return directory.existing(org, memberships);
      }

      @Override
      public Optional<Set<String>> memberIdsIfAtMost(
          OrganizationId org, TileGroupName group, int max) {
        return directory.memberIdsIfAtMost(org, group, max);
      }

      @Override
      public boolean enrollPartiallyIfNone(OrganizationId org, MemberId member, String source) {
        return directory.enrollPartiallyIfNone(org, member, source);
      }

      @Override
      public boolean addMember(OrganizationId org, Membership membership, String source) {
        return directory.addMember(org, membership, source);
      }

      @Override
      public boolean removeMember(OrganizationId org, Membership membership) {
        return directory.removeMember(org, membership);
      }

      @Override
      public void writePlanned(
          OrganizationId org,
          List<MemberId> partialEnrollments,
          List<Membership> adds,
          List<Membership> removes,
          String source) {
        directory.writePlanned(org, partialEnrollments, adds, removes, source);
      }

      @Override
      public boolean tryLockApply(OrganizationId org, String holder, Instant until) {
        return directory.tryLockApply(org, holder, until);
      }

      @Override
      public void unlockApply(OrganizationId org, String holder) {
        directory.unlockApply(org, holder);
      }
    };
  }
}
