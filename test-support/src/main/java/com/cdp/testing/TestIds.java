package com.cdp.testing;

import com.cdp.model.id.OrganizationId;
import java.util.concurrent.ThreadLocalRandom;

/** Fresh identifiers, so tests sharing the stand-ins never see each other's data. */
public final class TestIds {
  private TestIds() {}

  /** A random organization id such as {@code t-4f9c2a1b}. */
  public static OrganizationId org() {
    return OrganizationId.of(
        "t-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 32));
  }

  public static String suffix() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  }
}
