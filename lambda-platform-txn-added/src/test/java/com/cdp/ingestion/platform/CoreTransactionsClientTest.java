package com.cdp.ingestion.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.connector.HubApiKey;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoreTransactionsClientTest {
  private static final String PATH = "/hub/connectors/cdp-core/1/getTransactions";
  private WireMockServer hub;
  private CoreTransactionsClient client;

  @BeforeEach
  void start() {
    hub = new WireMockServer(options().dynamicPort());
    hub.start();
    client = client(Duration.ofSeconds(5));
  }

  private static final String HUB_KEY = "hub-key-of-dev";

  private CoreTransactionsClient client(Duration timeout) {
    return client(timeout, HUB_KEY);
  }

  private CoreTransactionsClient client(Duration timeout, String key) {
    return new CoreTransactionsClient(
        HttpClient.newHttpClient(),
        URI.create(hub.baseUrl() + "/hub/"),
        "cdp-core",
        "1",
        timeout,
        HubApiKey.fixed(key));
  }

  /** The hub answers only calls with the environment's key, as the real one does. */
  private void hubRequiringTheKey() {
    hub.stubFor(
        post(urlEqualTo(PATH))
            .withHeader(HubApiKey.HEADER, equalTo(HUB_KEY))
            .willReturn(aResponse().withStatus(200).withBody("{\"transactions\":[]}")));
    hub.stubFor(
        post(urlEqualTo(PATH))
            .withHeader(HubApiKey.HEADER, notMatching(HUB_KEY))
            .willReturn(aResponse().withStatus(401)));
    hub.stubFor(
        post(urlEqualTo(PATH))
            .withHeader(HubApiKey.HEADER, absent())
            .willReturn(aResponse().withStatus(401)));
  }

  @Test
  void fetch_carriesTheHubKey_andAHubRequiringItAnswers() {
    hubRequiringTheKey();

    assertThat(client.fetch("tcu", "evt-1", null, "A1", null)).isEmpty();
    hub.verify(postRequestedFor(urlEqualTo(PATH)).withHeader(HubApiKey.HEADER, equalTo(HUB_KEY)));
  }

  @Test
  void fetch_withAnotherKey_isRefused_andFailsSoTheEventIsRetried() {
    hubRequiringTheKey();

    assertThatThrownBy(
            () -> client(Duration.ofSeconds(5), "wrong").fetch("tcu", "evt-1", null, "A1", null))
        .isInstanceOf(CoreTransactionsClient.HubException.class)
        .hasMessageContaining("401")
        .hasMessageNotContaining("wrong");
  }

  @AfterEach
  void stop() {
    hub.stop();
  }

  @Test
  void fetch_postsTheAccountAndSinceWithTheOrganizationHeader_andReadsTheTransactions() {
    hub.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "{\"transactions\":[{\"accountId\":\"A1\",\"transactionId\":\"T1\",\"amount\":-1.5}]}")));

    var out = client.fetch("tcu", "evt-1", "M1", "A1", "2026-11-27");

    assertThat(out).hasSize(1);
    assertThat(out.get(0).path("amount").asText()).isEqualTo("-1.5");
    hub.verify(
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("x-organization-id", equalTo("tcu"))
            .withHeader("x-transaction-id", equalTo("evt-1"))
            .withRequestBody(
                equalToJson(
                    "{\"accountId\":\"A1\",\"memberId\":\"M1\",\"since\":\"2026-11-27\"}")));
  }

  @Test
  void fetch_whenTheHubFails_throwsSoTheInvocationIsRetried() {
    hub.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(502)));
    assertThatThrownBy(() -> client.fetch("tcu", "evt-1", null, "A1", null))
        .isInstanceOf(CoreTransactionsClient.HubException.class)
        .hasMessageContaining("502");
  }

  @Test
  void fetch_whenTheHubIsTooSlow_timesOut() {
    hub.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(3000)));
    assertThatThrownBy(() -> client(Duration.ofMillis(300)).fetch("tcu", "evt-1", null, "A1", null))
        .isInstanceOf(CoreTransactionsClient.HubException.class)
        .hasMessageContaining("did not answer");
  }
}
