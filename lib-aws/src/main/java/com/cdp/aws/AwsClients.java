package com.cdp.aws;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one place AWS SDK clients are built: the lightweight URLConnection HTTP client, explicit
 * timeouts, region and credentials from an {@link AwsTarget}. Build clients once per container.
 */
public final class AwsClients {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  private AwsClients() {}

  public static SdkHttpClient httpClient() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(SOCKET_TIMEOUT)
        .build();
  }

  /**
   * Applies the platform's settings to any synchronous client builder, e.g. {@code
   * AwsClients.build(SnsClient.builder(), target)}.
   */
  public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(
      B builder, AwsTarget target) {
    builder
        .httpClient(httpClient())
        .region(target.region())
        .credentialsProvider(target.credentials())
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .apiCallTimeout(API_CALL_TIMEOUT)
                .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT)
                .build());
    target.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static DynamoDbClient dynamoDb(AwsTarget target) {
    return build(DynamoDbClient.builder(), target);
  }
}
