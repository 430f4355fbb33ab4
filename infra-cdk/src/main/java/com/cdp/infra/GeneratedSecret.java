package com.cdp.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * A platform secret whose first value Secrets Manager generates at deploy time (letters and digits,
 * never seen by anyone), named {@code cdp/ENV/NAME}; kept when a production stack is deleted.
 * Rotation is a {@code put-secret-value} (docs/OPERATIONS.md).
 */
public final class GeneratedSecret {
  private GeneratedSecret() {}

  public static Secret create(
      Construct scope,
      String id,
      PlatformStack stack,
      String name,
      int length,
      String description) {
    return Secret.Builder.create(scope, id)
        .secretName("cdp/" + stack.config().name() + "/" + name)
        .description(description)
        .generateSecretString(
            SecretStringGenerator.builder().passwordLength(length).excludePunctuation(true).build())
        .removalPolicy(stack.config().isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
        .build();
  }
}
