package com.cdp.ingestion.cleanser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.retry.Backoff;
import com.cdp.model.warehouse.MerchantEnrichment;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Segmint client and cleanser against WireMock answering as Segmint's documentation says. */
class SegmintCleanserTest {
  private static final String PARTNER = "cdp-partner";
  private static final String CLEANSE =
      "/v2/partners/" + PARTNER + "/merchants/cleanse-transaction/";
  private static final String CLIENT_SECRET = "s3cr3t-value";

  private WireMockServer segmint;
  private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
  private Instant now = Instant.parse("2026-12-03T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };

  @BeforeEach
  void start() {
    segmint = new WireMockServer(options().dynamicPort());
    segmint.start();
  }

  @AfterEach
  void stop() {
    segmint.stop();
  }

  private SegmintClient client(int maxAttempts) {
    return new SegmintClient(
        HttpClient.newHttpClient(),
        new SegmintClient.Settings(
            URI.create(segmint.baseUrl() + "/"),
            PARTNER,
            1000,
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), maxAttempts, waits::add)),
        SegmintClient.CredentialsSource.fixed(
            new SegmintClient.Credentials("cdp-client", CLIENT_SECRET)),
        clock);
  }

  private SegmintCleanser cleanser(int concurrency) {
    return new SegmintCleanser(client(4), concurrency, 1000);
  }

  private void tokens(String... values) {
    String scenario = "tokens";
    for (int i = 0; i < values.length; i++) {
      segmint.stubFor(
          post(urlPathEqualTo("/auth/v1/token"))
              .withQueryParam("grant_type", equalTo("token"))
              .withBasicAuth("cdp-client", CLIENT_SECRET)
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "t" + i)
              .willSetStateTo("t" + (i + 1))
              .willReturn(
                  aResponse()
                      .withStatus(200)
                      .withHeader("content-type", "application/json")
                      .withBody(
                          "{\"access_token\":\""
                              + values[i]
                              + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
    }
  }

  private void matchesFor(String token, String body) {
    segmint.stubFor(
        post(urlEqualTo(CLEANSE))
            .withHeader("authorization", equalTo("Bearer " + token))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("content-type", "application/json")
                    .withBody(body)));
  }

  private static String resource(String name) {
    try (InputStream in = SegmintCleanserTest.class.getResourceAsStream("/segmint/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String match(String cleansed) {
    return "{\"matchType\":\"EXACT\",\"matchScore\":1.0,\"transType\":\"debit\","
        + "\"matchDetail\":{\"cleansed\":\""
        + cleansed
        + "\",\"merchant\":{\"classification\":\""
        + cleansed
        + "\"},\"category1\":{\"classification\":\"COFFEE SHOPS\"},"
        + "\"category2\":{\"classification\":\"FOOD & DINING\"}}}";
  }

  private static List<TransactionCleanser.Input> inputs(int n, int distinct) {
    List<TransactionCleanser.Input> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new TransactionCleanser.Input(
              "t" + i, "POS DEBIT STARBUCKS #" + (i % distinct), "-4.50", "5814", "DEBIT"));
    }
    return out;
  }

  @Test
  void documentationSample_isSentWithBearerToken_andItsAnswerIsKeptField_byField() {
    tokens("tok-1");
    segmint.stubFor(
        post(urlEqualTo(CLEANSE))
            .withHeader("authorization", equalTo("Bearer tok-1"))
            .withHeader("content-type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    "{\"merchantDescription\":\"SHELL OIL               CHICAGO     ILUS\","
                        + "\"mcc\":\"5541\",\"transType\":\"debit\",\"transCategory\":\"pos\"}"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("content-type", "application/json")
                    .withBody(resource("cleanse-transaction-response.json"))));
    // The documentation's sample request is the body we send, plus what the docs say helps.
    String sample = resource("cleanse-transaction-request.json");
    String description = com.cdp.model.json.Json.tree(sample).path("merchantDescription").asText();

    List<TransactionCleanser.Output> out =
        cleanser(2)
            .cleanse(
                List.of(
                    new TransactionCleanser.Input("t1", description, "-40.00", "5541", "DEBIT")));

    assertThat(out).hasSize(1);
    TransactionCleanser.Output o = out.get(0);
    assertThat(o.merchantName()).isEqualTo("SHELL OIL CHICAGO");
    assertThat(o.category()).as("platform vocabulary, from the rules").isEqualTo("Gas & Fuel");
    assertThat(o.enrichment())
        .isEqualTo(
            new MerchantEnrichment(
                "segmint",
                "SIMILAR",
                new BigDecimal("0.96"),
                "SHELL",
                null,
                "CHICAGO",
                "IL",
                null,
                "US",
                "GAS STATIONS",
                "TRANSPORTATION & AUTOMOTIVE",
                "SERVICE STATIONS (WITH OR WITHOUT ANCILLARY SERVICES)"));
    segmint.verify(1, postRequestedFor(urlPathEqualTo("/auth/v1/token")));
  }

  @Test
  void repeatedDescriptions_costOneCallEach_acrossCallsOfTheSameContainer() {
    tokens("tok-1");
    matchesFor("tok-1", match("STARBUCKS"));
    SegmintCleanser cleanser = cleanser(4);

    assertThat(cleanser.cleanse(inputs(50, 5))).hasSize(50);
    assertThat(cleanser.cleanse(inputs(20, 5))).hasSize(20);

    segmint.verify(5, postRequestedFor(urlEqualTo(CLEANSE)));
    assertThat(cleanser.cacheHits()).isEqualTo(65);
  }

  @Test
  void tokenExpiringMidFile_isFetchedAgainBeforeTheNextCall() {
    tokens("tok-1", "tok-2");
    matchesFor("tok-1", match("STARBUCKS"));
    matchesFor("tok-2", match("STARBUCKS"));
    SegmintCleanser cleanser = cleanser(1);

    cleanser.cleanse(inputs(3, 3));
    now = now.plusSeconds(3600); // the first token's lifetime is over
    List<TransactionCleanser.Input> rest = new ArrayList<>();
    for (int i = 10; i < 13; i++) {
      rest.add(new TransactionCleanser.Input("t" + i, "KROGER #" + i, "-9.00", "5411", "DEBIT"));
    }
    assertThat(cleanser.cleanse(rest)).allSatisfy(o -> assertThat(o.enrichment()).isNotNull());

    segmint.verify(2, postRequestedFor(urlPathEqualTo("/auth/v1/token")));
    segmint.verify(
        3,
        postRequestedFor(urlEqualTo(CLEANSE)).withHeader("authorization", equalTo("Bearer tok-2")));
  }

  @Test
  void tokenRevokedBeforeItsExpiry_aSingle401FetchesANewOne_andTheCallIsRepeated() {
    tokens("tok-1", "tok-2");
    segmint.stubFor(
        post(urlEqualTo(CLEANSE))
            .withHeader("authorization", equalTo("Bearer tok-1"))
            .willReturn(aResponse().withStatus(401)));
    matchesFor("tok-2", match("STARBUCKS"));

    List<TransactionCleanser.Output> out = cleanser(1).cleanse(inputs(4, 4));

    assertThat(out).hasSize(4).allSatisfy(o -> assertThat(o.merchantName()).isEqualTo("STARBUCKS"));
    segmint.verify(2, postRequestedFor(urlPathEqualTo("/auth/v1/token")));
  }

  @Test
  void aFreshTokenRefusedToo_failsTheBatch_withoutShowingTokenOrSecret() {
    tokens("tok-1", "tok-2", "tok-3");
    segmint.stubFor(post(urlEqualTo(CLEANSE)).willReturn(aResponse().withStatus(401)));

    assertThatThrownBy(() -> cleanser(1).cleanse(inputs(1, 1)))
        .isInstanceOf(SegmintClient.SegmintException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("tok-")
        .hasMessageNotContaining(CLIENT_SECRET);
    segmint.verify(2, postRequestedFor(urlEqualTo(CLEANSE)));
  }

  @Test
  void burstOf429_honoursRetryAfter_forAllCallers_thenSucceeds() {
    tokens("tok-1");
    String scenario = "burst";
    for (int i = 0; i < 3; i++) {
      segmint.stubFor(
          post(urlEqualTo(CLEANSE))
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "429-" + i)
              .willSetStateTo("429-" + (i + 1))
              .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
    }
    segmint.stubFor(
        post(urlEqualTo(CLEANSE))
            .inScenario(scenario)
            .whenScenarioStateIs("429-3")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("content-type", "application/json")
                    .withBody(match("STARBUCKS"))));

    List<TransactionCleanser.Output> out =
        new SegmintCleanser(client(6), 1, 100).cleanse(inputs(3, 3));

    assertThat(out).hasSize(3).allSatisfy(o -> assertThat(o.enrichment()).isNotNull());
    segmint.verify(6, postRequestedFor(urlEqualTo(CLEANSE)));
    // Each 429 holds the client back for about the Retry-After (the test's sleeper records the
    // wait instead of sleeping, so the later calls see the pause still in force as well).
    assertThat(waits.stream().filter(d -> d.compareTo(Duration.ofMillis(1900)) >= 0).count())
        .isGreaterThanOrEqualTo(3);
    assertThat(waits).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(2050)));
  }

  @Test
  void persistent429_or5xx_failsAfterTheBackoffsAttempts() {
    tokens("tok-1");
    segmint.stubFor(post(urlEqualTo(CLEANSE)).willReturn(aResponse().withStatus(503)));

    assertThatThrownBy(() -> new SegmintCleanser(client(3), 1, 100).cleanse(inputs(1, 1)))
        .isInstanceOf(SegmintClient.SegmintException.class)
        .hasMessageContaining("3 attempts")
        .hasMessageContaining("HTTP 503");
    segmint.verify(3, postRequestedFor(urlEqualTo(CLEANSE)));
  }

  @Test
  void merchantNotFound_keepsTheRuleName_andRecordsNoMatch_whetherAnswered200Or404() {
    tokens("tok-1");
    segmint.stubFor(
        post(urlEqualTo(CLEANSE))
            .withRequestBody(matchingJsonPath("$.merchantDescription", equalTo("ACME PAYROLL")))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "{\"matchType\":\"NO_MATCH\",\"matchScore\":0,\"transType\":\"credit\","
                            + "\"matchDetail\":{\"cleansed\":\"\"}}")));
    segmint.stubFor(
        post(urlEqualTo(CLEANSE))
            .withRequestBody(matchingJsonPath("$.merchantDescription", equalTo("ZZ UNKNOWN 77")))
            .willReturn(aResponse().withStatus(404).withBody("{\"error\":[\"not found\"]}")));

    List<TransactionCleanser.Output> out =
        cleanser(2)
            .cleanse(
                List.of(
                    new TransactionCleanser.Input("a", "ACME PAYROLL", "2150.00", null, "CREDIT"),
                    new TransactionCleanser.Input("b", "ZZ UNKNOWN 77", "-3.00", null, "DEBIT")));

    assertThat(out)
        .extracting(TransactionCleanser.Output::merchantName)
        .containsExactly("Acme Payroll", "Zz Unknown 77");
    assertThat(out).extracting(o -> o.enrichment().matchType()).containsOnly("NO_MATCH");
    assertThat(out.get(0).category()).isEqualTo("Income");
    segmint.verify(
        postRequestedFor(urlEqualTo(CLEANSE))
            .withRequestBody(matchingJsonPath("$.transType", equalTo("credit")))
            .withRequestBody(matchingJsonPath("$.transCategory", equalTo("other"))));
  }

  @Test
  void aDescriptionSegmintRejects_isLeftToTheFallback() {
    tokens("tok-1");
    segmint.stubFor(
        post(urlEqualTo(CLEANSE))
            .willReturn(aResponse().withStatus(400).withBody("{\"error\":[\"bad\"]}")));

    assertThat(cleanser(1).cleanse(inputs(2, 2))).isEmpty();
  }

  @Test
  void credentialsRefusedAtTheTokenEndpoint_failWithAClearReason() {
    segmint.stubFor(post(urlPathEqualTo("/auth/v1/token")).willReturn(aResponse().withStatus(401)));

    assertThatThrownBy(() -> cleanser(1).cleanse(inputs(1, 1)))
        .isInstanceOf(SegmintClient.SegmintException.class)
        .hasMessageContaining("refused the client credentials")
        .hasMessageNotContaining(CLIENT_SECRET);
    segmint.verify(0, postRequestedFor(urlEqualTo(CLEANSE)));
  }

  @Test
  void retryAfter_acceptsSecondsAndHttpDates() {
    assertThat(SegmintClient.parseRetryAfter("3")).contains(Duration.ofSeconds(3));
    assertThat(SegmintClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
        .contains(Duration.ZERO);
    assertThat(SegmintClient.parseRetryAfter("soon")).isEmpty();
  }
}
