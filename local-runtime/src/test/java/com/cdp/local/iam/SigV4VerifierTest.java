package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.iam.LocalCredentials.Credentials;
import com.cdp.local.iam.SigV4Verifier.Refusal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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

/** SigV4 verification of requests signed by the AWS SDK's own signer, and of tampered ones. */
class SigV4VerifierTest {
  private static final Instant NOW = Instant.parse("2026-12-03T13:00:00Z");
  private final LocalCredentials credentials = LocalCredentials.of(new byte[32]);
  private final Credentials loader =
      credentials.forFunction(
          "loader-role", "arn:aws:iam::000000000000:role/loader-role", "loader");
  private final SigV4Verifier verifier = new SigV4Verifier(credentials);
  private static final String BODY = "{\"TableName\":\"cdp-local-warehouse\"}";

  private AwsRequest signed(Credentials c, String body, Instant at) {
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("http://127.0.0.1:4567/"))
            .putHeader("X-Amz-Target", "DynamoDB_20120810.DescribeTable")
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
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
            .request();
    Map<String, List<String>> headers = new LinkedHashMap<>(out.headers());
    headers.put("Host", List.of("127.0.0.1:4567"));
    return new AwsRequest(
        "POST", "http", "/", Optional.empty(), headers, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRequestSignedWithTheFunctionsKeyIsVerifiedAsItsRole() {
    var result = verifier.verify(signed(loader, BODY, NOW), NOW);
    assertThat(result.verified()).isTrue();
    assertThat(result.principal().orElseThrow().roleName()).isEqualTo("loader-role");
    assertThat(result.principal().orElseThrow().sessionName()).isEqualTo("loader");
    assertThat(result.service()).isEqualTo("dynamodb");
  }

  @Test
  void aTamperedBodyIsRefused() {
    AwsRequest good = signed(loader, BODY, NOW);
    byte[] other = BODY.replace("warehouse", "links").getBytes(StandardCharsets.UTF_8);
    AwsRequest tampered =
        new AwsRequest(
            good.method(), good.scheme(), good.rawPath(), good.rawQuery(), good.headers(), other);
    // the SDK sends the payload hash: a different body no longer matches it
    assertThat(good.header("x-amz-content-sha256"))
        .contains(SigV4Verifier.sha256(BODY.getBytes(StandardCharsets.UTF_8)));
    assertThat(verifier.verify(tampered, NOW).refusal()).contains(Refusal.BODY_MISMATCH);
    // and with the hash header fixed up too, the signature no longer matches
    Map<String, List<String>> headers = new LinkedHashMap<>(good.headers());
    headers.put("x-amz-content-sha256", List.of(SigV4Verifier.sha256(other)));
    AwsRequest rehashed =
        new AwsRequest(
            good.method(), good.scheme(), good.rawPath(), good.rawQuery(), headers, other);
    assertThat(verifier.verify(rehashed, NOW).refusal()).contains(Refusal.BAD_SIGNATURE);
  }

  @Test
  void aTamperedSignatureIsRefused() {
    AwsRequest good = signed(loader, BODY, NOW);
    Map<String, List<String>> headers = new LinkedHashMap<>(good.headers());
    String auth = good.header("Authorization").orElseThrow();
    char last = auth.charAt(auth.length() - 1);
    headers.put(
        "Authorization", List.of(auth.substring(0, auth.length() - 1) + (last == '0' ? '1' : '0')));
    AwsRequest tampered =
        new AwsRequest(
            good.method(), good.scheme(), good.rawPath(), good.rawQuery(), headers, good.body());
    assertThat(verifier.verify(tampered, NOW).refusal()).contains(Refusal.BAD_SIGNATURE);
  }

  @Test
  void aTamperedSignedHeaderIsRefused() {
    AwsRequest good = signed(loader, BODY, NOW);
    Map<String, List<String>> headers = new LinkedHashMap<>(good.headers());
    headers.put("X-Amz-Target", List.of("DynamoDB_20120810.DeleteTable"));
    AwsRequest tampered =
        new AwsRequest(
            good.method(), good.scheme(), good.rawPath(), good.rawQuery(), headers, good.body());
    assertThat(verifier.verify(tampered, NOW).refusal()).contains(Refusal.BAD_SIGNATURE);
  }

  @Test
  void aWrongSecretIsRefused() {
    Credentials wrong =
        new Credentials(
            loader.accessKeyId(), loader.secretAccessKey() + "x", loader.sessionToken());
    assertThat(verifier.verify(signed(wrong, BODY, NOW), NOW).refusal())
        .contains(Refusal.BAD_SIGNATURE);
  }

  @Test
  void aStaleDateIsRefusedAndFifteenMinutesIsStillAccepted() {
    assertThat(
            verifier.verify(signed(loader, BODY, NOW.minus(Duration.ofMinutes(16))), NOW).refusal())
        .contains(Refusal.STALE);
    assertThat(
            verifier.verify(signed(loader, BODY, NOW.plus(Duration.ofMinutes(16))), NOW).refusal())
        .contains(Refusal.STALE);
    assertThat(
            verifier
                .verify(signed(loader, BODY, NOW.minus(Duration.ofMinutes(15))), NOW)
                .verified())
        .isTrue();
  }

  @Test
  void anUnknownKeyAnotherSessionTokenAndAnUnsignedRequestAreRefused() {
    Credentials stranger =
        LocalCredentials.of(new byte[] {1, 2, 3}).forFunction("loader-role", "arn", "loader");
    // same key id (same role and function), another platform's secret and token
    assertThat(stranger.accessKeyId()).isEqualTo(loader.accessKeyId());
    assertThat(verifier.verify(signed(stranger, BODY, NOW), NOW).refusal())
        .contains(Refusal.INVALID_TOKEN);
    Credentials unknown = new Credentials("ASIAUNKNOWN000000000", "s", Optional.of("t"));
    assertThat(verifier.verify(signed(unknown, BODY, NOW), NOW).refusal())
        .contains(Refusal.UNKNOWN_KEY);
    Credentials otherToken =
        new Credentials(loader.accessKeyId(), loader.secretAccessKey(), Optional.of("forged"));
    assertThat(verifier.verify(signed(otherToken, BODY, NOW), NOW).refusal())
        .contains(Refusal.INVALID_TOKEN);
    AwsRequest unsigned =
        new AwsRequest(
            "POST", "http", "/", Optional.empty(), Map.of("Host", List.of("x")), new byte[0]);
    assertThat(verifier.verify(unsigned, NOW).refusal()).contains(Refusal.UNSIGNED);
  }
}
