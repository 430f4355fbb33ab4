package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A secret the template does not declare (one an operator creates, granted with {@code
 * Secret.fromSecretNameV2}) is named by AWS with a random six-character suffix: the front door
 * resolves a {@code GetSecretValue} by name the same way, so the template's {@code NAME-??????}
 * grant allows it, as in AWS.
 */
class OperatorSecretArnTest {
  private static final String PREFIX = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";

  private final RequestActions actions =
      new RequestActions(
          "us-east-1",
          "000000000000",
          (table, index) -> Optional.empty(),
          Map.of("cdp/local/hub-key", PREFIX + "cdp/local/hub-key"),
          Map.of());

  @Test
  void operatorSecretByName_matchesTheFromSecretNameV2Grant_butNotAnotherSecretsGrant() {
    String arn = actions.secretArn("cdp/local/segmint-credentials");
    assertThat(Wildcard.matches(PREFIX + "cdp/local/segmint-credentials-??????", arn, false))
        .isTrue();
    assertThat(Wildcard.matches(PREFIX + "cdp/local/segmint-??????", arn, false)).isFalse();
    assertThat(Wildcard.matches(PREFIX + "cdp/local/other-??????", arn, false)).isFalse();
  }

  @Test
  void templateSecret_keepsItsTemplateArn_andAnArnIsTakenAsGiven() {
    assertThat(actions.secretArn("cdp/local/hub-key")).isEqualTo(PREFIX + "cdp/local/hub-key");
    assertThat(actions.secretArn(PREFIX + "x-AbCdEf")).isEqualTo(PREFIX + "x-AbCdEf");
  }
}
