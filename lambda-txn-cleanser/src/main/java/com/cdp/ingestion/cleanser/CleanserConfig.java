package com.cdp.ingestion.cleanser;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The cleanser's configuration: without {@code SEGMINT_ENDPOINT} the rule-based cleanser runs; with
 * it, Segmint, whose key is read from the Secrets Manager secret {@code SEGMINT_API_KEY_SECRET}.
 */
record CleanserConfig(
    String environment,
    String warehouseTable,
    Optional<URI> segmintEndpoint,
    Optional<String> segmintKeySecret,
    int segmintBatch,
    double segmintRequestsPerSecond,
    Duration segmintTimeout,
    int segmintMaxAttempts) {

  static CleanserConfig from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    Optional<URI> endpoint = env.uri("SEGMINT_ENDPOINT");
    Optional<String> secret = env.optional("SEGMINT_API_KEY_SECRET");
    if (endpoint.isPresent() && secret.isEmpty()) {
      throw new IllegalStateException(
          "configuration: SEGMINT_API_KEY_SECRET is required when SEGMINT_ENDPOINT is set");
    }
    return new CleanserConfig(
        environment,
        env.optional("TABLE_WAREHOUSE", Tables.WAREHOUSE.physicalName(environment)),
        endpoint,
        secret,
        env.integer("SEGMINT_BATCH", 100, 1, 1000),
        env.integer("SEGMINT_REQUESTS_PER_SECOND", 5, 1, 1000),
        env.duration("SEGMINT_TIMEOUT", Duration.ofSeconds(5)),
        env.integer("SEGMINT_MAX_ATTEMPTS", 4, 1, 10));
  }
}
