package com.cdp.realtime.subscribe;

import com.cdp.logging.PlatformLogger;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import com.cdp.model.config.EnvReader;
import com.cdp.model.realtime.RealtimeStore;
import com.cdp.model.session.SessionService;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the handler's collaborators in AWS: clients once per container, from {@link Config}. */
record ProductionWiring(SubscriptionService service, PlatformLogger logger) {
  static ProductionWiring create() {
    Config config = Config.from(EnvReader.system());
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(AwsTarget.fromEnvironment());
    Clock clock = Clock.systemUTC();
    SubscriptionService service =
        new SubscriptionService(
            new SessionService(dynamoDb, config.sessionsTable(), clock),
            new RealtimeStore(dynamoDb, config.realtimeTable(), clock),
            clock);
    return new ProductionWiring(service, PlatformLogger.fromEnvironment());
  }
}
