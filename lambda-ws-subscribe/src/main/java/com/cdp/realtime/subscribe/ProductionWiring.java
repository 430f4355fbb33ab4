package com.cdp.realtime.subscribe;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.http.SignedCursors;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import com.cdp.realtime.relay.ConnectionsApi;
import com.cdp.realtime.relay.RelayHandler;
import com.cdp.realtime.relay.RelayService;
import com.cdp.realtime.relay.StreamPump;
import com.cdp.realtime.store.RealtimeStore;
import java.time.Clock;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Builds the handler's collaborators in AWS: clients once per container, from {@link Config}. */
record ProductionWiring(
    SubscriptionService service, CatchUpService catchUp, PlatformLogger logger) {
  static ProductionWiring create() {
    Config config = Config.from(EnvReader.system());
    AwsTarget aws = AwsTarget.fromEnvironment();
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(aws);
    Clock clock = Clock.systemUTC();
    RealtimeStore store = new RealtimeStore(dynamoDb, config.realtimeTable(), clock);
    RelayService.Settings relay =
        RelayService.Settings.defaults().withReplayWindow(config.replayWindow());
    SubscriptionService.Pump pump = (o, m) -> {};
    if (config.managementEndpoint().isPresent()) {
      ConnectionsApi api =
          new ConnectionsApi(
              AwsClients.build(
                  ApiGatewayManagementApiClient.builder(),
                  new AwsTarget(aws.region(), aws.credentials(), config.managementEndpoint())));
      // Only the member's pump is used here (replays); it never asks who owns an account.
      StreamPump streamPump =
          new RelayService(
                  store,
                  (org, account) -> java.util.Set.of(),
                  api,
                  RelayHandler.postingPool(4),
                  relay,
                  clock)
              .pump();
      pump = (o, m) -> streamPump.pump(o, m);
    }
    SubscriptionService service =
        new SubscriptionService(
            new SessionService(dynamoDb, config.sessionsTable(), clock),
            store,
            store.streams(config.replayWindow()),
            pump,
            clock);
    String cursorSecret;
    try (SecretsManagerClient secrets = AwsClients.build(SecretsManagerClient.builder(), aws)) {
      cursorSecret =
          secrets.getSecretValue(r -> r.secretId(config.cursorSecretArn())).secretString();
    }
    CatchUpService catchUp =
        new CatchUpService(
            store,
            store.streams(config.replayWindow()),
            new SignedCursors(cursorSecret, clock, CatchUpService.CURSOR_TTL));
    return new ProductionWiring(service, catchUp, PlatformLogger.fromEnvironment());
  }
}
