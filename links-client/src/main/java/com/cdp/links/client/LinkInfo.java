package com.cdp.links.client;

import java.time.Instant;

/**
 * A link as {@code GET /links/{code}} shows it. {@code status} is {@code active}, {@code expired},
 * {@code revoked}, {@code exhausted} (past its visit limit) or {@code purged} (expired long ago:
 * only the code is kept, so {@code url}, {@code expiresAt} and {@code visits} are null).
 */
public record LinkInfo(
    String code,
    String shortUrl,
    String host,
    String organizationId,
    String status,
    String url,
    Instant createdAt,
    Instant expiresAt,
    String createdBy,
    Long visits,
    Long maxVisits,
    Instant revokedAt) {}
