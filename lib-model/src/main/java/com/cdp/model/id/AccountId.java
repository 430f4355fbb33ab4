package com.cdp.model.id;

/** A account identifier within an organization: 1-64 characters of [A-Za-z0-9_-]. */
public record AccountId(String value) {
  public AccountId {
    Ids.check("account_id", value, Ids.SIMPLE, "1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
  }

  public static AccountId of(String value) {
    return new AccountId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
