package com.cdp.model.groups;

import com.cdp.model.id.MemberId;
import java.util.Objects;

/** A member in a tile group (of one organization). */
public record Membership(TileGroupName group, MemberId member) {
  public Membership {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(member, "member");
  }
}
