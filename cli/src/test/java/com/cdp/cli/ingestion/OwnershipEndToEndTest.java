package com.cdp.cli.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.ingestion.IngestionLocal;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.local.platform.transactions.TransactionsLocal;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Who may read an account and receive its events, end to end on the local platform (files through
 * S3, announcements through PutEvents, reads through the transactions API, events through the
 * WebSocket API): the attack of issue 13 (an announcement naming another member) changes nothing,
 * and every owner of a joint account listed in a file reads it.
 */
class OwnershipEndToEndTest {
  private static final String TRANSFER = "cdp.connector.cdp-transfer";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  /**
   * The local environment's organization that accepts {@link #TRANSFER}'s announcements (its {@code
   * connectorSources} in infra-cdk/environments/local.json, so in the template).
   */
  private final OrganizationId org = OrganizationId.of("tcu");

  private LocalPlatform platform;
  private RealtimeLocal realtime;
  private SessionService sessions;
  private final List<WebSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    IngestionLocal ingestion = new IngestionLocal();
    realtime = new RealtimeLocal();
    platform =
        LocalPlatform.start(
            LocalOptions.forTests(dataDir, RepoRoot.find()),
            List.of(ingestion, new TransactionsLocal(), realtime));
    sessions =
        new SessionService(
            platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    sockets.forEach(WebSocket::abort);
    if (platform != null) {
      platform.close();
    }
  }

  private void upload(String csv) throws InterruptedException {
    String bucket = platform.ensureOrganization(org);
    platform
        .s3()
        .putObject(
            r -> r.bucket(bucket).key("transactions/nightly.csv"), RequestBody.fromString(csv));
    assertThat(platform.awaitIdle(Duration.ofSeconds(120))).isTrue();
  }

  private String token(String member) {
    return sessions.create(org, MemberId.of(member), Duration.ofHours(1)).token();
  }

  private int read(String token, String account) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(platform.gatewayUrl() + "/accounts/" + account + "/transactions"))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** A WebSocket subscribed to account_transactionadded; its frames arrive in the queue. */
  private BlockingQueue<JsonNode> listen(String token) throws Exception {
    BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    WebSocket ws =
        HTTP.newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    realtime.webSocketUrl()
                        + "?token="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8)),
                new WebSocket.Listener() {
                  private final StringBuilder partial = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      frames.add(Json.tree(partial.toString()));
                      partial.setLength(0);
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    sockets.add(ws);
    ws.sendText("{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\"]}", true);
    JsonNode reply = frames.poll(10, TimeUnit.SECONDS);
    assertThat(reply).isNotNull();
    assertThat(reply.path("type").asText()).isEqualTo("subscribed");
    return frames;
  }

  private void announce(String source, String member, String account) throws Exception {
    String detail =
        "{\"organizationId\":\""
            + org.value()
            + "\",\"eventId\":\"e-"
            + TestIds.suffix()
            + "\",\"accounts\":[{\"memberId\":\""
            + member
            + "\",\"accountId\":\""
            + account
            + "\"}]}";
    try (EventBridgeClient events =
        AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget())) {
      events.putEvents(
          r ->
              r.entries(
                  e ->
                      e.source(source)
                          .detailType("platform_account_transactionadded")
                          .detail(detail)));
    }
    assertThat(platform.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }

  private static List<JsonNode> events(BlockingQueue<JsonNode> frames) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JsonNode f;
    while ((f = frames.poll(2, TimeUnit.SECONDS)) != null) {
      if (f.path("type").asText().equals("event")) {
        out.add(f);
      }
    }
    return out;
  }

  @Test
  void announcementNamingAnotherMember_doesNotHandOverTheAccount_norItsEvents() throws Exception {
    upload(
        "memberId,accountId,transactionId,postedDate,amount,description\n"
            + "M0000001,A000000001,T-1,2026-11-26,-4.50,COFFEE\n"
            + "M0000001,A000000001,T-2,2026-11-27,-9.00,LUNCH\n"
            + "M0000002,A000000002,T-3,2026-11-27,-1.00,BUS\n");
    String owner = token("M0000001");
    String attacker = token("M0000002");
    BlockingQueue<JsonNode> ownerFrames = listen(owner);
    BlockingQueue<JsonNode> attackerFrames = listen(attacker);

    // The exact attack of issue 13: a connector announces M0000002 for M0000001's account.
    announce(TRANSFER, "M0000002", "A000000001");

    assertThat(read(attacker, "A000000001")).isEqualTo(404);
    assertThat(read(owner, "A000000001")).isEqualTo(200);
    assertThat(events(attackerFrames)).isEmpty();
    List<JsonNode> ownerEvents = events(ownerFrames);
    assertThat(ownerEvents).hasSize(1);
    assertThat(ownerEvents.get(0).path("data").path("accountId").asText()).isEqualTo("A000000001");
  }

  @Test
  void announcementFromASourceNotConfiguredForTheOrganization_isRefused() throws Exception {
    upload(
        "memberId,accountId,transactionId,postedDate,amount,description\n"
            + "M0000001,A000000001,T-1,2026-11-26,-4.50,COFFEE\n");
    BlockingQueue<JsonNode> ownerFrames = listen(token("M0000001"));

    announce("cdp.connector.not-configured", "M0000001", "A000000001");

    assertThat(events(ownerFrames)).isEmpty();
  }

  @Test
  void jointAccountInAFile_everyListedMemberReadsIt_andNobodyElse() throws Exception {
    upload(
        "memberId,accountId,transactionId,postedDate,amount,description\n"
            + "M0000001,A000000007,T-1,2026-11-26,-4.50,COFFEE\n"
            + "M0000002,A000000007,T-1,2026-11-26,-4.50,COFFEE\n"
            + "M0000002,A000000007,T-2,2026-11-27,-9.00,LUNCH\n"
            + "M0000003,A000000008,T-3,2026-11-27,-1.00,BUS\n");

    assertThat(read(token("M0000001"), "A000000007")).isEqualTo(200);
    assertThat(read(token("M0000002"), "A000000007")).isEqualTo(200);
    assertThat(read(token("M0000003"), "A000000007")).isEqualTo(404);
  }
}
