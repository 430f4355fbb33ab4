package com.cdp.realtime.connect;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import com.cdp.realtime.relay.ConnectionsApi;
import com.cdp.realtime.store.MemberStreams;
import com.cdp.realtime.store.RealtimeStore;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the handler's collaborators in AWS: clients once per container, from {@link Config}. */
record ProductionWiring(ConnectionService service, PlatformLogger logger) {
  static ProductionWiring create() {
    Config config = Config.from(EnvReader.system());
    AwsTarget aws = AwsTarget.fromEnvironment();
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(aws);
    Clock clock = Clock.systemUTC();
    RealtimeStore store = new RealtimeStore(dynamoDb, config.realtimeTable(), clock);
    ConnectionService.Closer closer =
        config
            .managementEndpoint()
            .<ConnectionService.Closer>map(
                endpoint -> {
                  ConnectionsApi api =
                      new ConnectionsApi(
                          AwsClients.build(
                              ApiGatewayManagementApiClient.builder(),
                              new AwsTarget(
                                  aws.region(), aws.credentials(), Optional.of(endpoint))));
                  return closer(api);
                })
            .orElse((id, frame) -> false);
    ConnectionService service =
        new ConnectionService(
            new SessionService(dynamoDb, config.sessionsTable(), clock),
            store,
            store.streams(MemberStreams.DEFAULT_WINDOW),
            closer,
            config.maxConnectionsPerSession(),
            clock);
    return new ProductionWiring(service, PlatformLogger.fromEnvironment());
  }

  /** Closes through the Management API: the frame first (best effort), then the connection. */
  static ConnectionService.Closer closer(ConnectionsApi api) {
    return (id, frame) -> {
      api.post(id, ConnectionService.bytes(frame));
      return api.close(id);
    };
  }
}
