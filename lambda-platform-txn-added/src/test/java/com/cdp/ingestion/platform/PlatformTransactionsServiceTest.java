package com.cdp.ingestion.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.AccountOwnership;
import com.cdp.aws.retry.Backoff;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.connector.ConnectorSources;
import com.cdp.model.event.Events;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.cdp.warehouse.BatchWriter;
import com.cdp.warehouse.TransactionEvents;
import com.cdp.warehouse.TransactionWritePath;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The announced-transactions service against dynalite (warehouse, INGESTION) and a WireMock
 * Connector Hub: who may announce, what an announcement may not change, and how much it may hold.
 */
@ExtendWith(StandInsExtension.class)
class PlatformTransactionsServiceTest {
  private static final String TRANSFER = "cdp.connector.cdp-transfer";
  private static final String CORE_PATH = "/connectors/cdp-core/1/getTransactions";

  private final StandIns standIns;
  private final OrganizationId org = TestIds.org();
  private final InMemoryLogPublisher logs = new InMemoryLogPublisher();
  private final PlatformLogger logger = PlatformLogger.inMemory(logs);
  private final List<PutEventsRequestEntry> published = new CopyOnWriteArrayList<>();
  private WireMockServer hub;
  private BatchWriter writer;

  PlatformTransactionsServiceTest(StandIns standIns) {
    this.standIns = standIns;
  }

  @BeforeEach
  void start() {
    hub = new WireMockServer(options().dynamicPort().containerThreads(40));
    hub.start();
    writer = new BatchWriter(standIns.dynamoDb(), 8, Backoff.immediate(5));
  }

  @AfterEach
  void stop() {
    hub.stop();
    writer.close();
  }

  private final EventBridgeClient bus =
      new EventBridgeClient() {
        @Override
        public PutEventsResponse putEvents(PutEventsRequest request) {
          published.addAll(request.entries());
          return PutEventsResponse.builder()
              .failedEntryCount(0)
              .entries(
                  request.entries().stream()
                      .map(e -> PutEventsResultEntry.builder().eventId("x").build())
                      .toList())
              .build();
        }

        @Override
        public String serviceName() {
          return "events";
        }

        @Override
        public void close() {}
      };

  private PlatformTransactionsService service(ConnectorSources sources, int concurrency) {
    return new PlatformTransactionsService(
        new CoreTransactionsClient(
            HttpClient.newHttpClient(),
            URI.create(hub.baseUrl()),
            "cdp-core",
            "1",
            Duration.ofSeconds(10),
            com.cdp.model.connector.HubApiKey.fixed("test-hub-key")),
        new TransactionWritePath(
            writer,
            new TransactionEvents(bus, "bus", Backoff.immediate(3)),
            standIns.tableName(Tables.WAREHOUSE)),
        standIns.dynamoDb(),
        standIns.tableName(Tables.INGESTION),
        sources,
        concurrency,
        Clock.systemUTC());
  }

  private ConnectorSources transferFor(OrganizationId o) {
    return ConnectorSources.of(Map.of(o.value(), List.of(TRANSFER)));
  }

