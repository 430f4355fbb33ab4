package com.cdp.links;

import com.cdp.model.id.OrganizationId;
import java.util.Optional;

/**
 * Where a link resolves: on the bare short domain (no organization) or only on one organization's
 * host {@code ORG.<short domain>}. Codes are unique per scope.
 */
public record LinkScope(Optional<OrganizationId> organization) {
  public static final LinkScope BARE = new LinkScope(Optional.empty());

  public LinkScope {
    organization = organization == null ? Optional.empty() : organization;
  }

  public static LinkScope of(OrganizationId org) {
    return new LinkScope(Optional.of(org));
  }

  /** The scope's part of the item key: the organization id, or {@code _} (never a valid id). */
  public String key() {
    return organization.map(OrganizationId::value).orElse("_");
  }

  @Override
  public String toString() {
    return organization.map(o -> "org " + o.value()).orElse("bare domain");
  }
}
