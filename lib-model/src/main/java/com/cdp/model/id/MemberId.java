package com.cdp.model.id;

/** A member identifier within an organization: 1-64 characters of [A-Za-z0-9_-]. */
public record MemberId(String value) {
  public MemberId {
    Ids.check("member_id", value, Ids.SIMPLE, "1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
  }

  public static MemberId of(String value) {
    return new MemberId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
