package com.cdp.ingestion.cleanser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The key source through the real SDK against a Secrets Manager endpoint that WireMock answers. */
class SecretsManagerApiKeyTest {
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
                        "{\"Name\":\"cdp/dev/segmint-api-key\",\"SecretString\":\""
                            + value
                            + "\"}")));
  }

  @Test
  void readsOnceAtStart_andAgainOnlyWhenAskedAndAMinuteHasPassed() {
    secretValue("key-1");
    SecretsManagerApiKey key = new SecretsManagerApiKey(secrets, "cdp/dev/segmint-api-key", clock);
    assertThat(key.current()).isEqualTo("key-1");

    secretValue("key-2");
    assertThat(key.current()).isEqualTo("key-1");
    now = now.plusSeconds(30);
    assertThat(key.reload()).as("within the gap: no read").isEqualTo("key-1");
    now = now.plus(SecretsManagerApiKey.MIN_RELOAD_GAP);
    assertThat(key.reload()).isEqualTo("key-2");
    assertThat(key.current()).isEqualTo("key-2");

    endpoint.verify(
        2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET)));
  }
}
