package com.cdp.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.access.SessionService;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.model.warehouse.WarehouseTransaction;
import com.cdp.testing.MutableClock;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.cdp.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP behaviour against dynalite: authentication, authorization across members and
 * organizations, query validation and cursor attacks, each a precise status and code.
 */
@ExtendWith(StandInsExtension.class)
class GetTransactionsHandlerTest {
  private static final String SECRET = "s".repeat(43);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
  private final InMemoryLogPublisher published = new InMemoryLogPublisher();
  private final StandIns standIns;
  private final TestWarehouse warehouse;
  private final SessionService sessions;
  private final GetTransactionsHandler handler;

  private final OrganizationId org = TestIds.org();
  private final MemberId member = MemberId.of("m-1");
  private final AccountId account = AccountId.of("chk-001");
  private final AccountId secondAccount = AccountId.of("sav-002");
  private final String token;

  GetTransactionsHandlerTest(StandIns standIns) {
    this.standIns = standIns;
    this.warehouse = new TestWarehouse(standIns);
    this.sessions =
        new SessionService(standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), clock);
    this.handler =
        new GetTransactionsHandler(
            new TransactionsService(
                sessions,
                AccountAccess.ownership(standIns.dynamoDb(), warehouse.table),
                new TransactionPager(standIns.dynamoDb(), warehouse.table),
                new CursorCodec(
                    CursorKeyRing.fixed(CursorKeys.of(SECRET), clock), clock, Duration.ofHours(1))),
            new PlatformLogger(published, "local", "test", clock));
    warehouse.own(org, member, account);
    warehouse.own(org, member, secondAccount);
    List<WarehouseTransaction> txns = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      txns.add(
          TestWarehouse.txn(
              org,
              member,
              account,
              "t-" + (100 + i),
              "2026-11-" + String.format("%02d", i),
              i % 2 == 0 ? "-" + i + ".25" : i + ".00",
              i % 3 == 0 ? "Coffee Shop #" + i : "Grocery " + i,
              i % 4 == 0 ? TransactionType.FEE : TransactionType.DEBIT));
    }
    txns.add(
        TestWarehouse.txn(
            org, member, secondAccount, "s-1", "2026-11-01", "5.00", "Savings", null));
    warehouse.put(txns);
    this.token = sessions.create(org, member, Duration.ofHours(2)).token();
  }

  // ---- the happy path and the response shape

  @Test
  void firstPage_isNewestFirstWithACursor_andTheLastPageHasANullCursor() {
    JsonNode first = json(get(account, token, Map.of("limit", "5")), 200);
    assertThat(ids(first)).containsExactly("t-112", "t-111", "t-110", "t-109", "t-108");
    assertThat(first.get("nextCursor").isTextual()).isTrue();

    JsonNode second =
        json(
            get(account, token, Map.of("limit", "5", "cursor", first.get("nextCursor").asText())),
            200);
    assertThat(ids(second)).containsExactly("t-107", "t-106", "t-105", "t-104", "t-103");

    JsonNode third =
        json(
            get(account, token, Map.of("limit", "5", "cursor", second.get("nextCursor").asText())),
            200);
    assertThat(ids(third)).containsExactly("t-102", "t-101");
    assertThat(third.has("nextCursor")).isTrue();
    assertThat(third.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void transactions_carryTheContractFields() {
    JsonNode page = json(get(account, token, Map.of("limit", "1", "q", "coffee")), 200);

    JsonNode t = page.get("transactions").get(0);
    assertThat(t.get("transactionId").asText()).isEqualTo("t-112");
    assertThat(t.get("accountId").asText()).isEqualTo("chk-001");
    assertThat(t.get("postedDate").asText()).isEqualTo("2026-11-12");
    assertThat(t.get("amount").decimalValue()).isEqualByComparingTo("-12.25");
    assertThat(t.get("amount").toString()).isEqualTo("-12.25");
    assertThat(t.get("description").asText()).isEqualTo("Coffee Shop #12");
    assertThat(t.get("type").asText()).isEqualTo("FEE");
    assertThat(t.has("organizationId")).isFalse();
    // Two fraction digits on the wire, also for whole amounts.
    assertThat(get(account, token, Map.of("limit", "1", "q", "grocery 11")).getBody())
        .contains("\"amount\":11.00");
  }

  @Test
  void cleansedTransactions_carryMerchantNameCategoryAndSegmintsEnrichment_besideTheDescription() {
    WarehouseTransaction t =
        TestWarehouse.txn(
            org,
            member,
            account,
            "e-1",
            "2026-10-01",
            "-40.00",
            "CHECKCARD 1001 SHELL OIL 1234 HOUSTON TX",
            TransactionType.DEBIT);
    warehouse.put(
        List.of(
            new WarehouseTransaction(
                t.organization(),
                t.member(),
                t.account(),
                t.transactionId(),
                t.postedDate(),
                t.postedAt(),
                t.amount(),
                t.description(),
                t.runningBalance(),
                t.type(),
                t.checkNumber(),
                java.util.Optional.of("5541"),
                java.util.Optional.of("SHELL OIL"),
                java.util.Optional.of("Gas & Fuel"),
                t.source(),
                t.loadedAt(),
                java.util.Optional.of(
                    new com.cdp.model.warehouse.MerchantEnrichment(
                        "segmint",
                        "SIMILAR",
                        new java.math.BigDecimal("0.96"),
                        "SHELL",
                        "",
                        "HOUSTON",
                        "TX",
                        "",
                        "US",
                        "GAS STATIONS",
                        "TRANSPORTATION & AUTOMOTIVE",
                        "SERVICE STATIONS")))));

    JsonNode item =
        json(get(account, token, Map.of("limit", "1", "q", "shell oil")), 200)
            .get("transactions")
            .get(0);

    assertThat(item.get("description").asText())
        .isEqualTo("CHECKCARD 1001 SHELL OIL 1234 HOUSTON TX");
    assertThat(item.get("merchantName").asText()).isEqualTo("SHELL OIL");
    assertThat(item.get("category").asText()).isEqualTo("Gas & Fuel");
    JsonNode e = item.get("enrichment");
    assertThat(e.get("source").asText()).isEqualTo("segmint");
    assertThat(e.get("matchType").asText()).isEqualTo("SIMILAR");
    assertThat(e.get("matchScore").decimalValue()).isEqualByComparingTo("0.96");
    assertThat(e.get("merchant").asText()).isEqualTo("SHELL");
    assertThat(e.has("logoUrl")).as("blank logo left out").isFalse();
    assertThat(e.get("location").get("city").asText()).isEqualTo("HOUSTON");
    assertThat(e.get("location").has("zip")).isFalse();
    assertThat(e.get("category1").asText()).isEqualTo("GAS STATIONS");
    assertThat(e.get("category2").asText()).isEqualTo("TRANSPORTATION & AUTOMOTIVE");
    assertThat(e.get("mccClassification").asText()).isEqualTo("SERVICE STATIONS");
    JsonNode plain =
        json(get(account, token, Map.of("limit", "1")), 200).get("transactions").get(0);
    assertThat(plain.has("enrichment")).isFalse();
  }

  @Test
  void filters_combine_andPagesStayFull() {
    // Coffee shops: days 3, 6, 9, 12; of those, debits (negative): 6, 12; FEE type: 12.
    JsonNode page =
        json(get(account, token, Map.of("q", "COFFEE", "maxAmount", "0", "limit", "1")), 200);
    assertThat(ids(page)).containsExactly("t-112");
    JsonNode next =
        json(
            get(
                account,
                token,
                Map.of(
                    "q",
                    "COFFEE",
                    "maxAmount",
                    "0",
                    "limit",
                    "1",
                    "cursor",
                    page.get("nextCursor").asText())),
            200);
    assertThat(ids(next)).containsExactly("t-106");
    assertThat(next.get("nextCursor").isNull()).isTrue();

    JsonNode ranged =
        json(get(account, token, Map.of("from", "2026-11-03", "to", "2026-11-05")), 200);
    assertThat(ids(ranged)).containsExactly("t-105", "t-104", "t-103");
  }

  @Test
  void anAccountWithNoMatches_returnsAnEmptyPageWithANullCursor() {
    JsonNode page = json(get(account, token, Map.of("q", "nothing like this")), 200);

    assertThat(page.get("transactions")).isEmpty();
    assertThat(page.get("nextCursor").isNull()).isTrue();
  }

  // ---- authentication: 401 with the reason

  @Test
  void noAuthorizationHeader_is401SessionMissing() {
    APIGatewayV2HTTPResponse r = get(account, null, Map.of());
    assertError(r, 401, "session_missing");
    assertThat(r.getHeaders()).containsEntry("WWW-Authenticate", "Bearer");
  }

  @Test
  void aMalformedToken_is401SessionMalformed() {
    assertError(get(account, "not-a-token", Map.of()), 401, "session_malformed");
    assertError(getWithAuthorization(account, "Basic dXNlcjpwYXNz"), 401, "session_malformed");
  }

  @Test
  void anUnknownToken_is401SessionUnknown() {
    assertError(get(account, "A".repeat(43), Map.of()), 401, "session_unknown");
  }

  @Test
  void anExpiredSession_is401SessionExpired() {
    clock.advance(Duration.ofHours(3));
    APIGatewayV2HTTPResponse r = get(account, token, Map.of());
    assertError(r, 401, "session_expired");
    assertThat(r.getHeaders().get("WWW-Authenticate")).contains("invalid_token");
  }

  @Test
  void theBearerScheme_isCaseInsensitive() {
    assertThat(getWithAuthorization(account, "bearer " + token).getStatusCode()).isEqualTo(200);
  }

  // ---- authorization: 404, never 403

  @Test
  void anotherMembersAccount_is404() {
    MemberId other = MemberId.of("m-2");
    warehouse.own(org, other, AccountId.of("other-acct"));
    warehouse.put(
        List.of(
            TestWarehouse.txn(
                org, other, AccountId.of("other-acct"), "x", "2026-11-01", "1", "x", null)));

    assertError(get(AccountId.of("other-acct"), token, Map.of()), 404, "account_not_found");
  }

  @Test
  void anAccountThatDoesNotExist_isTheSame404() {
    APIGatewayV2HTTPResponse missing = get(AccountId.of("no-such"), token, Map.of());
    assertError(missing, 404, "account_not_found");
    assertError(getRaw("bad%20id", token, Map.of()), 404, "account_not_found");
  }

  @Test
  void theSameAccountIdInAnotherOrganization_isNotReachable_andNotMixedIn() {
    OrganizationId otherOrg = TestIds.org();
    // Same member id and same account id, another credit union.
    warehouse.own(otherOrg, member, account);
    warehouse.put(
        List.of(
            TestWarehouse.txn(
                otherOrg, member, account, "foreign-1", "2026-12-01", "999", "Foreign", null)));
    String otherOrgToken = sessions.create(otherOrg, member, Duration.ofHours(1)).token();

    JsonNode mine = json(get(account, token, Map.of("limit", "100")), 200);
    assertThat(ids(mine)).hasSize(12).doesNotContain("foreign-1");
    JsonNode theirs = json(get(account, otherOrgToken, Map.of()), 200);
    assertThat(ids(theirs)).containsExactly("foreign-1");

    // A member of the other organization who does not own the account there: 404.
    OrganizationId thirdOrg = TestIds.org();
    String thirdToken = sessions.create(thirdOrg, member, Duration.ofHours(1)).token();
    assertError(get(account, thirdToken, Map.of()), 404, "account_not_found");
  }

  @Test
  void ownershipIsCheckedBeforeTheQuery_soBadParametersOnSomeoneElsesAccountAre404() {
    assertError(
        get(AccountId.of("no-such"), token, Map.of("limit", "0")), 404, "account_not_found");
  }

  // ---- query validation: 400 with a precise code

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource({
    "limit, 0, invalid_limit",
    "limit, 101, invalid_limit",
    "limit, ten, invalid_limit",
    "from, 2026-11-31, invalid_from",
    "to, 11/30/2026, invalid_to",
    "minAmount, 0.001, invalid_min_amount",
    "maxAmount, lots, invalid_max_amount",
    "type, PAYMENT, invalid_type",
    "order, asc, unknown_parameter",
  })
  void anInvalidParameter_is400WithItsCode(String name, String value, String code) {
    assertError(get(account, token, Map.of(name, value)), 400, code);
  }

  @Test
  void invertedRanges_are400() {
    assertError(
        get(account, token, Map.of("from", "2026-11-10", "to", "2026-11-01")),
        400,
        "invalid_date_range");
    assertError(
        get(account, token, Map.of("minAmount", "5", "maxAmount", "-5")),
        400,
        "invalid_amount_range");
  }

  // ---- cursor attacks: 400 with a stable code

  @Test
  void aTamperedCursor_is400InvalidCursor() {
    String cursor = firstCursor(Map.of());
    String[] parts = cursor.split("\\.");
    String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[2]));
    String moved = payload.replaceAll("\"p\":\"[^\"]*\"", "\"p\":\"2099-01-01#zzz\"");
    String forged =
        parts[0]
            + "."
            + parts[1]
            + "."
            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(moved.getBytes())
            + "."
            + parts[3];
    char last = cursor.charAt(cursor.length() - 1);
    String flipped = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');

    assertError(get(account, token, Map.of("cursor", forged)), 400, "invalid_cursor");
    assertError(get(account, token, Map.of("cursor", flipped)), 400, "invalid_cursor");
  }

  @Test
  void aTruncatedCursor_is400InvalidCursor() {
    String cursor = firstCursor(Map.of());

    assertError(
        get(account, token, Map.of("cursor", cursor.substring(0, cursor.length() - 5))),
        400,
        "invalid_cursor");
    assertError(
        get(account, token, Map.of("cursor", cursor.substring(0, cursor.length() / 2))),
        400,
        "invalid_cursor");
  }

  @Test
  void aCursorReusedWithOtherFilters_is400CursorMismatch() {
    String cursor = firstCursor(Map.of("q", "grocery"));

    assertError(get(account, token, Map.of("cursor", cursor)), 400, "cursor_mismatch");
    assertError(
        get(account, token, Map.of("cursor", cursor, "q", "grocery", "type", "DEBIT")),
        400,
        "cursor_mismatch");
    // Same filters, another page size: allowed.
    assertThat(
            get(account, token, Map.of("cursor", cursor, "q", "GROCERY", "limit", "3"))
                .getStatusCode())
        .isEqualTo(200);
  }

  @Test
  void aCursorUsedOnAnotherAccount_is400CursorMismatch() {
    String cursor = firstCursor(Map.of());

    assertError(get(secondAccount, token, Map.of("cursor", cursor)), 400, "cursor_mismatch");
  }

  @Test
  void aCursorFromAnotherOrganizationsSameAccountId_is400CursorMismatch() {
    OrganizationId otherOrg = TestIds.org();
    warehouse.own(otherOrg, member, account);
    String otherOrgToken = sessions.create(otherOrg, member, Duration.ofHours(1)).token();
    String cursor = firstCursor(Map.of());

    assertError(get(account, otherOrgToken, Map.of("cursor", cursor)), 400, "cursor_mismatch");
  }

  @Test
  void anExpiredCursor_is400CursorExpired() {
    String cursor = firstCursor(Map.of());
    clock.advance(Duration.ofMinutes(61));
    String freshToken = sessions.create(org, member, Duration.ofHours(1)).token();

    assertError(get(account, freshToken, Map.of("cursor", cursor)), 400, "cursor_expired");
  }

  @Test
  void aCursorSignedWithAnotherKey_is400InvalidCursor() {
    CursorCodec otherDeployment =
        new CursorCodec(
            CursorKeyRing.fixed(CursorKeys.of("o".repeat(43)), clock), clock, Duration.ofHours(1));
    String foreign =
        otherDeployment.issue("2026-11-05#t-105", org, account, TransactionFilter.NONE, 0, 0);

    assertError(get(account, token, Map.of("cursor", foreign)), 400, "invalid_cursor");
  }

  // ---- failures of the platform itself

  @Test
  void dynamoDbThrottling_is503WithRetryAfter() {
    GetTransactionsHandler throttled =
        handlerWithAccess(
            (o, m, a) -> {
              throw software.amazon.awssdk.services.dynamodb.model
                  .ProvisionedThroughputExceededException.builder()
                  .statusCode(400)
                  .awsErrorDetails(
                      software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                          .errorCode("ProvisionedThroughputExceededException")
                          .build())
                  .message("Rate of requests exceeds the allowed throughput")
                  .build();
            });

    APIGatewayV2HTTPResponse r = throttled.handle(event(account.value(), token, Map.of()));

    assertError(r, 503, "service_unavailable");
    assertThat(r.getHeaders()).containsEntry("Retry-After", "1");
  }

  @Test
  void anUnexpectedFailure_is500WithoutDetails_andIsLogged() {
    GetTransactionsHandler broken =
        handlerWithAccess(
            (o, m, a) -> {
              throw new IllegalStateException("table cdp-local-warehouse is gone");
            });

    APIGatewayV2HTTPResponse r = broken.handle(event(account.value(), token, Map.of()));

    assertError(r, 500, "internal_error");
    assertThat(r.getBody()).doesNotContain("warehouse");
    assertThat(published.messages())
        .last()
        .asString()
        .contains("table cdp-local-warehouse is gone");
  }

  private GetTransactionsHandler handlerWithAccess(AccountAccess access) {
    return new GetTransactionsHandler(
        new TransactionsService(
            sessions,
            access,
            new TransactionPager(standIns.dynamoDb(), warehouse.table),
            new CursorCodec(
                CursorKeyRing.fixed(CursorKeys.of(SECRET), clock), clock, Duration.ofHours(1))),
        new PlatformLogger(published, "local", "test", clock));
  }

  // ---- logging

  @Test
  void everyRequest_isLoggedAsAppWithoutTheTokenOrTheFullAccountId() {
    get(account, token, Map.of("limit", "2"));
    get(account, "A".repeat(43), Map.of());

    List<String> messages = published.messages();
    assertThat(messages).hasSize(2);
    for (String m : messages) {
      assertThat(m).doesNotContain(token).doesNotContain("A".repeat(43)).doesNotContain("chk-001");
      assertThat(Json.tree(m).get("logType").asText()).isEqualTo("app");
    }
    JsonNode ok = Json.tree(messages.get(0));
    assertThat(ok.get("organizationID").asText()).isEqualTo(org.value());
    assertThat(field(ok, "httpStatus").asInt()).isEqualTo(200);
    assertThat(ok.get("transactionId").asText()).isEqualTo("3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f");
    assertThat(field(Json.tree(messages.get(1)), "httpStatus").asInt()).isEqualTo(401);
  }

  @Test
  void handleRequest_isTheLambdaEntryPoint() {
    APIGatewayV2HTTPResponse r =
        handler.handleRequest(event(account.value(), token, Map.of()), new TestLambdaContext("t"));
    assertThat(r.getStatusCode()).isEqualTo(200);
    assertThat(r.getHeaders()).containsEntry("Cache-Control", "no-store");
  }

  // ---- helpers

  /** A request-level log field (top level, or under "fields" in newer lib-logging versions). */
  private static JsonNode field(JsonNode message, String name) {
    return message.has(name) ? message.get(name) : message.path("fields").path(name);
  }

  private String firstCursor(Map<String, String> filters) {
    Map<String, String> params = new HashMap<>(filters);
    params.put("limit", "2");
    JsonNode page = json(get(account, token, params), 200);
    assertThat(page.get("nextCursor").isTextual()).isTrue();
    return page.get("nextCursor").asText();
  }

  private APIGatewayV2HTTPResponse get(AccountId id, String bearer, Map<String, String> query) {
    return getRaw(id.value(), bearer, query);
  }

  private APIGatewayV2HTTPResponse getRaw(String id, String bearer, Map<String, String> query) {
    return handler.handle(event(id, bearer, query));
  }

  private APIGatewayV2HTTPResponse getWithAuthorization(AccountId id, String authorization) {
    APIGatewayV2HTTPEvent e = event(id.value(), null, Map.of());
    e.setHeaders(Map.of("authorization", authorization));
    return handler.handle(e);
  }

  private static APIGatewayV2HTTPEvent event(String id, String bearer, Map<String, String> query) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-transaction-id", "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f");
    if (bearer != null) {
      headers.put("authorization", "Bearer " + bearer);
    }
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(GetTransactionsHandler.ROUTE)
        .withRawPath("/accounts/" + id + "/transactions")
        .withHeaders(headers)
        .withPathParameters(Map.of("accountId", id))
        .withQueryStringParameters(query.isEmpty() ? null : query)
        .build();
  }

  private static JsonNode json(APIGatewayV2HTTPResponse r, int status) {
    assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
    assertThat(r.getHeaders()).containsEntry("Content-Type", "application/json");
    return Json.tree(r.getBody());
  }

  private static void assertError(APIGatewayV2HTTPResponse r, int status, String code) {
    JsonNode body = json(r, status);
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(body.size()).isEqualTo(2);
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("transactions").forEach(t -> ids.add(t.get("transactionId").asText()));
    return ids;
  }

  @Test
  void prime_readsWithoutWritingOrLogging_andLeavesRequestsUnchanged() {
    int warehouseItems = standIns.itemCount(warehouse.table);
    int sessionItems = standIns.itemCount(Tables.SESSIONS);

    handler.prime();

    assertThat(standIns.itemCount(warehouse.table)).isEqualTo(warehouseItems);
    assertThat(standIns.itemCount(Tables.SESSIONS)).isEqualTo(sessionItems);
    assertThat(published.messages()).isEmpty();
    APIGatewayV2HTTPResponse after = get(account, token, Map.of("limit", "5"));
    assertThat(after.getStatusCode()).isEqualTo(200);
  }
}
