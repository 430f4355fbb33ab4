package com.cdp.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The handler against dynalite, through the same DynamoDB adapters production uses. */
@ExtendWith(StandInsExtension.class)
class UrlShortenerHandlerTest {
  private static final String DOMAIN = "short.test";
  private static final String PEPPER = "test-pepper-0123456789abcdef";

  private final StandIns standIns;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
  private final InMemoryLogPublisher logs = new InMemoryLogPublisher();
  private final OrganizationId org = TestIds.org();
  private final OrganizationId otherOrg = TestIds.org();
  private final Deque<String> forcedCodes = new ArrayDeque<>();
  private final AtomicInteger codesDrawn = new AtomicInteger();
  private LinkStore store;
  private ApiKeys apiKeys;
  private VisitCounter visits;
  private UrlShortenerHandler handler;
  private String apiKey;

  UrlShortenerHandlerTest(StandIns standIns) {
    this.standIns = standIns;
  }

  @BeforeEach
  void setUp() {
    String table = standIns.tableName(Tables.LINKS);
    store = new LinkStore(standIns.dynamoDb(), table);
    apiKeys = new ApiKeys(standIns.dynamoDb(), table, PEPPER, clock);
    visits = new VisitCounter(store);
    CodeSource random = CodeSource.secureRandom(CodeSource.DEFAULT_LENGTH);
    CodeSource codes =
        () -> {
          codesDrawn.incrementAndGet();
          String forced = forcedCodes.poll();
          return forced != null ? forced : random.next();
        };
    LinkService service =
        new LinkService(
            store,
            apiKeys,
            OrganizationDirectory.of(Set.of(org.value(), otherOrg.value())),
            new ShortHosts(DOMAIN, "https", -1),
            codes,
            visits,
            clock);
    handler = new UrlShortenerHandler(service, PlatformLogger.inMemory(logs));
    apiKey = apiKeys.issue("test-service").key();
  }

  @AfterEach
  void tearDown() {
    visits.close();
  }

  private APIGatewayV2HTTPResponse create(String body) {
    return create(body, apiKey);
  }

  private APIGatewayV2HTTPResponse create(String body, String key) {
    Map<String, String> headers = key == null ? Map.of() : Map.of("x-api-key", key);
    return handler.handle(
        APIGatewayV2HTTPEvent.builder()
            .withRouteKey("POST /links")
            .withRawPath("/links")
            .withHeaders(headers)
            .withBody(body)
            .withRequestContext(
                APIGatewayV2HTTPEvent.RequestContext.builder().withDomainName(DOMAIN).build())
            .build());
  }

  private APIGatewayV2HTTPResponse get(String host, String code) {
    return handler.handle(
        APIGatewayV2HTTPEvent.builder()
            .withRouteKey("GET /{code}")
            .withRawPath("/" + code)
            .withPathParameters(Map.of("code", code))
            .withHeaders(Map.of("host", host))
            .withRequestContext(
                APIGatewayV2HTTPEvent.RequestContext.builder().withDomainName(host).build())
            .build());
  }

  private static JsonNode json(APIGatewayV2HTTPResponse response) {
    return Json.tree(response.getBody());
  }

  private String hostOf(OrganizationId o) {
    return o.value() + "." + DOMAIN;
  }

  private String createdCode(String body) {
    APIGatewayV2HTTPResponse response = create(body);
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    return json(response).path("code").asText();
  }

  // --- creating and redirecting

  @Test
  void create_withoutOrganization_returnsCodeShortUrlAndTheDefaultTenDayExpiry() {
    APIGatewayV2HTTPResponse response = create("{\"url\":\"https://example.com/a?b=c#d\"}");

    assertThat(response.getStatusCode()).isEqualTo(201);
    JsonNode body = json(response);
    String code = body.path("code").asText();
    assertThat(code).matches("[0-9A-Za-z]{8}");
    assertThat(body.path("shortUrl").asText()).isEqualTo("https://" + DOMAIN + "/" + code);
    assertThat(Instant.parse(body.path("expiresAt").asText()))
        .isEqualTo(clock.instant().plus(Duration.ofDays(10)));

    APIGatewayV2HTTPResponse redirect = get(DOMAIN, code);
    assertThat(redirect.getStatusCode()).isEqualTo(302);
    assertThat(redirect.getHeaders()).containsEntry("Location", "https://example.com/a?b=c#d");
  }

