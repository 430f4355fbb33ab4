package com.cdp.model.config;

import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import java.util.Optional;

/**
 * Bucket naming. Each organization has its own data-delivery bucket, and the organization of an
 * uploaded file is decided by the bucket it lands in, never by the file's content.
 *
 * <p>Locally the bucket is {@code ORG-data-delivery}; in AWS {@code cdp-ENV-ORG-data-delivery}.
 */
public record Buckets(String environment) {
  public static final String DATA_DELIVERY_SUFFIX = "-data-delivery";

  public static Buckets of(String environment) {
    return new Buckets(environment);
  }

  private String prefix() {
    return environment.equals("local") ? "" : "cdp-" + environment + "-";
  }

  public String dataDelivery(OrganizationId org) {
    return prefix() + org.value() + DATA_DELIVERY_SUFFIX;
  }

  /** The bucket that holds platform logs (the Firehose destination). */
  public String logs() {
    return "cdp-" + environment + "-logs";
  }

  /** The organization that owns a data-delivery bucket, or empty when the name is not one. */
  public Optional<OrganizationId> organizationOf(String bucket) {
    if (bucket == null || !bucket.startsWith(prefix()) || !bucket.endsWith(DATA_DELIVERY_SUFFIX)) {
      return Optional.empty();
    }
    String org =
        bucket.substring(prefix().length(), bucket.length() - DATA_DELIVERY_SUFFIX.length());
    try {
      return Optional.of(OrganizationId.of(org));
    } catch (ValidationException e) {
      return Optional.empty();
    }
  }
}
