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
      StreamPump streamPump =
          new StreamPump(
              store,
              store.streams(config.replayWindow()),
              api,
              RelayHandler.postingPool(4),
              pumpSettings(relay),
              clock);
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

  /**
   * The lease of a pump started by a frame: just past this function's 29-second timeout (API
   * Gateway's integration limit), so a live pump never loses it and a killed one blocks the
   * member's stream for at most 30 s (docs/realtime.md, "Failures").
   */
  static final java.time.Duration PUMP_LEASE = java.time.Duration.ofSeconds(30);

  /**
   * The relay's pump settings (batch, backoff, grace) with this function's lease, the run bounded
   * at two thirds of it (20 s) as the relay's is: with the relay's own settings (a 40-s run, a 60-s
   * lease) a pump still running at 29 s was killed holding the lease, and every other pump waited
   * out the 60 s while the member's events stalled.
   */
  static StreamPump.Settings pumpSettings(RelayService.Settings relay) {
    return new StreamPump.Settings(
        PUMP_LEASE,
        100,
        relay.throttleBackoff(),
        relay.goneGrace(),
        PUMP_LEASE.multipliedBy(2).dividedBy(3));
  }
}
