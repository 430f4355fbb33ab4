package com.cdp.cli.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.aws.AwsClients;
import com.cdp.cli.CdpCommand;
import com.cdp.cli.EndpointsFile;
import com.cdp.cli.LocalEndpoints;
import com.cdp.local.platform.LocalConnectorHub;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.connectors.ConnectorsLocal;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.cdp.schedules.ConnectorSchedules;
import com.cdp.testing.RepoRoot;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Scheduled and event-driven Connector Hub calls end to end, from the template: the schedules
 * synthesized from {@code config/schedules.json} for {@code local} fire (here on demand, as the
 * Scheduler fires them at their times), the function runs from its jar and calls the hub simulator,
 * which records it; failures follow the function's invoke configuration.
 */
class ConnectorsLocalTest {
  @TempDir static Path dataDir;
  static LocalPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform =
        LocalPlatform.start(
            LocalOptions.forTests(dataDir, RepoRoot.find()), List.of(new ConnectorsLocal()));
    // The morning balance refresh meets a hub in trouble; "strict" refuses every call.
    platform
        .connectorHub()
        .register(
            "cdp-core", "2", "refreshBalances", call -> new LocalConnectorHub.Reply(503, Map.of()));
    platform
        .connectorHub()
        .register("strict", "1", "always404", call -> new LocalConnectorHub.Reply(404, Map.of()));
    platform
        .connectorHub()
        .register("broken", "1", "always500", call -> new LocalConnectorHub.Reply(500, Map.of()));
    EndpointsFile.write(
        new LocalEndpoints(
            platform.gatewayUrl(),
            platform.s3Target().endpoint().orElseThrow(),
            platform.dynamoDbTarget().endpoint().orElseThrow()),
        dataDir,
        ProcessHandle.current().pid());
    platform.fireSchedule("tcu-sync-transfers");
    platform.fireSchedule("demo-refresh-balances");
    // An asynchronous invocation as a schedule's, of a call the hub refuses.
    HttpResponse<String> accepted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(platform.gatewayUrl() + ConnectorsLocal.INVOKE_PATH))
                    .header("X-Amz-Invocation-Type", "Event")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"organizationId\":\"tcu\",\"connector\":\"strict\",\"version\":\"1\","
                                + "\"method\":\"always404\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(platform.awaitIdle(Duration.ofSeconds(120))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static List<LocalConnectorHub.Call> calls(Predicate<LocalConnectorHub.Call> filter) {
    return platform.connectorHub().calls().stream().filter(filter).toList();
  }

  static void awaitCalls(Predicate<LocalConnectorHub.Call> filter, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (calls(filter).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @Test
  void configuredSchedule_firesAgainstTheSimulator_withTheContractCall() {
    List<LocalConnectorHub.Call> sync = calls(c -> c.method().equals("syncTransfers"));
    assertThat(sync).hasSize(1);
    LocalConnectorHub.Call call = sync.get(0);
    assertThat(call.organizationId()).isEqualTo("tcu");
    assertThat(call.connector()).isEqualTo("cdp-transfer");
    assertThat(call.version()).isEqualTo("1");
    assertThat(call.body()).isEqualTo(Json.tree("{\"lookbackMinutes\":30}"));
    assertThat(call.transactionId()).isNotBlank();
  }

  @Test
  void theLocalPlatformFiresExactlyTheScheduleOfConfigForLocal() {
    // Schedules of other environments only are left out at synthesis (ScheduledConnectorCallsTest
    // shows the dev template without the local-only heartbeat); the platform runs the template.
    List<String> forLocal =
        ConnectorSchedules.load(RepoRoot.find().resolve(ConnectorSchedules.FILE))
            .forEnvironment("local")
            .schedules()
            .stream()
            .map(s -> s.name())
            .toList();
    assertThat(ConnectorsLocal.schedules(platform))
        .extracting(LocalTemplate.Schedule::name)
        .containsExactlyInAnyOrderElementsOf(forLocal)
        .contains("local-heartbeat");
  }

  @Test
  void hub5xx_isRetriedTwice_thenDeadLettered() throws Exception {
    List<LocalConnectorHub.Call> refresh = calls(c -> c.method().equals("refreshBalances"));
    assertThat(refresh).hasSize(3);
    assertThat(refresh)
        .extracting(LocalConnectorHub.Call::transactionId)
        .containsOnly(refresh.get(0).transactionId());
    List<JsonNode> dead =
        Files.readAllLines(ConnectorsLocal.deadLetters(platform)).stream().map(Json::tree).toList();
    assertThat(dead)
        .anySatisfy(
            d -> {
              assertThat(d.path("requestContext").path("approximateInvokeCount").asInt())
                  .isEqualTo(3);
              assertThat(d.path("responsePayload").path("errorMessage").asText()).contains("503");
              assertThat(d.path("requestPayload").path("method").asText())
                  .isEqualTo("refreshBalances");
            });
  }

  @Test
  void scheduleFire_carriesItsIdentity_andEveryAttemptCallsTheHubUnderTheIdDerivedFromIt()
      throws Exception {
    // Scheduler's context attributes are filled in at the fire (the dead letter keeps the payload
    // the function got), and the x-transaction-id of every attempt is derived from them, so a
    // retry, even one of Scheduler's own with a new request id, is recognisable at the hub.
    JsonNode payload =
        Files.readAllLines(ConnectorsLocal.deadLetters(platform)).stream()
            .map(Json::tree)
            .map(d -> d.path("requestPayload"))
            .filter(p -> p.path("method").asText().equals("refreshBalances"))
            .findFirst()
            .orElseThrow();
    String arn = payload.path("scheduleArn").asText();
    String time = payload.path("scheduledTime").asText();
    assertThat(arn).startsWith("arn:aws:scheduler:us-east-1:").endsWith("/demo-refresh-balances");
    assertThat(java.time.Instant.parse(time)).isBefore(java.time.Instant.now());
    assertThat(calls(c -> c.method().equals("refreshBalances")))
        .extracting(LocalConnectorHub.Call::transactionId)
        .containsOnly(com.cdp.logging.TransactionIds.derive("schedule-fire", arn, time));
  }

  @Test
  void hub4xx_isNotRetried() throws Exception {
    assertThat(calls(c -> c.connector().equals("strict"))).hasSize(1);
    String dead = Files.readString(ConnectorsLocal.deadLetters(platform));
    assertThat(dead).doesNotContain("strict");
  }

  @Test
  void hubCalls_areVisibleThroughTheCli() {
    StringWriter out = new StringWriter();
    var cli = CdpCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));

    int code =
        cli.execute(
            "hub", "calls", "--data-dir", dataDir.toString(), "--connector", "cdp-transfer");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("tcu")
        .contains("cdp-transfer/1/syncTransfers")
        .contains("\"lookbackMinutes\":30");
  }

  @Test
  void matchingEvent_callsTheConnector_withThePayloadOfTheInputTransformer() throws Exception {
    try (EventBridgeClient events =
        AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget())) {
      events.putEvents(
          r ->
              r.entries(
                  e ->
                      e.source("cdp.platform")
                          .detailType("account_nicknameupdated")
                          .detail(
                              "{\"organizationId\":\"demo\",\"eventId\":\"e-42\","
                                  + "\"transactionId\":\"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\",\"memberId\":\"m1\","
                                  + "\"accountId\":\"A-1\",\"nickname\":\"Rainy day\"}")));
    }
    awaitCalls(c -> c.method().equals("updateNickname"), 1);
    platform.awaitIdle(Duration.ofSeconds(10));

    List<LocalConnectorHub.Call> nickname = calls(c -> c.method().equals("updateNickname"));
    assertThat(nickname).hasSize(1);
    LocalConnectorHub.Call call = nickname.get(0);
    assertThat(call.organizationId()).isEqualTo("demo");
    assertThat(call.connector()).isEqualTo("cdp-core");
    assertThat(call.transactionId()).isEqualTo("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    assertThat(call.version()).isEqualTo("2");
    assertThat(call.body())
        .isEqualTo(
            Json.tree("{\"accountId\":\"A-1\",\"memberId\":\"m1\",\"nickname\":\"Rainy day\"}"));
  }

  @Test
  void invokeApi_runsTheFunction_andReportsFunctionErrorsAsLambdaDoes() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI invoke = URI.create(platform.gatewayUrl() + ConnectorsLocal.INVOKE_PATH);
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(invoke)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"organizationId\":\"tcu\",\"connector\":\"manual\",\"version\":\"1\",\"method\":\"go\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(Json.tree(ok.body()).path("status").asText()).isEqualTo("succeeded");

    HttpResponse<String> failed =
        http.send(
            HttpRequest.newBuilder(invoke)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"organizationId\":\"tcu\",\"connector\":\"broken\",\"version\":\"1\",\"method\":\"always500\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(failed.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
    assertThat(Json.tree(failed.body()).path("errorMessage").asText()).contains("500");

    HttpResponse<String> malformed =
        http.send(
            HttpRequest.newBuilder(invoke)
                .POST(HttpRequest.BodyPublishers.ofString("{oops"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(Json.tree(malformed.body()).path("status").asText()).isEqualTo("rejected");
  }

  @Test
  void hubRun_invokesARepositorySchedule_now() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = CdpCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("hub", "run", "--data-dir", dataDir.toString(), "local-heartbeat");

    assertThat(code).as(err.toString()).isZero();
    assertThat(Json.tree(out.toString()).path("status").asText()).isEqualTo("succeeded");
    assertThat(calls(c -> c.method().equals("ping"))).isNotEmpty();
  }
}
