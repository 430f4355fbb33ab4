package com.cdp.realtime.relay;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import com.cdp.realtime.store.RealtimeStore;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/** Builds the handler's collaborators in AWS: clients once per container, from {@link Config}. */
record ProductionWiring(RelayService service, PlatformLogger logger) {
  static ProductionWiring create() {
    Config config = Config.from(EnvReader.system());
    AwsTarget aws = AwsTarget.fromEnvironment();
    AwsTarget managementApi =
        new AwsTarget(aws.region(), aws.credentials(), Optional.of(config.managementEndpoint()));
    Clock clock = Clock.systemUTC();
    RelayService.Settings defaults = RelayService.Settings.defaults();
    var dynamoDb = AwsClients.dynamoDb(aws);
    RelayService service =
        new RelayService(
            new RealtimeStore(dynamoDb, config.realtimeTable(), clock),
            AccountOwners.warehouse(dynamoDb, config.warehouseTable()),
            new ConnectionsApi(
                AwsClients.build(ApiGatewayManagementApiClient.builder(), managementApi)),
            RelayHandler.postingPool(config.concurrency()),
            new RelayService.Settings(
                config.claimLease(),
                defaults.throttleBackoff(),
                defaults.goneGrace(),
                config.replayWindow()),
            clock);
    return new ProductionWiring(service, PlatformLogger.fromEnvironment());
  }
}
