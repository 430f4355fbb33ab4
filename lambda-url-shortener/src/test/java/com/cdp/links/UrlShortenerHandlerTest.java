package com.cdp.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.http.SignedCursors;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.MutableClock;
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
import java.util.Optional;
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
  private final OrganizationId pagedOrg = TestIds.org();
  private final Deque<String> forcedCodes = new ArrayDeque<>();
  private final AtomicInteger codesDrawn = new AtomicInteger();
  private LinkStore store;
  private ApiKeys apiKeys;
  private VisitCounter visits;
  private LinkCache cache;
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
    visits = new VisitCounter(store, VisitCounter.DEFAULT_WINDOW, clock);
    cache = new LinkCache(clock, LinkCache.DEFAULT_MAX_AGE, 1000);
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
            OrganizationDirectory.of(Set.of(org.value(), otherOrg.value(), pagedOrg.value())),
            new ShortHosts(DOMAIN, "https", -1),
            codes,
            visits,
            clock,
            new LinkService.Options(
                cache,
                Optional.of(new SignedCursors(PEPPER + PEPPER, clock, Duration.ofHours(1))),
                Map.of(pagedOrg.value(), "https://bank.example/expired")));
    handler = new UrlShortenerHandler(service, PlatformLogger.inMemory(logs));
    apiKey = apiKeys.issue("test-service", ApiKeys.Scope.ALL).key();
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
  void expiredSlug_isNeverReissued_andKeepsAnswering403() {
    String slug = "reuse-" + TestIds.suffix();
    createdCode(
        "{\"url\":\"https://example.com/old\",\"expiresInDays\":1,\"slug\":\"" + slug + "\"}");
    clock.advance(Duration.ofDays(2));

    APIGatewayV2HTTPResponse again =
        create("{\"url\":\"https://evil.example/new\",\"slug\":\"" + slug + "\"}");

    assertThat(again.getStatusCode()).as(again.getBody()).isEqualTo(409);
    assertThat(json(again).path("code").asText()).isEqualTo("slug_taken");
    APIGatewayV2HTTPResponse visit = get(DOMAIN, slug);
    assertThat(visit.getStatusCode()).isEqualTo(403);
    assertThat(json(visit).path("code").asText()).isEqualTo("link_expired");
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
  @ValueSource(
      strings = {
        "0",
        "366",
        "-1",
        "1.5",
        "\"10\"",
        "true",
        "18446744073709551716",
        "4294967396",
        "-4294967196",
        "1e2",
        "10.0"
      })
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
    ApiKeys.Issued revoked = apiKeys.issue("revoked-service", ApiKeys.Scope.ALL);
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
    ApiKeys.Issued issued = apiKeys.issue("statements", ApiKeys.Scope.of(List.of(org)));
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
        "\"https://tcu.short.test./abc\"",
        "\"https://short.test./abc\"",
        "\"https://TCU.Short.Test../abc\"",
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

  // --- regression: issue 13 items 3, 4 and 9

  private String scopedKey(OrganizationId... orgs) {
    return apiKeys
        .issue("sms-" + TestIds.suffix().toLowerCase(), ApiKeys.Scope.of(List.of(orgs)))
        .key();
  }

  @Test
  void scopedKey_createsLinksForItsOrganizationsOnly_403ForAnyOther() {
    String key = scopedKey(org);

    APIGatewayV2HTTPResponse own =
        create("{\"url\":\"https://example.com\",\"organizationId\":\"" + org + "\"}", key);
    APIGatewayV2HTTPResponse other =
        create("{\"url\":\"https://example.com\",\"organizationId\":\"" + otherOrg + "\"}", key);
    APIGatewayV2HTTPResponse bare = create("{\"url\":\"https://example.com\"}", key);

    assertThat(own.getStatusCode()).isEqualTo(201);
    assertThat(other.getStatusCode()).isEqualTo(403);
    assertThat(json(other).path("code").asText()).isEqualTo("organization_not_allowed");
    assertThat(bare.getStatusCode()).isEqualTo(403);
    assertThat(json(bare).path("code").asText()).isEqualTo("organization_not_allowed");
  }

  @Test
  void keyStoredBeforeScopes_mayDoNothing_untilAnOperatorScopesIt() {
    ApiKeys.Issued legacy = apiKeys.issue("legacy", ApiKeys.Scope.ALL);
    standIns
        .dynamoDb()
        .updateItem(
            r ->
                r.tableName(standIns.tableName(Tables.LINKS))
                    .key(
                        Map.of(
                            "pk", AttributeValue.fromS("APIKEY"),
                            "sk", AttributeValue.fromS(legacy.record().id())))
                    .updateExpression("REMOVE allOrganizations, organizations"));
    String body = "{\"url\":\"https://example.com\",\"organizationId\":\"" + org + "\"}";

    assertThat(create(body, legacy.key()).getStatusCode()).isEqualTo(403);
    assertThat(apiKeys.setScope(legacy.record().id(), ApiKeys.Scope.of(List.of(org)))).isTrue();
    assertThat(create(body, legacy.key()).getStatusCode()).isEqualTo(201);
  }

  @Test
  void scopedKey_cannotSeeOrManageAnotherOrganizationsLink_404NotProbeable() {
    String code =
        createdCode("{\"url\":\"https://example.com/x\",\"organizationId\":\"" + otherOrg + "\"}");
    String key = scopedKey(org);

    for (APIGatewayV2HTTPResponse r :
        List.of(
            manage("GET", "/links/" + code, otherOrg, null, key),
            manage("PATCH", "/links/" + code, otherOrg, "{\"expiresInDays\":5}", key),
            manage("DELETE", "/links/" + code, otherOrg, null, key),
            manage("GET", "/links/" + code + "/stats", otherOrg, null, key),
            manage("GET", "/links/" + code + "/qr", otherOrg, null, key))) {
      assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(404);
    }
    assertThat(manage("GET", "/links", otherOrg, null, key).getStatusCode()).isEqualTo(403);
    assertThat(get(hostOf(otherOrg), code).getStatusCode()).isEqualTo(302);
  }

  @Test
  void codeStaysReserved_afterTtlDeletedTheLinkItem() {
    String slug = "gone-" + TestIds.suffix();
    createdCode(
        "{\"url\":\"https://example.com/old\",\"expiresInDays\":1,\"slug\":\"" + slug + "\"}");
    String random = createdCode("{\"url\":\"https://example.com/r\",\"expiresInDays\":1}");
    clock.advance(Duration.ofDays(40));
    for (String code : List.of(slug, random)) { // what DynamoDB TTL does after the grace period
      standIns
          .dynamoDb()
          .deleteItem(
              r ->
                  r.tableName(standIns.tableName(Tables.LINKS))
                      .key(
                          Map.of(
                              "pk", AttributeValue.fromS(LinkStore.pk(LinkScope.BARE, code)),
                              "sk", AttributeValue.fromS("LINK"))));
    }

    assertThat(get(DOMAIN, slug).getStatusCode()).isEqualTo(403);
    assertThat(json(get(DOMAIN, slug)).path("code").asText()).isEqualTo("link_expired");
    APIGatewayV2HTTPResponse again =
        create("{\"url\":\"https://evil.example\",\"slug\":\"" + slug + "\"}");
    assertThat(again.getStatusCode()).isEqualTo(409);
    assertThat(json(again).path("code").asText()).isEqualTo("slug_taken");
    forcedCodes.add(random);
    String fresh = createdCode("{\"url\":\"https://evil.example\"}");
    assertThat(fresh).isNotEqualTo(random);
    assertThat(get(DOMAIN, random).getStatusCode()).isEqualTo(403);
  }

  // --- lifecycle (issue 19)

  private APIGatewayV2HTTPResponse manage(
      String method, String path, OrganizationId scope, String body, String key) {
    Map<String, String> query = new java.util.HashMap<>();
    if (scope != null) {
      query.put("organizationId", scope.value());
    }
    int q = path.indexOf('?');
    if (q > 0) {
      for (String kv : path.substring(q + 1).split("&")) {
        String[] parts = kv.split("=", 2);
        query.put(
            parts[0],
            java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8));
      }
      path = path.substring(0, q);
    }
    return handler.handle(
        APIGatewayV2HTTPEvent.builder()
            .withRawPath(path)
            .withHeaders(key == null ? Map.of() : Map.of("x-api-key", key))
            .withQueryStringParameters(query)
            .withBody(body)
            .withRequestContext(
                APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withDomainName(DOMAIN)
                    .withHttp(
                        APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                            .withMethod(method)
                            .build())
                    .build())
            .build());
  }

  private String orgLink(String extra) {
    return createdCode(
        "{\"url\":\"https://example.com/life\",\"organizationId\":\"" + org + "\"" + extra + "}");
  }

  @Test
  void lifecycle_show_extend_revoke_then410_andTheCodeStaysReserved() {
    String key = scopedKey(org);
    String code = orgLink(",\"slug\":\"life-" + TestIds.suffix() + "\"");

    JsonNode shown = json(manage("GET", "/links/" + code, org, null, key));
    assertThat(shown.path("url").asText()).isEqualTo("https://example.com/life");
    assertThat(shown.path("status").asText()).isEqualTo("active");
    assertThat(shown.path("host").asText()).isEqualTo(hostOf(org));

    clock.advance(Duration.ofDays(9));
    APIGatewayV2HTTPResponse extended =
        manage("PATCH", "/links/" + code, org, "{\"expiresInDays\":30}", key);
    assertThat(extended.getStatusCode()).as(extended.getBody()).isEqualTo(200);
    assertThat(Instant.parse(json(extended).path("expiresAt").asText()))
        .isEqualTo(clock.instant().plus(Duration.ofDays(30)));
    clock.advance(Duration.ofDays(5));
    assertThat(get(hostOf(org), code).getStatusCode()).isEqualTo(302);

    APIGatewayV2HTTPResponse revoked = manage("DELETE", "/links/" + code, org, null, key);
    assertThat(json(revoked).path("status").asText()).isEqualTo("revoked");
    APIGatewayV2HTTPResponse gone = get(hostOf(org), code);
    assertThat(gone.getStatusCode()).isEqualTo(410);
    assertThat(json(gone).path("code").asText()).isEqualTo("link_revoked");
    assertThat(json(gone).path("message").asText()).contains("revoked");
    APIGatewayV2HTTPResponse again =
        create(
            "{\"url\":\"https://x.example\",\"organizationId\":\""
                + org
                + "\",\"slug\":\""
                + code
                + "\"}");
    assertThat(again.getStatusCode()).isEqualTo(409);
    assertThat(manage("PATCH", "/links/" + code, org, "{\"expiresInDays\":3}", key).getStatusCode())
        .isEqualTo(409);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"expiresInDays\":0}", "{\"url\":\"https://evil.example\"}", "{}", "[]"})
  void extend_refusesBadBodies_andNeverChangesTheTarget(String body) {
    String code = orgLink("");
    APIGatewayV2HTTPResponse r = manage("PATCH", "/links/" + code, org, body, apiKey);
    assertThat(r.getStatusCode()).isEqualTo(400);
    assertThat(get(hostOf(org), code).getHeaders())
        .containsEntry("Location", "https://example.com/life");
  }

  @Test
  void list_pagesWithASignedCursor_boundToTheOrganizationAndFilter() {
    String key = scopedKey(pagedOrg);
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      APIGatewayV2HTTPResponse r =
          create(
              "{\"url\":\"https://example.com/" + i + "\",\"organizationId\":\"" + pagedOrg + "\"}",
              key);
      codes.add(json(r).path("code").asText());
    }
    create("{\"url\":\"https://example.com/other\",\"organizationId\":\"" + pagedOrg + "\"}");
    String keyId = key.substring(5, 17);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          json(
              manage(
                  "GET",
                  "/links?limit=2&createdBy=" + keyId + (cursor == null ? "" : "&cursor=" + cursor),
                  pagedOrg,
                  null,
                  key));
      page.path("links").forEach(l -> seen.add(l.path("code").asText()));
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(seen).containsExactlyInAnyOrderElementsOf(codes);
    assertThat(pages).isEqualTo(3); // 2 + 2 + 1: no empty last page
    JsonNode first = json(manage("GET", "/links?limit=2", pagedOrg, null, key));
    String next = first.path("nextCursor").asText();
    String tampered =
        next.substring(0, 10) + (next.charAt(10) == 'A' ? 'B' : 'A') + next.substring(11);
    APIGatewayV2HTTPResponse bad = manage("GET", "/links?cursor=" + tampered, pagedOrg, null, key);
    assertThat(bad.getStatusCode()).isEqualTo(400);
    assertThat(json(bad).path("code").asText()).isEqualTo("invalid_cursor");
    APIGatewayV2HTTPResponse otherFilter =
        manage("GET", "/links?createdBy=" + keyId + "&cursor=" + next, pagedOrg, null, key);
    assertThat(json(otherFilter).path("code").asText()).isEqualTo("cursor_mismatch");
  }

  @Test
  void stats_countVisitsPerDay() throws Exception {
    String code = orgLink("");
    get(hostOf(org), code);
    get(hostOf(org), code);
    assertThat(visits.awaitIdle(Duration.ofSeconds(10))).isTrue();
    clock.advance(Duration.ofDays(1));
    get(hostOf(org), code);
    assertThat(visits.awaitIdle(Duration.ofSeconds(10))).isTrue();

    JsonNode stats = json(manage("GET", "/links/" + code + "/stats", org, null, apiKey));

    assertThat(stats.path("total").asLong()).isEqualTo(3);
    assertThat(stats.path("visitsPerDay").path("2026-11-28").asLong()).isEqualTo(2);
    assertThat(stats.path("visitsPerDay").path("2026-11-29").asLong()).isEqualTo(1);
  }

  @Test
  void qr_isPngOrSvg_andEncodesTheShortUrl() throws Exception {
    String code = orgLink("");
    APIGatewayV2HTTPResponse png = manage("GET", "/links/" + code + "/qr", org, null, apiKey);
    assertThat(png.getHeaders()).containsEntry("Content-Type", "image/png");
    assertThat(png.getIsBase64Encoded()).isTrue();
    java.awt.image.BufferedImage image =
        javax.imageio.ImageIO.read(
            new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(png.getBody())));
    int[] pixels =
        image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    String decoded =
        new com.google.zxing.qrcode.QRCodeReader()
            .decode(
                new com.google.zxing.BinaryBitmap(
                    new com.google.zxing.common.HybridBinarizer(
                        new com.google.zxing.RGBLuminanceSource(
                            image.getWidth(), image.getHeight(), pixels))))
            .getText();
    assertThat(decoded).isEqualTo("https://" + hostOf(org) + "/" + code);

    APIGatewayV2HTTPResponse svg =
        manage("GET", "/links/" + code + "/qr?format=svg", org, null, apiKey);
    assertThat(svg.getHeaders()).containsEntry("Content-Type", "image/svg+xml");
    assertThat(new String(java.util.Base64.getDecoder().decode(svg.getBody())))
        .startsWith("<svg")
        .contains("<path");
    assertThat(
            manage("GET", "/links/" + code + "/qr?format=gif", org, null, apiKey).getStatusCode())
        .isEqualTo(400);
  }

  @Test
  void maxVisits_pastIt_answers410() throws Exception {
    String code = orgLink(",\"maxVisits\":2");
    assertThat(get(hostOf(org), code).getStatusCode()).isEqualTo(302);
    assertThat(get(hostOf(org), code).getStatusCode()).isEqualTo(302);
    assertThat(visits.awaitIdle(Duration.ofSeconds(10))).isTrue();

    APIGatewayV2HTTPResponse gone = get(hostOf(org), code);
    assertThat(gone.getStatusCode()).isEqualTo(410);
    assertThat(json(gone).path("code").asText()).isEqualTo("link_exhausted");
  }

  @Test
  void expiredLink_ofAnOrganizationWithAnExpiredPage_redirectsThere_othersStay403() {
    String paged =
        createdCode(
            "{\"url\":\"https://example.com\",\"expiresInDays\":1,\"organizationId\":\""
                + pagedOrg
                + "\"}");
    String plain = orgLink(",\"expiresInDays\":1");
    clock.advance(Duration.ofDays(2));

    assertThat(get(hostOf(pagedOrg), paged).getHeaders())
        .containsEntry("Location", "https://bank.example/expired");
    assertThat(get(hostOf(org), plain).getStatusCode()).isEqualTo(403);
  }

  @Test
  void cachedRedirect_showsAChangeFromAnotherContainer_within30Seconds_andNeverPastExpiry() {
    String code = orgLink(",\"expiresInDays\":1");
    assertThat(get(hostOf(org), code).getStatusCode()).isEqualTo(302); // cached now
    store.revoke(LinkScope.of(org), code, clock.instant()); // another container revokes

    clock.advance(Duration.ofSeconds(29));
    assertThat(get(hostOf(org), code).getStatusCode()).isEqualTo(302);
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(hostOf(org), code).getStatusCode()).isEqualTo(410);

    String soon = orgLink(",\"expiresInDays\":1");
    clock.advance(Duration.ofDays(1).minusSeconds(10));
    assertThat(get(hostOf(org), soon).getStatusCode()).isEqualTo(302); // cached for 10 s at most
    clock.advance(Duration.ofSeconds(10));
    assertThat(get(hostOf(org), soon).getStatusCode()).isEqualTo(403);
  }
}
