package com.cdp.links;

import com.cdp.model.id.OrganizationId;
import java.util.Set;

/**
 * Which organizations exist. In AWS: the environment's configured list ({@code ORGANIZATIONS});
 * locally: the organizations that have a data-delivery bucket.
 */
@FunctionalInterface
public interface OrganizationDirectory {
  boolean exists(OrganizationId organization);

  static OrganizationDirectory of(Set<String> organizations) {
    Set<String> known = Set.copyOf(organizations);
    return org -> known.contains(org.value());
  }
}
