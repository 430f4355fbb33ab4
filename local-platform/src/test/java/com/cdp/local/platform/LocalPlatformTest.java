package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.AwsClients;
import com.cdp.local.standin.StandInException;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import com.cdp.testing.RepoRoot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** The local platform's own machinery, driven through the real protocols. */
class LocalPlatformTest {
  @TempDir static Path dataDir;
  static LocalPlatform platform;
  static final List<String> relayed = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    LocalService probe =
        new LocalService() {
          @Override
          public String name() {
            return "probe";
          }

          @Override
          public void start(LocalPlatform p) {
            p.eventBus().subscribe(Triggers.RELAY_ACCOUNT_EVENTS, relayed::add);
            p.gateway()
                .route(
                    new Triggers.Route("probe", "GET", "/probe/{id}"),
                    event -> {
                      var response =
                          new com.amazonaws.services.lambda.runtime.events
                              .APIGatewayV2HTTPResponse();
                      response.setStatusCode(200);
                      response.setBody(
                          Json.write(java.util.Map.of("id", event.getPathParameters().get("id"))));
                      return response;
                    });
          }
        };
    platform = LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of(probe));
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void start_createsEveryTable_andTheLogsBucket() {
    assertThat(platform.dynamoDb().listTables().tableNames())
        .containsAll(Tables.ALL.stream().map(platform::tableName).toList());
    assertThat(platform.s3().listBuckets().buckets())
        .anyMatch(b -> b.name().equals("cdp-local-logs"));
  }

  @Test
  void theS3EventOfATemplateNotification_carriesTheKeyUrlEncodedAsS3EncodesIt() throws Exception {
    // What a function the template's S3 notification invokes receives (the flow itself, with
    // prefix and suffix filters, runs in IngestionEndToEndTest).
    String json =
        TemplateTriggers.s3Event(
            new com.cdp.local.standin.ObjectCreated(
                "tcu-data-delivery", "transactions/nightly file.csv", 1, "etag"),
            "us-east-1");
    var record =
        com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers
            .serializerFor(
                com.amazonaws.services.lambda.runtime.events.S3Event.class,
                getClass().getClassLoader())
            .fromJson(json)
            .getRecords()
            .get(0);
    assertThat(record.getS3().getBucket().getName()).isEqualTo("tcu-data-delivery");
    assertThat(record.getS3().getObject().getKey()).isEqualTo("transactions/nightly+file.csv");
    assertThat(record.getS3().getObject().getUrlDecodedKey())
        .isEqualTo("transactions/nightly file.csv");
    assertThat(record.getEventName()).isEqualTo("ObjectCreated:Put");
  }

  @Test
  void putEvents_throughTheProductionClient_reachesOnlyMatchingRules() throws Exception {
    try (EventBridgeClient events =
        AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget())) {
      PutEventsResponse response =
          events.putEvents(
              r ->
                  r.entries(
                      e ->
                          e.source("cdp.platform")
                              .detailType("account_balanceupdated")
                              .detail("{\"organizationId\":\"tcu\"}"),
                      e ->
                          e.source("someone.else")
                              .detailType("account_balanceupdated")
                              .detail("{}"),
                      e ->
                          e.source("cdp.platform")
                              .detailType("account_balanceupdated")
                              .detail("not json")));

      assertThat(response.failedEntryCount()).isEqualTo(1);
      assertThat(response.entries().get(2).errorCode()).isEqualTo("InvalidArgument");
    }
    assertThat(platform.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(relayed)
        .singleElement()
        .satisfies(
            json -> {
              var event = Json.tree(json);
              assertThat(event.path("detail-type").asText()).isEqualTo("account_balanceupdated");
              assertThat(event.path("detail").path("organizationId").asText()).isEqualTo("tcu");
              assertThat(event.path("id").asText()).isNotBlank();
            });
  }

  @Test
  void gateway_routesWithPathParameters_andAnswers404And405() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI base = platform.gatewayUrl();
    var ok =
        http.send(
            HttpRequest.newBuilder(base.resolve("/probe/42")).build(),
            HttpResponse.BodyHandlers.ofString());
    var notFound =
        http.send(
            HttpRequest.newBuilder(base.resolve("/nothing/here")).build(),
            HttpResponse.BodyHandlers.ofString());
    var wrongMethod =
        http.send(
            HttpRequest.newBuilder(base.resolve("/probe/42")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(Json.tree(ok.body()).path("id").asText()).isEqualTo("42");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }

  @Test
  void connectorHub_recordsCalls_andRequiresTheOrganizationHeader() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI call = URI.create(platform.hubBaseUrl() + "/connectors/cdp-transfer/1/syncTransfers");
    String key = platform.secrets().get(com.cdp.model.connector.HubApiKey.LOCAL_SECRET);
    var ok =
        http.send(
            HttpRequest.newBuilder(call)
                .header("x-organization-id", "tcu")
                .header(com.cdp.model.connector.HubApiKey.HEADER, key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    var noOrg =
        http.send(
            HttpRequest.newBuilder(call)
                .header(com.cdp.model.connector.HubApiKey.HEADER, key)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(noOrg.statusCode()).isEqualTo(400);
    assertThat(platform.connectorHub().calls())
        .anySatisfy(
            c -> {
              assertThat(c.connector()).isEqualTo("cdp-transfer");
              assertThat(c.organizationId()).isEqualTo("tcu");
              assertThat(c.body().path("a").asInt()).isEqualTo(1);
            });
  }

  @Test
  void connectorHub_refusesACallWithoutTheHubKeyOrWithAnother_andDoesNotRecordIt()
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI call = URI.create(platform.hubBaseUrl() + "/connectors/cdp-transfer/1/refusedProbe");
    var noKey =
        http.send(
            HttpRequest.newBuilder(call)
                .header("x-organization-id", "tcu")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    var wrongKey =
        http.send(
            HttpRequest.newBuilder(call)
                .header("x-organization-id", "tcu")
                .header(com.cdp.model.connector.HubApiKey.HEADER, "not-the-key")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(Json.tree(noKey.body()).path("code").asText()).isEqualTo("hub_key_invalid");
    assertThat(platform.connectorHub().calls()).noneMatch(c -> c.method().equals("refusedProbe"));
  }

  @Test
  void secretsManagerGetSecretValue_throughTheProductionClient_readsTheLocalSecret() {
    try (var client =
        AwsClients.build(
            software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder(),
            platform.secretsTarget())) {
      String value =
          client
              .getSecretValue(
                  r ->
                      r.secretId(
                          "arn:aws:secretsmanager:us-east-1:000000000000:secret:api-key-pepper"))
              .secretString();
      assertThat(value).isEqualTo(platform.secrets().get("api-key-pepper"));
      assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("Not A Name")))
          .hasMessageContaining("can't find the specified secret");
    }
  }

  @Test
  void secrets_areGeneratedOnceAndStable() {
    String first = platform.secrets().get("cursor-signing-key");
    assertThat(first).hasSize(43);
    assertThat(platform.secrets().get("cursor-signing-key")).isEqualTo(first);
  }

  @Test
  void start_whenAPortIsTaken_failsWithAOneLineActionableError(@TempDir Path otherDir)
      throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      LocalOptions options = new LocalOptions(otherDir, RepoRoot.find(), busy.getLocalPort(), 0, 0);
      assertThatThrownBy(() -> LocalPlatform.start(options, List.of()))
          .isInstanceOf(StandInException.class)
          .hasMessage(
              "port "
                  + busy.getLocalPort()
                  + " (gateway) is already in use: stop the other process or choose another port");
    }
  }
}
