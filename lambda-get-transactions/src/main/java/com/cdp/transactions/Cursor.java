package com.cdp.transactions;

import java.time.Instant;
import java.util.Objects;

/**
 * What a paging cursor says once verified: the sort key of the last transaction returned, the
 * account and filters it was issued for (as digests), when it expires, and how many items the
 * previous page evaluated and matched (a selectivity hint that sizes the next page's first read; it
 * only affects cost, never results).
 */
record Cursor(
    String position,
    String accountBinding,
    String filterDigest,
    Instant expiresAt,
    long evaluated,
    long matched) {
  public Cursor {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(accountBinding, "accountBinding");
    Objects.requireNonNull(filterDigest, "filterDigest");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (evaluated < 0 || matched < 0 || matched > evaluated) {
      throw new IllegalArgumentException("0 <= matched <= evaluated");
    }
  }
}
