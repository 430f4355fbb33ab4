package com.cdp.realtime.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.retry.Backoff;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.WsConnection;
import com.cdp.model.session.Session;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * DynamoDB's eventually consistent reads may miss a write that completed a moment ago (dynalite's
 * never do). The pump admits a connection after its replay and then reads the connections to post
 * live to: a read that still shows the connection waiting would skip the events of that round for
 * it, and the next round would post it the later ones, a gap the client cannot see.
 */
@ExtendWith(StandInsExtension.class)
class EventuallyConsistentReadsTest {
  private final StandIns standIns;
  private final ExecutorService pool = RelayHandler.postingPool(4);
  private final FakeConnectionsApi api;
  private final ApiGatewayManagementApiClient client;
  private final DynamoDbClient lagging;

  EventuallyConsistentReadsTest(StandIns standIns) throws Exception {
    this.standIns = standIns;
    api = new FakeConnectionsApi();
    client =
        AwsClients.build(ApiGatewayManagementApiClient.builder(), AwsTarget.local(api.endpoint()));
    lagging = laggingReplica();
  }

  @AfterEach
  void close() {
    lagging.close();
    client.close();
    api.close();
    pool.shutdownNow();
  }

  /**
   * A client whose eventually consistent queries of a partition answer what the previous such query
   * found (a replica one write behind); consistent reads and index queries are untouched.
   */
  private DynamoDbClient laggingReplica() {
    Map<String, QueryResponse> replica = new ConcurrentHashMap<>();
    return DynamoDbClient.builder()
        .endpointOverride(standIns.dynamoDbTarget().endpoint().orElseThrow())
        .region(standIns.dynamoDbTarget().region())
        .credentialsProvider(standIns.dynamoDbTarget().credentials())
        .httpClient(AwsClients.httpClient())
        .overrideConfiguration(
            o ->
                o.addExecutionInterceptor(
                    new ExecutionInterceptor() {
                      @Override
                      public SdkResponse modifyResponse(
                          Context.ModifyResponse context, ExecutionAttributes attributes) {
                        if (context.request() instanceof QueryRequest q
                            && !Boolean.TRUE.equals(q.consistentRead())
                            && q.indexName() == null
                            && context.response() instanceof QueryResponse actual) {
                          AttributeValue pk = q.expressionAttributeValues().get(":pk");
                          String key =
                              pk == null ? "" : pk.s() + "|" + q.expressionAttributeValues();
                          QueryResponse before = replica.put(key, actual);
                          return before == null ? actual : before;
                        }
                        return context.response();
                      }
                    }))
        .build();
  }

  @Test
  void pump_whenTheConnectionReadLagsBehindItsAdmission_stillPostsEveryEventInOrder() {
    Clock clock = Clock.systemUTC();
    RealtimeStore store = new RealtimeStore(lagging, standIns.tableName(Tables.REALTIME), clock);
    RelayService relay =
        new RelayService(
            store,
            (org, account) -> java.util.Set.of(MemberId.of(account.value().substring(5))),
            new ConnectionsApi(client),
            pool,
            new RelayService.Settings(
                Duration.ofMinutes(1),
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2, d -> {}),
                Duration.ZERO),
            clock);
    OrganizationId org = TestIds.org();
    MemberId member = MemberId.of("m-1");
    SessionService sessions =
        new SessionService(standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), clock);
    Session s = sessions.create(org, member, Duration.ofHours(1)).session();
    store.subscribe(s, List.of(Topic.ACCOUNT_TRANSACTION_ADDED));

    publish(relay, org, member); // seq 1, nobody connected yet
    String c = UUID.randomUUID().toString().replace("-", "").substring(0, 14) + "=";
    store.openConnection(
        new WsConnection(c, s, Instant.now()), relay.pump().streams(), OptionalLong.of(0));
    api.open(c);
    publish(relay, org, member); // seq 2: replays 1 to the connection, admits it, posts 2 live
    publish(relay, org, member); // seq 3

    List<Long> seqs =
        api.received(c).stream()
            .map(Json::tree)
            .filter(f -> f.path("type").asText().equals("event"))
            .map(f -> f.path("seq").asLong())
            .toList();
    assertThat(seqs).containsExactly(1L, 2L, 3L);
  }

  private static void publish(RelayService relay, OrganizationId org, MemberId member) {
    ObjectNode detail = Json.object();
    detail.put("organizationId", org.value());
    detail.put("eventId", UUID.randomUUID().toString());
    detail.put("memberId", member.value());
    detail.put("accountId", "acct-" + member.value());
    ObjectNode event = Json.object();
    event.put("detail-type", Topic.ACCOUNT_TRANSACTION_ADDED.detailType());
    event.put("source", "cdp.platform");
    event.put("time", "2026-11-28T10:00:00Z");
    event.set("detail", detail);
    relay.relay(Json.write(event));
  }
}
