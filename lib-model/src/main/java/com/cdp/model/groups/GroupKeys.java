package com.cdp.model.groups;

import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;

/**
 * Key formats of the groups table ({@code Tables.GROUPS}). Every key starts with the organization,
 * whose id cannot contain {@code #}, so item kinds and organizations never collide.
 *
 * <ul>
 *   <li>tile group definition: {@code pk=ORG#o#TILEGROUPS}, {@code sk=TILEGROUP#name} (one query
 *       lists an organization's groups)
 *   <li>member enrollment: {@code pk=ORG#o#MEMBER#m}, {@code sk=ENROLLMENT}; no item means none
 *   <li>group membership: {@code pk=ORG#o#GROUP#name}, {@code sk=MEMBER#m} (one query lists a
 *       group's members)
 *   <li>assignment run (one per uploaded object version): {@code pk=ORG#o#RUN#runId}, {@code
 *       sk=RUN}
 * </ul>
 */
public final class GroupKeys {
  public static final String ENROLLMENT_SK = "ENROLLMENT";
  public static final String RUN_SK = "RUN";
  public static final String TILE_GROUP_SK_PREFIX = "TILEGROUP#";
  public static final String MEMBER_SK_PREFIX = "MEMBER#";

  private GroupKeys() {}

  public static String tileGroupsPk(OrganizationId org) {
    return "ORG#" + org.value() + "#TILEGROUPS";
  }

  public static String tileGroupSk(TileGroupName name) {
    return TILE_GROUP_SK_PREFIX + name.value();
  }

  public static String memberPk(OrganizationId org, MemberId member) {
    return memberPk(org, member.value());
  }

  static String memberPk(OrganizationId org, String member) {
    return "ORG#" + org.value() + "#MEMBER#" + member;
  }

  public static String groupPk(OrganizationId org, TileGroupName group) {
    return "ORG#" + org.value() + "#GROUP#" + group.value();
  }

  public static String memberSk(MemberId member) {
    return MEMBER_SK_PREFIX + member.value();
  }

  public static String runPk(OrganizationId org, String runId) {
    return "ORG#" + org.value() + "#RUN#" + runId;
  }
}
