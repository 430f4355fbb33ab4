package com.cdp.local.platform.groups;

import com.cdp.groups.task.GroupDirectory;
import com.cdp.model.ValidationException;
import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.Membership;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The local seed of tile groups and members ({@code local/seed/groups.json}, format in
 * docs/group-assignment.md). Loading it is idempotent and only ever adds: existing tile groups keep
 * their description, enrolled members keep their enrollment, missing memberships are added.
 */
public record GroupSeed(List<Organization> organizations) {
  public static final String SOURCE = "local seed";

  /** One organization's tile groups and members. */
  public record Organization(String id, List<Group> tileGroups, List<Member> members) {
    public Organization {
      tileGroups = tileGroups == null ? List.of() : List.copyOf(tileGroups);
      members = members == null ? List.of() : List.copyOf(members);
    }
  }

  public record Group(String name, String description) {}

  /** {@code enrollment}: none, partial or full (default full); {@code groups}: tile group names. */
  public record Member(String id, String enrollment, List<String> groups) {
    public Member {
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }

  /** What loading changed: counts of items created now (0 when everything existed). */
  public record Loaded(
      int organizations, int tileGroupsCreated, int membersEnrolled, int membershipsAdded) {}

  public GroupSeed {
    organizations = organizations == null ? List.of() : List.copyOf(organizations);
  }

  /** Reads and checks a seed file; errors name the file and the entry. */
  public static GroupSeed read(Path file) {
    GroupSeed seed;
    try {
      seed = Json.read(Files.readString(file), GroupSeed.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot read the group seed " + file + ": " + e.getMessage(), e);
    }
    seed.check(file);
    return seed;
  }

  private void check(Path file) {
    for (Organization org : organizations) {
      String where = file + ": organization '" + org.id() + "'";
      try {
        OrganizationId.of(org.id());
        Set<String> names = new HashSet<>();
        for (Group g : org.tileGroups()) {
          names.add(TileGroupName.of(g.name()).value());
        }
        for (Member m : org.members()) {
          MemberId.of(m.id());
          if (m.enrollment() != null) {
            Enrollment.parse(m.enrollment());
          }
          for (String g : m.groups()) {
            if (!names.contains(g)) {
              throw new ValidationException(
                  "unknown_tile_group",
                  "member " + m.id() + " is in undefined tile group '" + g + "'");
            }
          }
        }
      } catch (ValidationException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
  }

  /** The organizations the seed names. */
  public List<OrganizationId> organizationIds() {
    return organizations.stream().map(o -> OrganizationId.of(o.id())).toList();
  }

  /** Adds what is missing; returns what it created. */
  public Loaded load(GroupDirectory directory) {
    int groups = 0;
    int enrolled = 0;
    int added = 0;
    List<OrganizationId> orgs = new ArrayList<>();
    for (Organization o : organizations) {
      OrganizationId org = OrganizationId.of(o.id());
      orgs.add(org);
      for (Group g : o.tileGroups()) {
        if (directory.defineTileGroup(org, TileGroupName.of(g.name()), g.description())) {
          groups++;
        }
      }
      for (Member m : o.members()) {
        MemberId member = MemberId.of(m.id());
        Enrollment enrollment =
            m.enrollment() == null ? Enrollment.FULL : Enrollment.parse(m.enrollment());
        if (directory.enrollIfNone(org, member, enrollment, SOURCE)) {
          enrolled++;
        }
        for (String g : m.groups()) {
          if (directory.addMember(org, new Membership(TileGroupName.of(g), member), SOURCE)) {
            added++;
          }
        }
      }
    }
    return new Loaded(orgs.size(), groups, enrolled, added);
  }
}
