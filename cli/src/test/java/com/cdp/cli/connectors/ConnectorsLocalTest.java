package com.cdp.cli.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.cli.CdpCommand;
import com.cdp.cli.EndpointsFile;
import com.cdp.cli.LocalEndpoints;
import com.cdp.cli.local.LocalConnectorHub;
import com.cdp.cli.local.LocalOptions;
import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.connectors.ConnectorsLocal;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.json.Json;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Scheduled and event-driven Connector Hub calls end to end: a schedule from a configuration file
 * fires on its cron expression, the production function calls the hub simulator, which records it.
 */
class ConnectorsLocalTest {
  @TempDir static Path dataDir;
  static LocalPlatform platform;
  static ConnectorsLocal connectors;

  /** Every schedule fires each minute; the clock is set just before a minute starts. */
  static final String SCHEDULES =
      """
      {"schedules":[
        {"name":"sync","expression":"cron(* * * * ? *)","organizationId":"tcu",
         "connector":"cdp-transfer","version":"1","method":"syncTransfers","params":{"limit":5}},
        {"name":"flaky","expression":"cron(* * * * ? *)","organizationId":"tcu",
         "connector":"flaky","version":"1","method":"always503"},
        {"name":"refused","expression":"cron(* * * * ? *)","organizationId":"tcu",
         "connector":"strict","version":"1","method":"always404"},
        {"name":"dev-only","expression":"cron(* * * * ? *)","organizationId":"tcu",
         "connector":"devonly","version":"1","method":"never","environments":["dev"]}],
       "eventCalls":[
        {"name":"on-nickname","pattern":{"detail-type":["account_nicknameupdated"]},
         "connector":"cdp-core","version":"2","method":"updateNickname",
         "detailParams":{"accountId":"accountId","nickname":"nickname"}}]}
      """;

  @BeforeAll
  static void start() throws Exception {
    Path file = dataDir.resolve("schedules.json");
    Files.writeString(file, SCHEDULES);
    Instant now = Instant.now();
    Instant justBeforeAMinute =
        now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60).minusMillis(700);
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(now, justBeforeAMinute));
    connectors = new ConnectorsLocal(file, clock, List.of(Duration.ZERO, Duration.ZERO));
    platform =
        LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of(connectors));
    platform
        .connectorHub()
        .register("flaky", "1", "always503", call -> new LocalConnectorHub.Reply(503, Map.of()));
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
    // The first fire is ~0.7 s away; wait until it happened and everything it started is done.
    awaitCalls(c -> c.connector().equals("cdp-transfer"), 1);
    awaitCalls(c -> c.connector().equals("flaky"), 3);
    platform.awaitIdle(Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  /**
   * A clock that, from its first reading on (when the scheduler starts), runs 0.7 s behind the next
   * full minute: cron schedules then fire right away instead of up to a minute later.
   */
  static final class JustBeforeAMinute extends Clock {
    private volatile Duration offset;

    @Override
    public Instant instant() {
      Instant now = Instant.now();
      if (offset == null) {
        synchronized (this) {
          if (offset == null) {
            Instant target = now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60).minusMillis(700);
            offset = Duration.between(now, target);
          }
        }
      }
      return now.plus(offset);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
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
    List<LocalConnectorHub.Call> sync = calls(c -> c.connector().equals("cdp-transfer"));
    assertThat(sync).hasSize(1);
    LocalConnectorHub.Call call = sync.get(0);
    assertThat(call.organizationId()).isEqualTo("tcu");
    assertThat(call.version()).isEqualTo("1");
    assertThat(call.method()).isEqualTo("syncTransfers");
    assertThat(call.body()).isEqualTo(Json.tree("{\"limit\":5}"));
    assertThat(call.transactionId()).isNotBlank();
  }

  @Test
  void scheduleOfAnotherEnvironment_doesNotRunLocally() {
    assertThat(connectors.schedules()).extracting(s -> s.name()).doesNotContain("dev-only");
    assertThat(calls(c -> c.connector().equals("devonly"))).isEmpty();
  }

  @Test
  void hub5xx_isRetriedTwice_thenDeadLettered() throws Exception {
    List<LocalConnectorHub.Call> flaky = calls(c -> c.connector().equals("flaky"));
    assertThat(flaky).hasSize(3);
    assertThat(flaky)
        .extracting(LocalConnectorHub.Call::transactionId)
        .containsOnly(flaky.get(0).transactionId());
    Path deadLetters = dataDir.resolve(ConnectorsLocal.DEAD_LETTERS);
    List<JsonNode> dead = Files.readAllLines(deadLetters).stream().map(Json::tree).toList();
    assertThat(dead)
        .anySatisfy(
            d -> {
              assertThat(d.path("source").asText()).isEqualTo("flaky");
              assertThat(d.path("error").asText()).contains("503");
              assertThat(d.path("payload").path("connector").asText()).isEqualTo("flaky");
            });
  }

  @Test
  void hub4xx_isNotRetried() throws Exception {
    assertThat(calls(c -> c.connector().equals("strict"))).hasSize(1);
    String dead = Files.readString(dataDir.resolve(ConnectorsLocal.DEAD_LETTERS));
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
        .contains("\"limit\":5");
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
    awaitCalls(c -> c.connector().equals("cdp-core"), 1);
    platform.awaitIdle(Duration.ofSeconds(10));

    LocalConnectorHub.Call call = calls(c -> c.connector().equals("cdp-core")).get(0);
    assertThat(call.organizationId()).isEqualTo("demo");
    assertThat(call.method()).isEqualTo("updateNickname");
    assertThat(call.transactionId()).isEqualTo("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    assertThat(call.body())
        .isEqualTo(Json.tree("{\"accountId\":\"A-1\",\"nickname\":\"Rainy day\"}"));
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