  private void coreAnswers(String body) {
    hub.stubFor(
        post(urlEqualTo(CORE_PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  private static String row(String member, String transactionId, String date) {
    return "{"
        + (member == null ? "" : "\"memberId\":\"" + member + "\",")
        + "\"transactionId\":\""
        + transactionId
        + "\",\"postedDate\":\""
        + date
        + "\",\"amount\":\"-1.00\",\"description\":\"COFFEE\"}";
  }

  private PlatformTransactionsService.Result announce(
      PlatformTransactionsService service, String source, String eventId, String... pairs) {
    List<Events.AnnouncedAccount> accounts = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      accounts.add(new Events.AnnouncedAccount(pairs[i], pairs[i + 1]));
    }
    try (RequestLog log = logger.open(LogType.HUB, org.value(), eventId)) {
      return service.handle(
          source, new Events.PlatformAccountTransactionAdded(org.value(), eventId, accounts), log);
    }
  }

  private void own(String member, String account) {
    standIns
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    Map.of(
                        standIns.tableName(Tables.WAREHOUSE),
                        AccountOwnership.writes(org, MemberId.of(member), AccountId.of(account)))));
  }

  private Set<MemberId> owners(String account) {
    return AccountOwnership.owners(
        standIns.dynamoDb(), standIns.tableName(Tables.WAREHOUSE), org, AccountId.of(account));
  }

  private List<String> transactionIds(String account) {
    return standIns
        .dynamoDb()
        .query(
            r ->
                r.tableName(standIns.tableName(Tables.WAREHOUSE))
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk",
                            AttributeValue.fromS(
                                WarehouseKeys.accountPk(org, AccountId.of(account))))))
        .items()
        .stream()
        .map(i -> i.get("transactionId").s())
        .toList();
  }

  private String allLogs() {
    return String.join("\n", logs.messages());
  }

  @Test
  void announcement_namingAnotherMember_neverChangesOwnership_andIsCountedNotApplied() {
    own("M0000001", "A000000001");
    coreAnswers("{\"transactions\":[" + row(null, "T-1", "2026-11-27") + "]}");

    PlatformTransactionsService.Result result =
        announce(service(transferFor(org), 4), TRANSFER, "e-1", "M0000002", "A000000001");

    assertThat(owners("A000000001")).containsExactly(MemberId.of("M0000001"));
    assertThat(result.ownerHintMismatches()).isEqualTo(1);
    assertThat(result.loaded()).isEqualTo(1);
    // The unverified hint never reaches the core (a core echoing it would hand over the account).
    hub.verify(
        postRequestedFor(urlEqualTo(CORE_PATH))
            .withRequestBody(matchingJsonPath("$.memberId", matchingEqualTo("M0000001"))));
    assertThat(allLogs()).contains("ownerHint").doesNotContain("A000000001");
    assertThat(published).hasSize(1);
    assertThat(published.get(0).detail()).contains("\"memberId\":\"M0000001\"");
  }

  private static com.github.tomakehurst.wiremock.matching.StringValuePattern matchingEqualTo(
      String value) {
    return com.github.tomakehurst.wiremock.client.WireMock.equalTo(value);
  }

  @Test
  void announcement_forAnAccountNobodyOwns_loadsNothingUnderTheHintedMember() {
    coreAnswers("{\"transactions\":[" + row(null, "T-1", "2026-11-27") + "]}");

    PlatformTransactionsService.Result result =
        announce(service(transferFor(org), 4), TRANSFER, "e-1", "M0000002", "A000000009");

    assertThat(owners("A000000009")).isEmpty();
    assertThat(transactionIds("A000000009")).isEmpty();
    assertThat(result.ownerHintMismatches()).isEqualTo(1);
  }

  @Test
  void coreRowsThatNameTheirMember_listOwners_soAJointAccountGetsBoth() {
    coreAnswers(
        "{\"transactions\":["
            + row("M0000001", "T-1", "2026-11-27")
            + ","
            + row("M0000003", "T-2", "2026-11-27")
            + "]}");

    announce(service(transferFor(org), 4), TRANSFER, "e-1", null, "A000000001");

    assertThat(owners("A000000001"))
        .containsExactlyInAnyOrder(MemberId.of("M0000001"), MemberId.of("M0000003"));
  }

  @Test
  void announcement_fromASourceNotConfiguredForTheOrganization_isRefusedWithALogLine() {
    own("M0000001", "A000000001");
    coreAnswers("{\"transactions\":[" + row(null, "T-1", "2026-11-27") + "]}");
    OrganizationId other = TestIds.org();

    PlatformTransactionsService.Result otherSource =
        announce(
            service(transferFor(org), 4),
            "cdp.connector.someone-else",
            "e-1",
            "M0000001",
            "A000000001");
    PlatformTransactionsService.Result otherOrgsSource =
        announce(service(transferFor(other), 4), TRANSFER, "e-2", "M0000001", "A000000001");

    assertThat(otherSource.refused()).isTrue();
    assertThat(otherOrgsSource.refused()).isTrue();
    hub.verify(0, postRequestedFor(urlEqualTo(CORE_PATH)));
    assertThat(transactionIds("A000000001")).isEmpty();
    assertThat(allLogs()).contains("refused");
  }

  @Test
  void deduplication_isScopedByConnectorSource() {
    own("M0000001", "A000000001");
    coreAnswers("{\"transactions\":[" + row(null, "T-1", "2026-11-27") + "]}");
    String second = "cdp.connector.cdp-other";
    ConnectorSources both = ConnectorSources.of(Map.of(org.value(), List.of(TRANSFER, second)));

    announce(service(both, 4), TRANSFER, "same-id", null, "A000000001");
    coreAnswers(
        "{\"transactions\":["
            + row(null, "T-1", "2026-11-27")
            + ","
            + row(null, "T-2", "2026-11-27")
            + "]}");
    PlatformTransactionsService.Result fromTheOther =
        announce(service(both, 4), second, "same-id", null, "A000000001");

    // Another connector's event with the same id is its own announcement, not a redelivery.
    assertThat(fromTheOther.loaded()).isEqualTo(1);
    assertThat(transactionIds("A000000001")).containsExactlyInAnyOrder("T-1", "T-2");
  }

  @Test
  void coreRowsDatedBeforeTheNewestStoredDate_areLoaded_andDeduplicatedByTransactionId() {
    own("M0000001", "A000000001");
    PlatformTransactionsService service = service(transferFor(org), 4);
    coreAnswers("{\"transactions\":[" + row(null, "T-NEW", "2026-11-27") + "]}");
    announce(service, TRANSFER, "e-1", null, "A000000001");
    // The core reports a transaction late, dated before the newest stored one, and repeats one.
    coreAnswers(
        "{\"transactions\":["
            + row(null, "T-LATE", "2026-11-24")
            + ","
            + row(null, "T-NEW", "2026-11-27")
            + "]}");

    PlatformTransactionsService.Result result =
        announce(service, TRANSFER, "e-2", null, "A000000001");

    assertThat(result.loaded()).isEqualTo(1);
    assertThat(transactionIds("A000000001")).containsExactlyInAnyOrder("T-NEW", "T-LATE");
  }

  @Test
  void invalidAccountIds_areSkipped_withoutTheirTextInAnyLog() {
    PlatformTransactionsService.Result result =
        announce(service(transferFor(org), 4), TRANSFER, "e-1", null, "secret id!");

    assertThat(result.skipped()).isEqualTo(1);
    assertThat(allLogs()).contains("skipped").doesNotContain("secret id");
  }

  @Test
  void aThousandAccountAnnouncement_completes_everyAccountLoadedAndAnnouncedOnce() {
    coreAnswers("{\"transactions\":[" + row("M0000001", "T-1", "2026-11-27") + "]}");
    String[] pairs = new String[2000];
    for (int i = 0; i < 1000; i++) {
      pairs[2 * i] = null;
      pairs[2 * i + 1] = String.format("A%09d", i);
    }

    PlatformTransactionsService.Result result =
        announce(service(transferFor(org), 16), TRANSFER, "big", pairs);

    assertThat(result.accounts()).isEqualTo(1000);
    assertThat(result.loaded()).isEqualTo(1000);
    assertThat(result.announced()).isEqualTo(1000);
    assertThat(published).hasSize(1000);
    assertThat(transactionIds("A000000999")).containsExactly("T-1");
    assertThat(owners("A000000500")).containsExactly(MemberId.of("M0000001"));
  }

  @Test
  void metrics_countRefusalsAndMismatches_asEmbeddedMetricLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnnouncementMetrics metrics =
        new AnnouncementMetrics(
            "dev", new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC());

    metrics.record(new PlatformTransactionsService.Result(3, 0, 0, 0, false, 2));
    metrics.record(new PlatformTransactionsService.Result(3, 3, 3, 0, false, 0));
    metrics.record(new PlatformTransactionsService.Result(1, 0, 0, 0, true, 0));

    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains("\"OwnerHintMismatches\":2").contains("CDP/Ingestion");
    assertThat(lines[1]).contains("\"RefusedAnnouncements\":1");
  }
}
