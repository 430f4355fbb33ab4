package com.cdp.realtime.relay;

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
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.StandIns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/** A relay and pump over dynalite and a fake Management API, for the continuity tests. */
final class PumpFixture implements AutoCloseable {
  final StandIns standIns;
  final RealtimeStore store;
  final SessionService sessions;
  final FakeConnectionsApi api;
  final ApiGatewayManagementApiClient client;
  final ExecutorService pool = RelayHandler.postingPool(8);
  final RelayService relay;
  final MemberStreams streams;

  PumpFixture(StandIns standIns) throws Exception {
    this(standIns, Duration.ofHours(24));
  }

  PumpFixture(StandIns standIns, Duration window) throws Exception {
    this(standIns, window, Duration.ZERO);
  }

  /**
   * {@code goneGrace}: how long after connecting a 410 means "still in $connect" rather than gone
   * (zero: a 410 always means gone).
   */
  PumpFixture(StandIns standIns, Duration window, Duration goneGrace) throws Exception {
    this.standIns = standIns;
    store =
        new RealtimeStore(
            standIns.dynamoDb(), standIns.tableName(Tables.REALTIME), Clock.systemUTC());
    sessions =
        new SessionService(
            standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), Clock.systemUTC());
    api = new FakeConnectionsApi();
    client =
        AwsClients.build(ApiGatewayManagementApiClient.builder(), AwsTarget.local(api.endpoint()));
    relay =
        new RelayService(
            store,
            // Each member owns its own account, "acct-MEMBER" (see publish).
            (org, account) -> java.util.Set.of(MemberId.of(account.value().substring(5))),
            new ConnectionsApi(client),
            pool,
            new RelayService.Settings(
                Duration.ofMinutes(1),
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2, d -> {}),
                goneGrace,
                window),
            Clock.systemUTC());
    streams = relay.pump().streams();
  }

  Session session(OrganizationId org, MemberId member, Topic... topics) {
    Session s = sessions.create(org, member, Duration.ofHours(1)).session();
    store.subscribe(s, List.of(topics));
    return s;
  }

  /** A connection as $connect opens it: waiting for its replay after since (or the end). */
  String connect(Session session, OptionalLong since) {
    String id = recordConnection(session, since);
    api.open(id);
    return id;
  }

  /**
   * A connection recorded by $connect that cannot be posted to yet ($connect has not returned: API
   * Gateway answers 410); {@code api.open(id)} opens it.
   */
  String recordConnection(Session session, OptionalLong since) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 14) + "=";
    store.openConnection(new WsConnection(id, session, Instant.now()), streams, since);
    return id;
  }

  /** What a client's subscribe frame does after recording the topics: nudge, then pump. */
  void subscribeFrame(Session s) {
    streams.nudge(s.organization(), s.member());
    pump(s);
  }

  void pump(Session s) {
    relay.pump().pump(s.organization(), s.member());
  }

  void resume(Session s, String connectionId, long since) {
    streams.requestReplay(
        s.organization(),
        s.member(),
        connectionId,
        s.id(),
        since,
        Instant.now().plus(WsConnection.MAX_DURATION));
    pump(s);
  }

  RelayService.Outcome publish(OrganizationId org, MemberId member, Topic topic) {
    ObjectNode detail = Json.object();
    detail.put("organizationId", org.value());
    detail.put("eventId", UUID.randomUUID().toString());
    detail.put("memberId", member.value());
    detail.put("accountId", "acct-" + member.value());
    ObjectNode event = Json.object();
    event.put("detail-type", topic.detailType());
    event.put("source", "cdp.platform");
    event.put("time", "2026-11-28T10:00:00Z");
    event.set("detail", detail);
    return relay.relay(Json.write(event));
  }

  List<JsonNode> frames(String connectionId) {
    return api.received(connectionId).stream().map(Json::tree).toList();
  }

  /** The seq of every event frame the connection got, in arrival order. */
  List<Long> seqs(String connectionId) {
    return frames(connectionId).stream()
        .filter(f -> f.path("type").asText().equals("event"))
        .map(f -> f.path("seq").asLong())
        .toList();
  }

  @Override
  public void close() {
    client.close();
    api.close();
    pool.shutdownNow();
  }
}
