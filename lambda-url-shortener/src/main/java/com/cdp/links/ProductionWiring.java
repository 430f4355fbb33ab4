package com.cdp.links;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.http.SignedCursors;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Builds the handler's collaborators in AWS: clients once per container, from {@link Config}. */
record ProductionWiring(LinkService service, PlatformLogger logger) {
  static ProductionWiring create() {
    EnvReader env = EnvReader.system();
    Config config = Config.from(env);
    AwsTarget target = AwsTarget.fromEnvironment();
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(target);
    String pepper;
    String cursorSecret;
    try (SecretsManagerClient secrets = AwsClients.build(SecretsManagerClient.builder(), target)) {
      pepper = secrets.getSecretValue(r -> r.secretId(config.pepperSecretArn())).secretString();
      cursorSecret =
          secrets.getSecretValue(r -> r.secretId(config.cursorSecretArn())).secretString();
    }
    Clock clock = Clock.systemUTC();
    LinkStore store = new LinkStore(dynamoDb, config.linksTable());
    LinkService service =
        new LinkService(
            store,
            new ApiKeys(dynamoDb, config.linksTable(), pepper, clock),
            OrganizationDirectory.of(config.organizations()),
            config.hosts(),
            CodeSource.secureRandom(CodeSource.DEFAULT_LENGTH),
            new VisitCounter(store),
            clock,
            new LinkService.Options(
                new LinkCache(clock, LinkCache.DEFAULT_MAX_AGE, LinkCache.DEFAULT_MAX_ENTRIES),
                Optional.of(new SignedCursors(cursorSecret, clock, Duration.ofHours(1))),
                config.expiredLinkPages()));
    return new ProductionWiring(service, PlatformLogger.fromEnvironment(env));
  }
}
