package com.cdp.ingestion.cleanser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.warehouse.Backoff;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegmintCleanserTest {
  private WireMockServer segmint;
  private final List<Duration> waits = new ArrayList<>();

  @BeforeEach
  void start() {
    segmint = new WireMockServer(options().dynamicPort());
    segmint.start();
  }

  @AfterEach
  void stop() {
    segmint.stop();
  }

  private SegmintCleanser cleanser(int batch, Duration timeout) {
    return new SegmintCleanser(
        HttpClient.newHttpClient(),
        new SegmintCleanser.Settings(
            URI.create(segmint.baseUrl()),
            "secret-key",
            batch,
            1000,
            timeout,
            new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), 3, waits::add)));
  }

  private static List<TransactionCleanser.Input> inputs(int n) {
    List<TransactionCleanser.Input> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new TransactionCleanser.Input(
              "t" + i, "POS DEBIT STARBUCKS #" + i, "-4.50", "5814", "DEBIT"));
    }
    return out;
  }

  private static String answer(int from, int to) {
    StringBuilder json = new StringBuilder("{\"transactions\":[");
    for (int i = from; i < to; i++) {
      json.append(i > from ? "," : "")
          .append("{\"id\":\"t")
          .append(i)
          .append("\",\"merchantName\":\"Starbucks\",\"category\":\"Dining\"}");
    }
    return json.append("]}").toString();
  }

  @Test
  void cleanse_sendsBatchesWithTheKey_andReadsTheAnswers() {
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich"))
            .withRequestBody(matchingJsonPath("$.transactions[0].id", equalTo("t0")))
            .willReturn(aResponse().withStatus(200).withBody(answer(0, 2))));
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich"))
            .withRequestBody(matchingJsonPath("$.transactions[0].id", equalTo("t2")))
            .willReturn(aResponse().withStatus(200).withBody(answer(2, 3))));

    List<TransactionCleanser.Output> out = cleanser(2, Duration.ofSeconds(2)).cleanse(inputs(3));

    assertThat(out).extracting(TransactionCleanser.Output::id).containsExactly("t0", "t1", "t2");
    assertThat(out).allSatisfy(o -> assertThat(o.category()).isEqualTo("Dining"));
    segmint.verify(
        2,
        postRequestedFor(urlEqualTo("/transactions/enrich"))
            .withHeader("authorization", equalTo("Bearer secret-key"))
            .withRequestBody(matchingJsonPath("$.transactions[0].mcc", equalTo("5814"))));
  }

  @Test
  void cleanse_whenSegmintThrottlesThenRecovers_retriesHonouringRetryAfter() {
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich"))
            .inScenario("throttle")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
            .willSetStateTo("recovered"));
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich"))
            .inScenario("throttle")
            .whenScenarioStateIs("recovered")
            .willReturn(aResponse().withStatus(200).withBody(answer(0, 1))));

    assertThat(cleanser(10, Duration.ofSeconds(2)).cleanse(inputs(1))).hasSize(1);
    assertThat(waits).contains(Duration.ofSeconds(1));
    segmint.verify(2, postRequestedFor(urlEqualTo("/transactions/enrich")));
  }

  @Test
  void cleanse_whenSegmintIsTooSlow_timesOutAndGivesUpAfterTheLastAttempt() {
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich"))
            .willReturn(aResponse().withStatus(200).withBody(answer(0, 1)).withFixedDelay(1500)));

    assertThatThrownBy(() -> cleanser(10, Duration.ofMillis(200)).cleanse(inputs(1)))
        .isInstanceOf(SegmintCleanser.SegmintException.class)
        .hasMessageContaining("after 3 attempts");
    segmint.verify(3, postRequestedFor(urlEqualTo("/transactions/enrich")));
  }

  @Test
  void cleanse_whenSegmintRefusesTheKey_failsWithoutRetrying() {
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich")).willReturn(aResponse().withStatus(403)));

    assertThatThrownBy(() -> cleanser(10, Duration.ofSeconds(2)).cleanse(inputs(1)))
        .hasMessageContaining("403")
        .hasMessageNotContaining("secret-key");
    segmint.verify(1, postRequestedFor(urlEqualTo("/transactions/enrich")));
  }

  /** A key that Segmint refuses until it is read again (rotated after the snapshot). */
  private static final class RotatedKey implements SegmintCleanser.ApiKey {
    private final String next;
    private String key = "old-key";
    int reloads;

    RotatedKey(String next) {
      this.next = next;
    }

    @Override
    public String current() {
      return key;
    }

    @Override
    public String reload() {
      reloads++;
      key = next;
      return key;
    }
  }

  private SegmintCleanser cleanser(SegmintCleanser.ApiKey key) {
    return new SegmintCleanser(
        HttpClient.newHttpClient(),
        new SegmintCleanser.Settings(
            URI.create(segmint.baseUrl()),
            key,
            10,
            1000,
            Duration.ofSeconds(2),
            new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), 3, waits::add)));
  }

  @Test
  void aRefusedKey_isReadAgainOnce_andTheBatchRetriedWithTheNewKey() {
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich"))
            .withHeader("authorization", equalTo("Bearer old-key"))
            .willReturn(aResponse().withStatus(401)));
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich"))
            .withHeader("authorization", equalTo("Bearer new-key"))
            .willReturn(aResponse().withStatus(200).withBody(answer(0, 2))));
    RotatedKey key = new RotatedKey("new-key");

    List<TransactionCleanser.Output> out = cleanser(key).cleanse(inputs(2));

    assertThat(out).extracting(TransactionCleanser.Output::id).containsExactly("t0", "t1");
    assertThat(key.reloads).isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void aKeyStillRefusedAfterReadingItAgain_failsTheBatch_withoutRetrying() {
    segmint.stubFor(
        post(urlEqualTo("/transactions/enrich")).willReturn(aResponse().withStatus(403)));
    RotatedKey key = new RotatedKey("old-key");

    assertThatThrownBy(() -> cleanser(key).cleanse(inputs(2)))
        .isInstanceOf(SegmintCleanser.SegmintException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageNotContaining("old-key");
    assertThat(key.reloads).isEqualTo(1);
    segmint.verify(1, postRequestedFor(urlEqualTo("/transactions/enrich")));
  }
}
