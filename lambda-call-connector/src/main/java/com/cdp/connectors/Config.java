package com.cdp.connectors;

import com.cdp.model.config.EnvReader;
import com.cdp.model.connector.HubApiKey;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The function's configuration, read once from its environment: {@code CDP_ENV}, the Connector Hub
 * base URL ({@code CONNECTOR_HUB_URL}) and how long one hub call may take ({@code HUB_TIMEOUT},
 * ISO-8601, default 10 s). The function's own timeout must be longer than {@code HUB_TIMEOUT} (the
 * CDK construct sets both), so a slow hub surfaces as this function's clear timeout error rather
 * than as a killed invocation. {@code CONNECTOR_HUB_API_KEY_SECRET_ARN} names the secret holding
 * the key every hub call carries ({@link HubApiKey}).
 */
record Config(String environment, URI hubBaseUrl, Duration hubTimeout, String hubApiKeySecret) {
  public static final Duration DEFAULT_HUB_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration MAX_HUB_TIMEOUT = Duration.ofMinutes(5);

  public Config {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(hubBaseUrl, "hubBaseUrl");
    Objects.requireNonNull(hubTimeout, "hubTimeout");
    String scheme = hubBaseUrl.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalStateException("configuration: CONNECTOR_HUB_URL must be an http(s) URL");
    }
    if (hubTimeout.isNegative()
        || hubTimeout.isZero()
        || hubTimeout.compareTo(MAX_HUB_TIMEOUT) > 0) {
      throw new IllegalStateException(
          "configuration: HUB_TIMEOUT must be positive and at most " + MAX_HUB_TIMEOUT);
    }
    if (hubApiKeySecret == null || hubApiKeySecret.isBlank()) {
      throw new IllegalStateException(
          "configuration: environment variable "
              + HubApiKey.SECRET_ARN_ENV
              + " is not set (every Connector Hub call must carry the hub key)");
    }
  }

  public static Config from(EnvReader env) {
    return new Config(
        env.required("CDP_ENV"),
        env.uri("CONNECTOR_HUB_URL")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "configuration: environment variable CONNECTOR_HUB_URL is not set")),
        env.duration("HUB_TIMEOUT", DEFAULT_HUB_TIMEOUT),
        env.optional(HubApiKey.SECRET_ARN_ENV, null));
  }
}
