package com.cdp.model.session;

import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import java.time.Instant;
import java.util.Objects;

/**
 * An end user's session: which member of which organization it speaks for, and until when. {@code
 * id} is the SHA-256 of the token (hex); the token itself is never stored.
 */
public record Session(
    String id, OrganizationId organization, MemberId member, Instant createdAt, Instant expiresAt) {
  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
