package com.cdp.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.config.Buckets;
import com.cdp.model.id.OrganizationId;
import org.junit.jupiter.api.Test;

class BucketsTest {
  @Test
  void dataDeliveryBucket_roundTripsToItsOrganization_locallyAndInAws() {
    OrganizationId org = OrganizationId.of("credit-union-1");
    for (String env : new String[] {"local", "dev", "prodadp"}) {
      Buckets buckets = Buckets.of(env);
      assertThat(buckets.organizationOf(buckets.dataDelivery(org))).contains(org);
    }
    assertThat(Buckets.of("local").dataDelivery(OrganizationId.of("tcu")))
        .isEqualTo("tcu-data-delivery");
  }

  @Test
  void organizationOf_otherBuckets_isEmpty() {
    assertThat(Buckets.of("dev").organizationOf("cdp-prod-tcu-data-delivery")).isEmpty();
    assertThat(Buckets.of("local").organizationOf("cdp-local-logs")).isEmpty();
    assertThat(Buckets.of("local").organizationOf("BAD_-data-delivery")).isEmpty();
  }
}
