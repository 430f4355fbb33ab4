package com.cdp.cli.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.AccountOwnership;
import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.TestIds;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Starts the realtime functions' JVMs before a test class measures anything against short bounds:
 * one connection, one subscription and one relayed event of a throwaway organization, each allowed
 * minutes (a function's first invocation is a cold start, as in Lambda, and this machine is
 * shared).
 */
final class WarmUp {
  private static final Duration COLD = Duration.ofMinutes(2);

  private WarmUp() {}

  static void realtime(LocalPlatform platform, URI webSocketUrl) {
    OrganizationId org = TestIds.org();
    MemberId member = MemberId.of("warm-up");
    platform
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    Map.of(
                        platform.tableName(Tables.WAREHOUSE),
                        AccountOwnership.writes(org, member, AccountId.of("acct-warm-up")))));
    String token =
        new SessionService(
                platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC())
            .create(org, member, Duration.ofMinutes(10))
            .token();
    // A gateway with short limits (ListenCommandTest) may close the connection while a function
    // starts: try again until one round trip works end to end.
    long deadline = System.nanoTime() + COLD.multipliedBy(2).toNanos();
    AssertionError last = null;
    while (System.nanoTime() < deadline) {
      try {
        roundTrip(platform, webSocketUrl, org, member, token);
        return;
      } catch (AssertionError e) {
        last = e;
      }
    }
    throw new AssertionError("the realtime functions did not warm up", last);
  }

  private static void roundTrip(
      LocalPlatform platform, URI webSocketUrl, OrganizationId org, MemberId member, String token) {
    Duration step = Duration.ofSeconds(30);
    String eventId = UUID.randomUUID().toString();
    try (WsTestClient client = WsTestClient.connect(webSocketUrl, token);
        EventBridgeClient events =
            AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget())) {
      client.send("{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\"]}");
      assertThat(client.next(step).path("type").asText()).isEqualTo("subscribed");
      String detail =
          Json.write(
              Map.of(
                  "organizationId",
                  org.value(),
                  "eventId",
                  eventId,
                  "memberId",
                  member.value(),
                  "accountId",
                  "acct-warm-up",
                  "transactionIds",
                  List.of("t-1"),
                  "count",
                  1));
      events.putEvents(
          r ->
              r.entries(
                  e ->
                      e.source("cdp.platform")
                          .detailType("account_transactionadded")
                          .detail(detail)));
      assertThat(client.next(step).path("eventId").asText()).isEqualTo(eventId);
    } catch (WsTestClient.Refused | RuntimeException e) {
      throw new AssertionError("warm-up round trip failed: " + e, e);
    }
  }
}
