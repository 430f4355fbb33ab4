package com.cdp.transactions;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Builds the handler's collaborators in AWS: clients once per container, from {@link Config}. */
record ProductionWiring(TransactionsService service, PlatformLogger logger) {
  static ProductionWiring create() {
    EnvReader env = EnvReader.system();
    Config config = Config.from(env);
    AwsTarget target = AwsTarget.fromEnvironment();
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(target);
    SecretsManagerClient secrets = AwsClients.build(SecretsManagerClient.builder(), target);
    Clock clock = Clock.systemUTC();
    CursorKeyRing keys =
        new CursorKeyRing(new SecretsManagerCursorKeys(secrets, config.cursorSecretArn()), clock);
    TransactionsService service =
        new TransactionsService(
            new SessionService(dynamoDb, config.sessionsTable(), clock),
            AccountAccess.ownership(dynamoDb, config.warehouseTable()),
            new TransactionPager(dynamoDb, config.warehouseTable()),
            new CursorCodec(keys, clock, config.cursorTtl()));
    return new ProductionWiring(service, PlatformLogger.fromEnvironment(env));
  }
}
