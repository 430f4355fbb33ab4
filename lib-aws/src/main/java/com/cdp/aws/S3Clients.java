package com.cdp.aws;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds S3 clients. Checksums are computed only when an operation requires them: S3 accepts that,
 * and S3Proxy (the local stand-in) rejects the SDK's default trailing checksums. Path-style access
 * when an endpoint is overridden, since the stand-in has no virtual-host DNS.
 */
public final class S3Clients {
  private S3Clients() {}

  static boolean endpointFromEnvironment() {
    return System.getenv("AWS_ENDPOINT_URL_S3") != null
        || System.getenv("AWS_ENDPOINT_URL") != null;
  }

  public static S3Client s3(AwsTarget target) {
    return AwsClients.build(
        S3Client.builder()
            .forcePathStyle(target.endpoint().isPresent() || endpointFromEnvironment())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED),
        target);
  }
}
