package com.cdp.model.id;

/** A credit union: 2-32 characters of lowercase letters, digits and '-'. */
public record OrganizationId(String value) {
  public OrganizationId {
    Ids.check("organization_id", value, Ids.ORG, "2-32 lowercase letters, digits or '-'");
  }

  public static OrganizationId of(String value) {
    return new OrganizationId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