  @Test
  void organizationLink_resolvesOnlyOnItsOwnHost() {
    String code =
        createdCode("{\"url\":\"https://example.com/org\",\"organizationId\":\"" + org + "\"}");

    assertThat(get(hostOf(org), code).getStatusCode()).isEqualTo(302);
    assertThat(get(hostOf(org).toUpperCase() + ":443", code).getStatusCode()).isEqualTo(302);
    assertThat(get(DOMAIN, code).getStatusCode()).isEqualTo(404);
    assertThat(get(hostOf(otherOrg), code).getStatusCode()).isEqualTo(404);
    assertThat(get("evil.example", code).getStatusCode()).isEqualTo(404);
    assertThat(get("a.b." + DOMAIN, code).getStatusCode()).isEqualTo(404);
  }

  @Test
  void bareDomainLink_isUnknownOnOrganizationHosts() {
    String code = createdCode("{\"url\":\"https://example.com/bare\"}");

    assertThat(get(DOMAIN, code).getStatusCode()).isEqualTo(302);
    assertThat(get(hostOf(org), code).getStatusCode()).isEqualTo(404);
  }

  @Test
  void organizationLink_shortUrlUsesTheOrganizationHost() {
    JsonNode body =
        json(create("{\"url\":\"https://example.com\",\"organizationId\":\"" + org + "\"}"));
    assertThat(body.path("shortUrl").asText())
        .isEqualTo("https://" + hostOf(org) + "/" + body.path("code").asText());
  }

  // --- random codes

  @Test
  void randomCodeCollision_isRetriedWithAFreshCode() {
    String taken = "Coll" + TestIds.suffix().substring(0, 4);
    forcedCodes.add(taken);
    assertThat(createdCode("{\"url\":\"https://example.com/first\"}")).isEqualTo(taken);
    codesDrawn.set(0);
    forcedCodes.add(taken);
    forcedCodes.add(taken);
    String fresh = "Frsh" + TestIds.suffix().substring(0, 4);
    forcedCodes.add(fresh);

    String second = createdCode("{\"url\":\"https://example.com/second\"}");

    assertThat(second).isEqualTo(fresh);
    assertThat(codesDrawn.get()).isEqualTo(3);
    assertThat(get(DOMAIN, taken).getHeaders())
        .containsEntry("Location", "https://example.com/first");
    assertThat(get(DOMAIN, fresh).getHeaders())
        .containsEntry("Location", "https://example.com/second");
  }

  @Test
  void randomCodes_whenEveryAttemptCollides_giveUpWith503() {
    String taken = "Full" + TestIds.suffix().substring(0, 4);
    forcedCodes.add(taken);
    createdCode("{\"url\":\"https://example.com/first\"}");
    codesDrawn.set(0);
    for (int i = 0; i < 10; i++) {
      forcedCodes.add(taken);
    }

    APIGatewayV2HTTPResponse response = create("{\"url\":\"https://example.com/second\"}");

    assertThat(response.getStatusCode()).isEqualTo(503);
    assertThat(json(response).path("code").asText()).isEqualTo("code_unavailable");
    assertThat(codesDrawn.get()).isEqualTo(LinkService.MAX_CODE_ATTEMPTS);
  }

