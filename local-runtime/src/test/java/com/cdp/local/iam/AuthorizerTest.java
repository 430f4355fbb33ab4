package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.iam.IamPolicies.Role;
import com.cdp.local.iam.LocalCredentials.Credentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The front door's decisions on the real template's roles, repeated: a decision it remembers must
 * never answer a request whose condition keys differ from the one it was made for.
 */
class AuthorizerTest {
  private static final Instant NOW = Instant.parse("2026-12-03T13:00:00Z");
  private final LocalCredentials credentials = LocalCredentials.of(new byte[32]);
  private final AccessLog log = new AccessLog();
  private final Authorizer authorizer =
      new Authorizer(
          IamMode.ENFORCE,
          RealTemplate.policies(),
          credentials,
          FrontDoor.actions(RealTemplate.template(), RealTemplate.policies()),
          log,
          Clock.fixed(NOW, ZoneOffset.UTC));

  private Credentials as(String module) {
    String function = RealTemplate.function(module).name();
    Role role = RealTemplate.policies().roleOfFunction(function).orElseThrow();
    return credentials.forFunction(role.name(), role.arn(), function);
  }

  private static AwsRequest signed(Credentials c, String operation, String body) {
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("http://127.0.0.1:4567/"))
            .putHeader("X-Amz-Target", "DynamoDB_20120810." + operation)
            .putHeader("Content-Type", "application/x-amz-json-1.0")
            .contentStreamProvider(ContentStreamProvider.fromUtf8String(body))
            .build();
    SdkHttpRequest out =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.request(request)
                        .payload(request.contentStreamProvider().orElseThrow())
                        .identity(
                            AwsSessionCredentialsIdentity.create(
                                c.accessKeyId(),
                                c.secretAccessKey(),
                                c.sessionToken().orElseThrow()))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)))
            .request();
    Map<String, List<String>> headers = new LinkedHashMap<>(out.headers());
    headers.put("Host", List.of("127.0.0.1:4567"));
    return new AwsRequest(
        "POST", "http", "/", Optional.empty(), headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String putOnRealtime(String partitionKey) {
    return "{\"TableName\":\"cdp-local-realtime\",\"Item\":{\"pk\":{\"S\":\""
        + partitionKey
        + "\"},\"sk\":{\"S\":\"x\"}}}";
  }

  @Test
  void anAllowedLeadingKeyDoesNotLetAnotherKeyOnTheSameTableThrough() {
    Credentials relay = as("lambda-relay-message");
    for (int i = 0; i < 3; i++) {
      assertThat(
              authorizer
                  .decide(signed(relay, "PutItem", putOnRealtime("EVENT#tcu#src#" + i)))
                  .forward())
          .as("EVENT# keys are granted to the relay (call %d)", i)
          .isTrue();
      Authorizer.Outcome denied =
          authorizer.decide(signed(relay, "PutItem", putOnRealtime("ORG#tcu#MEMBER#" + i)));
      assertThat(denied.forward())
          .as("ORG# keys are not granted for PutItem (call %d)", i)
          .isFalse();
      assertThat(new String(denied.answer().orElseThrow().body(), StandardCharsets.UTF_8))
          .contains("AccessDeniedException", "dynamodb:PutItem", RealTemplate.table("realtime"));
    }
    assertThat(log.deniedCount()).isEqualTo(3);
  }

  @Test
  void theLoadersBatchesAreAllowedEveryTime_andAnotherTableInTheBatchIsDeniedEveryTime() {
    Credentials loader = as("lambda-txn-loader");
    String warehouseOnly =
        """
        {"RequestItems":{"cdp-local-warehouse":[
          {"PutRequest":{"Item":{"pk":{"S":"ORG#tcu#ACCT#%d"},"sk":{"S":"T#1"},"amount":{"N":"1"}}}}]}}
        """;
    String withLinks =
        """
        {"RequestItems":{"cdp-local-warehouse":[
          {"PutRequest":{"Item":{"pk":{"S":"ORG#tcu#ACCT#%d"},"sk":{"S":"T#1"}}}}],
          "cdp-local-links":[{"PutRequest":{"Item":{"pk":{"S":"LINK#x"}}}}]}}
        """;
    for (int i = 0; i < 3; i++) {
      assertThat(
              authorizer
                  .decide(signed(loader, "BatchWriteItem", warehouseOnly.formatted(i)))
                  .forward())
          .isTrue();
      Authorizer.Outcome denied =
          authorizer.decide(signed(loader, "BatchWriteItem", withLinks.formatted(i)));
      assertThat(denied.forward()).isFalse();
      assertThat(new String(denied.answer().orElseThrow().body(), StandardCharsets.UTF_8))
          .contains("dynamodb:BatchWriteItem on resource: " + RealTemplate.table("links"));
    }
    assertThat(log.deniedCount()).isEqualTo(3);
  }
}
