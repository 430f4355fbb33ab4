package com.cdp.connectors;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import com.cdp.model.connector.HubApiKey;
import com.cdp.model.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The call-connector function: invoked by an EventBridge schedule, or by an event rule whose input
 * transformer builds the same payload, with {@code {"organizationId","connector","version",
 * "method","params"}}. Reads the raw payload (so a malformed one gets a clear reason instead of a
 * runtime deserialization error), calls the hub through {@link ConnectorCaller}, writes the {@link
 * CallOutcome} as JSON, and lets {@link ConnectorCallFailedException} fail the invocation.
 */
public final class CallConnectorHandler implements RequestStreamHandler {
  /** Time kept back from the invocation's deadline for logging and returning. */
  static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);

  private final ConnectorCaller caller;
  private final PlatformLogger logger;

  /** Used by the Lambda runtime: configuration from the environment ({@link Config}). */
  public CallConnectorHandler() {
    this(EnvReader.system());
  }

  private CallConnectorHandler(EnvReader env) {
    this(Config.from(env), PlatformLogger.fromEnvironment(env));
  }

  private CallConnectorHandler(Config config, PlatformLogger logger) {
    this(
        new ConnectorCaller(
            new HubClient(
                HubClient.httpClient(config.hubTimeout()),
                config.hubBaseUrl(),
                HubApiKey.reading(
                    () -> {
                      try (SecretsManagerClient secrets =
                          AwsClients.build(
                              SecretsManagerClient.builder(), AwsTarget.fromEnvironment())) {
                        return secrets
                            .getSecretValue(r -> r.secretId(config.hubApiKeySecret()))
                            .secretString();
                      }
                    },
                    Clock.systemUTC())),
            config.hubTimeout(),
            logger,
            Clock.systemUTC()),
        logger);
  }

  /** Used by tests and the local platform. */
  public CallConnectorHandler(ConnectorCaller caller, PlatformLogger logger) {
    this.caller = Objects.requireNonNull(caller, "caller");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    String payload = new String(input.readAllBytes(), StandardCharsets.UTF_8);
    Duration budget =
        context == null
            ? Duration.ofDays(1)
            : Duration.ofMillis(context.getRemainingTimeInMillis()).minus(DEADLINE_MARGIN);
    CallOutcome outcome =
        invoke(
            payload,
            budget.isNegative() ? Duration.ofMillis(1) : budget,
            context == null ? null : context.getAwsRequestId());
    output.write(Json.writeBytes(outcome.toJson()));
  }

  /**
   * One invocation with a raw payload; throws {@link ConnectorCallFailedException} when it should
   * be retried. {@code invocationId} (Lambda's request id, the same for every retry of an event)
   * becomes the transactionId when the payload carries none. The local platform calls this
   * directly.
   */
  public CallOutcome invoke(String payload, Duration budget, String invocationId) {
    try {
      return caller.call(payload, budget, invocationId);
    } finally {
      logger.flush();
    }
  }
}
