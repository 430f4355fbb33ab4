package com.cdp.links.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a stubbed API: what it sends, and how it reads answers and refusals. */
class LinksClientTest {
  private static final String KEY = "cdpk_AAAAAAAAAAAA_" + "B".repeat(32);
  private WireMockServer api;
  private LinksClient client;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort());
    api.start();
    client = LinksClient.create(URI.create(api.baseUrl() + "/"), KEY);
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  private static final String LINK =
      "{\"code\":\"Ab3dE9xQ\",\"shortUrl\":\"https://tcu.cdp.link/Ab3dE9xQ\",\"host\":\"tcu.cdp.link\","
          + "\"organizationId\":\"tcu\",\"status\":\"revoked\",\"url\":\"https://example.com\","
          + "\"createdAt\":\"2026-12-01T00:00:00Z\",\"expiresAt\":\"2026-12-31T00:00:00Z\","
          + "\"createdBy\":\"AAAAAAAAAAAA\",\"visits\":4,\"revokedAt\":\"2026-12-02T00:00:00Z\"}";

  @Test
  void shorten_postsTheRequestWithTheKey_andReadsTheCreatedLink() {
    api.stubFor(
        post("/links")
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withBody(
                        "{\"code\":\"Ab3dE9xQ\",\"shortUrl\":\"https://tcu.cdp.link/Ab3dE9xQ\","
                            + "\"expiresAt\":\"2026-12-31T00:00:00Z\"}")));

    ShortLink link =
        client.shorten(
            ShortenRequest.of("https://example.com/s").organization("tcu").expiresInDays(30));

    assertThat(link)
        .isEqualTo(
            new ShortLink(
                "Ab3dE9xQ",
                "https://tcu.cdp.link/Ab3dE9xQ",
                Instant.parse("2026-12-31T00:00:00Z")));
    api.verify(
        postRequestedFor(urlEqualTo("/links"))
            .withHeader("x-api-key", equalTo(KEY))
            .withRequestBody(
                equalToJson(
                    "{\"url\":\"https://example.com/s\",\"organizationId\":\"tcu\","
                        + "\"expiresInDays\":30}")));
  }

  @Test
  void refusals_becomeLinksExceptions_withTheApisStatusAndCode() {
    api.stubFor(
        post("/links")
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withBody(
                        "{\"code\":\"organization_not_allowed\",\"message\":\"not for demo\"}")));
    api.stubFor(get("/links/nope?organizationId=tcu").willReturn(aResponse().withStatus(502)));

    assertThatThrownBy(() -> client.shorten(ShortenRequest.of("https://x").organization("demo")))
        .isInstanceOfSatisfying(
            LinksException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code()).isEqualTo("organization_not_allowed");
              assertThat(e.getMessage()).isEqualTo("not for demo");
            });
    assertThatThrownBy(() -> client.get("tcu", "nope"))
        .isInstanceOfSatisfying(
            LinksException.class, e -> assertThat(e.code()).isEqualTo("unexpected_answer"));
  }

  @Test
  void manage_sendsTheOrganizationAndReadsTheLink() {
    api.stubFor(
        patch("/links/Ab3dE9xQ?organizationId=tcu")
            .withRequestBody(equalToJson("{\"expiresInDays\":60}"))
            .willReturn(aResponse().withStatus(200).withBody(LINK)));
    api.stubFor(
        delete("/links/Ab3dE9xQ?organizationId=tcu")
            .willReturn(aResponse().withStatus(200).withBody(LINK)));

    LinkInfo extended = client.extend("tcu", "Ab3dE9xQ", 60);
    LinkInfo revoked = client.revoke("tcu", "Ab3dE9xQ");

    assertThat(extended.visits()).isEqualTo(4);
    assertThat(revoked.status()).isEqualTo("revoked");
    assertThat(revoked.revokedAt()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
    assertThat(revoked.maxVisits()).isNull();
  }

  @Test
  void listStatsAndQr() {
    api.stubFor(
        get("/links?organizationId=tcu&cursor=c1.x.y&limit=2")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody("{\"links\":[" + LINK + "],\"nextCursor\":null}")));
    api.stubFor(
        get("/links/Ab3dE9xQ/stats?organizationId=tcu")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "{\"code\":\"Ab3dE9xQ\",\"days\":90,\"total\":3,"
                            + "\"visitsPerDay\":{\"2026-12-02\":1,\"2026-12-01\":2}}")));
    api.stubFor(
        get("/links/Ab3dE9xQ/qr?organizationId=tcu&format=svg")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "image/svg+xml")
                    .withBody("<svg/>")));

    LinkPage page = client.list("tcu", null, "c1.x.y", 2);
    LinkStats stats = client.stats("tcu", "Ab3dE9xQ");
    QrImage qr = client.qr("tcu", "Ab3dE9xQ", "svg");

    assertThat(page.links()).extracting(LinkInfo::code).containsExactly("Ab3dE9xQ");
    assertThat(page.nextCursor()).isNull();
    assertThat(stats.visitsPerDay().firstKey()).isEqualTo(LocalDate.parse("2026-12-01"));
    assertThat(stats.total()).isEqualTo(3);
    assertThat(qr.contentType()).isEqualTo("image/svg+xml");
    assertThat(new String(qr.bytes())).isEqualTo("<svg/>");
  }
}
