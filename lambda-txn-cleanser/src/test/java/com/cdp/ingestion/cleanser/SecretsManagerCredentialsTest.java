package com.cdp.ingestion.cleanser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.model.json.Json;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The credentials source through the real SDK against a Secrets Manager endpoint that WireMock
 * answers.
 */
class SecretsManagerCredentialsTest {
  private static final String TARGET = "secretsmanager.GetSecretValue";
  private WireMockServer endpoint;
  private SecretsManagerClient secrets;
  private Instant now = Instant.parse("2026-11-28T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  @BeforeEach
  void start() {
    endpoint = new WireMockServer(options().dynamicPort());
    endpoint.start();
    secrets =
        AwsClients.build(
            SecretsManagerClient.builder(), AwsTarget.local(URI.create(endpoint.baseUrl())));
  }

  @AfterEach
  void stop() {
    secrets.close();
    endpoint.stop();
  }

  private void secretValue(String value) {
    endpoint.stubFor(
        post(urlEqualTo("/"))
            .withHeader("X-Amz-Target", equalTo(TARGET))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(
                        Json.write(Map.of("Name", "cdp/dev/segmint", "SecretString", value)))));
  }

  private static String credentials(String id, String secret) {
    return Json.write(Map.of("clientId", id, "clientSecret", secret));
  }

  @Test
  void readsOnceAtStart_andAgainOnlyWhenAskedAndAMinuteHasPassed() {
    secretValue(credentials("cdp", "secret-1"));
    SecretsManagerCredentials source =
        new SecretsManagerCredentials(secrets, "cdp/dev/segmint", clock);
    assertThat(source.current()).isEqualTo(new SegmintClient.Credentials("cdp", "secret-1"));

    secretValue(credentials("cdp", "secret-2"));
    assertThat(source.current().clientSecret()).isEqualTo("secret-1");
    now = now.plusSeconds(30);
    assertThat(source.reload().clientSecret()).as("within the gap: no read").isEqualTo("secret-1");
    now = now.plus(SecretsManagerCredentials.MIN_RELOAD_GAP);
    assertThat(source.reload().clientSecret()).isEqualTo("secret-2");
    assertThat(source.current().clientSecret()).isEqualTo("secret-2");

    endpoint.verify(
        2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET)));
  }

  @Test
  void aSecretThatIsNotTheCredentialsJson_failsWithoutEchoingIt() {
    secretValue("just-a-key-value");
    assertThatThrownBy(() -> new SecretsManagerCredentials(secrets, "cdp/dev/segmint", clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cdp/dev/segmint")
        .hasMessageNotContaining("just-a-key-value");
    secretValue(credentials("", "s3cr3t"));
    assertThatThrownBy(() -> new SecretsManagerCredentials(secrets, "cdp/dev/segmint", clock))
        .hasMessageContaining("clientId")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void credentials_neverShowTheSecretInToString() {
    assertThat(new SegmintClient.Credentials("cdp", "s3cr3t").toString())
        .contains("cdp")
        .doesNotContain("s3cr3t");
  }
}
