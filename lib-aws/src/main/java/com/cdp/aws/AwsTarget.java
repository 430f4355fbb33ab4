package com.cdp.aws;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where AWS clients point: a region, credentials, and optionally one endpoint for a local stand-in.
 * In AWS the endpoint is empty and the SDK also honours {@code AWS_ENDPOINT_URL_<SERVICE>}.
 */
public record AwsTarget(Region region, AwsCredentialsProvider credentials, Optional<URI> endpoint) {
  public AwsTarget {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /**
   * The Lambda/ECS runtime's region ({@code AWS_REGION}, default us-east-1) and credential chain.
   */
  public static AwsTarget fromEnvironment() {
    String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
    return new AwsTarget(
        Region.of(region), DefaultCredentialsProvider.builder().build(), Optional.empty());
  }

  /** A local stand-in (dynalite, S3Proxy, the local gateway) with throwaway credentials. */
  public static AwsTarget local(URI endpoint) {
    return new AwsTarget(
        Region.US_EAST_1,
        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
        Optional.of(endpoint));
  }
}