  @Test
  void secureRandomCodes_areBase62OfTheRequestedLength_andDistinct() {
    CodeSource codes = CodeSource.secureRandom(8);
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String code = codes.next();
      assertThat(code).matches("[0-9A-Za-z]{8}");
      seen.add(code);
    }
    assertThat(seen).hasSize(20_000);
  }

  // --- custom slugs

  @Test
  void slug_isUniquePerHost() {
    String slug = "promo-" + TestIds.suffix();
    String body =
        "{\"url\":\"https://example.com/p\",\"slug\":\"" + slug + "\",\"organizationId\":\"";

    assertThat(createdCode(body + org + "\"}")).isEqualTo(slug);
    APIGatewayV2HTTPResponse again = create(body + org + "\"}");
    assertThat(again.getStatusCode()).isEqualTo(409);
    assertThat(json(again).path("code").asText()).isEqualTo("slug_taken");
    assertThat(createdCode(body + otherOrg + "\"}")).isEqualTo(slug);
    assertThat(get(hostOf(org), slug).getStatusCode()).isEqualTo(302);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ab", "-leading", "has space", "sl/ash", "dot.ted", "links", "ADMIN", "ünï"})
  void slug_thatBreaksTheRules_isRefusedWith400(String slug) {
    APIGatewayV2HTTPResponse response =
        create("{\"url\":\"https://example.com\",\"slug\":" + Json.write(slug) + "}");

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(json(response).path("code").asText()).isIn("invalid_slug", "reserved_slug");
  }

  @Test
  void slug_createdConcurrently_isGivenToExactlyOneCaller() throws Exception {
    String slug = "race-" + TestIds.suffix();
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        String body = "{\"url\":\"https://example.com/" + i + "\",\"slug\":\"" + slug + "\"}";
        Callable<Integer> call =
            () -> {
              start.await();
              return create(body).getStatusCode();
            };
        results.add(pool.submit(call));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : results) {
        statuses.add(f.get());
      }
      assertThat(statuses).containsOnly(201, 409);
      assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  // --- expiry

  @Test
  void expiredLink_answers403SayingSo_whileAnUnknownCodeIs404() {
    String code = createdCode("{\"url\":\"https://example.com/soon\",\"expiresInDays\":1}");
    assertThat(get(DOMAIN, code).getStatusCode()).isEqualTo(302);

    clock.advance(Duration.ofDays(1));

    APIGatewayV2HTTPResponse expired = get(DOMAIN, code);
    assertThat(expired.getStatusCode()).isEqualTo(403);
    assertThat(json(expired).path("code").asText()).isEqualTo("link_expired");
    assertThat(json(expired).path("message").asText()).contains("expired");
    APIGatewayV2HTTPResponse unknown = get(DOMAIN, "Unknown" + TestIds.suffix().substring(0, 3));
    assertThat(unknown.getStatusCode()).isEqualTo(404);
    assertThat(json(unknown).path("code").asText()).isEqualTo("not_found");
  }

  @Test
  void expiredSlug_mayBeTakenAgain() {
    String slug = "reuse-" + TestIds.suffix();
    createdCode(
        "{\"url\":\"https://example.com/old\",\"expiresInDays\":1,\"slug\":\"" + slug + "\"}");
    clock.advance(Duration.ofDays(2));

    createdCode("{\"url\":\"https://example.com/new\",\"slug\":\"" + slug + "\"}");

    assertThat(get(DOMAIN, slug).getHeaders()).containsEntry("Location", "https://example.com/new");
  }

  @Test
  void storedItem_hasTtlAfterExpiry_soTableTtlCleansUp() {
    String code = createdCode("{\"url\":\"https://example.com/ttl\",\"expiresInDays\":365}");
    var item =
        standIns
            .dynamoDb()
            .getItem(
                r ->
                    r.tableName(standIns.tableName(Tables.LINKS))
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS(LinkStore.pk(LinkScope.BARE, code)),
                                "sk", AttributeValue.fromS("LINK"))))
            .item();
    long expiresAt = clock.instant().plus(Duration.ofDays(365)).getEpochSecond();
    assertThat(Long.parseLong(item.get("ttl").n()))
        .isEqualTo(expiresAt + LinkStore.TTL_GRACE.toSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "366", "-1", "1.5", "\"10\"", "true"})
  void expiresInDays_outsideOneTo365_isRefused(String days) {
    APIGatewayV2HTTPResponse response =
        create("{\"url\":\"https://example.com\",\"expiresInDays\":" + days + "}");

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(json(response).path("code").asText()).isEqualTo("invalid_expiry");
  }

  // --- API keys

  @Test
  void badApiKeys_areRefusedWith401_andNeverLogged() {
    String wrongSecret = apiKey.substring(0, apiKey.length() - 4) + "AAAA";
    String unknownId = "cdpk_AAAAAAAAAAAA_" + "B".repeat(32);
    ApiKeys.Issued revoked = apiKeys.issue("revoked-service");
    apiKeys.revoke(revoked.record().id());

    for (String key : List.of("", "garbage", wrongSecret, unknownId, revoked.key())) {
      APIGatewayV2HTTPResponse response = create("{\"url\":\"https://example.com\"}", key);
      assertThat(response.getStatusCode()).as(key).isEqualTo(401);
      assertThat(json(response).path("code").asText()).isIn("missing_api_key", "invalid_api_key");
    }
    APIGatewayV2HTTPResponse none = create("{\"url\":\"https://example.com\"}", null);
    assertThat(json(none).path("code").asText()).isEqualTo("missing_api_key");
    assertThat(String.join("\n", logs.messages()))
        .doesNotContain(wrongSecret.substring(18))
        .doesNotContain(revoked.key().substring(18))
        .doesNotContain(apiKey.substring(18));
  }

  @Test
  void apiKeys_areStoredHashed_listedWithService_andRevocable() {
    ApiKeys.Issued issued = apiKeys.issue("statements");
    String secret = issued.key().substring(18);
    var item =
        standIns
            .dynamoDb()
            .getItem(
                r ->
                    r.tableName(standIns.tableName(Tables.LINKS))
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS("APIKEY"),
                                "sk", AttributeValue.fromS(issued.record().id()))))
            .item();
    assertThat(item.values()).noneMatch(v -> v.s() != null && v.s().contains(secret));
    assertThat(issued.toString()).doesNotContain(secret);
    assertThat(apiKeys.verify(issued.key())).isPresent();

    assertThat(apiKeys.revoke(issued.record().id())).isTrue();

    assertThat(apiKeys.verify(issued.key())).isEmpty();
    assertThat(apiKeys.list())
        .filteredOn(k -> k.id().equals(issued.record().id()))
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.service()).isEqualTo("statements");
              assertThat(k.isRevoked()).isTrue();
            });
    assertThat(apiKeys.revoke("AAAAAAAAAAAB")).isFalse();
  }

  @Test
  void apiKeys_withADifferentPepper_doNotVerify() {
    ApiKeys otherPepper =
        new ApiKeys(standIns.dynamoDb(), standIns.tableName(Tables.LINKS), PEPPER + "x", clock);
    assertThat(otherPepper.verify(apiKey)).isEmpty();
  }

  // --- targets and organizations

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"ftp://example.com/file\"",
        "\"javascript:alert(1)\"",
        "\"/relative/path\"",
        "\"example.com\"",
        "\"https://\"",
        "\"https://user:pw@example.com\"",
        "\"https://exa mple.com\"",
        "\"https://example.com/\\u0000\"",
        "\"https://short.test/abc\"",
        "\"https://tcu.short.test/abc\"",
        "42",
        "\"\""
      })
  void badTargets_areRefusedWith400(String url) {
    APIGatewayV2HTTPResponse response = create("{\"url\":" + url + "}");

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(json(response).path("code").asText()).isIn("invalid_url", "missing_url");
  }

  @Test
  void tooLongTarget_isRefused_butTheLimitItselfIsAccepted() {
    String base = "https://example.com/";
    String atLimit = base + "a".repeat(TargetUrls.MAX_LENGTH - base.length());
    assertThat(create("{\"url\":\"" + atLimit + "\"}").getStatusCode()).isEqualTo(201);
    assertThat(create("{\"url\":\"" + atLimit + "a\"}").getStatusCode()).isEqualTo(400);
  }

  @Test
  void unknownOrInvalidOrganization_isRefusedWith400() {
    APIGatewayV2HTTPResponse unknown =
        create(
            "{\"url\":\"https://example.com\",\"organizationId\":\"nope-"
                + TestIds.suffix()
                + "\"}");
    assertThat(unknown.getStatusCode()).isEqualTo(400);
    assertThat(json(unknown).path("code").asText()).isEqualTo("unknown_organization");

    APIGatewayV2HTTPResponse invalid =
        create("{\"url\":\"https://example.com\",\"organizationId\":\"Not An Org\"}");
    assertThat(invalid.getStatusCode()).isEqualTo(400);
    assertThat(json(invalid).path("code").asText()).isEqualTo("invalid_organization_id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[]", "{\"url\":\"https://example.com\",\"extra\":1}"})
  void malformedBody_isRefusedWith400(String body) {
    assertThat(create(body).getStatusCode()).isEqualTo(400);
  }

  // --- visits and logs

  @Test
  void visits_areCountedOffTheRedirectPath() throws Exception {
    String code = createdCode("{\"url\":\"https://example.com/count\"}");
    for (int i = 0; i < 3; i++) {
      assertThat(get(DOMAIN, code).getStatusCode()).isEqualTo(302);
    }
    get(hostOf(org), code); // wrong host: not a visit

    assertThat(visits.awaitIdle(Duration.ofSeconds(10))).isTrue();

    assertThat(store.get(LinkScope.BARE, code).orElseThrow().visits()).isEqualTo(3);
  }

  @Test
  void requests_areLoggedAsAppLogsUnderTheLinksOrganization() {
    String code =
        createdCode("{\"url\":\"https://example.com/log\",\"organizationId\":\"" + org + "\"}");
    get(hostOf(org), code);

    List<JsonNode> messages = logs.messages().stream().map(Json::tree).toList();
    assertThat(messages).hasSize(2);
    assertThat(messages)
        .allSatisfy(
            m -> {
              assertThat(m.path("logType").asText()).isEqualTo("app");
              assertThat(m.path("organizationID").asText()).isEqualTo(org.value());
            });
  }

  @Test
  void prime_readsWithoutWritingOrLogging() {
    int before = standIns.itemCount(Tables.LINKS);

    handler.prime();

    assertThat(standIns.itemCount(Tables.LINKS)).isEqualTo(before);
    assertThat(logs.messages()).isEmpty();
  }
}
