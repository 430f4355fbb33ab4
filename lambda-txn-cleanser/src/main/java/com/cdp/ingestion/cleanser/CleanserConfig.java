package com.cdp.ingestion.cleanser;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The cleanser's configuration, all from environment variables the stack sets (so the template
 * fully describes a function, in AWS and locally). Without {@code SEGMINT_BASE_URL} the rule-based
 * cleanser runs; with it, Segmint's Data Services API, with the client id and secret from the
 * Secrets Manager secret {@code SEGMINT_CREDENTIALS_SECRET} and the environment's {@code
 * SEGMINT_PARTNER_ID}.
 */
record CleanserConfig(String environment, String warehouseTable, Optional<Segmint> segmint) {

  /** Segmint's settings for this environment. */
  record Segmint(
      URI baseUrl,
      String partnerId,
      String credentialsSecret,
      int concurrency,
      int requestsPerSecond,
      Duration timeout,
      int maxAttempts,
      Duration maxRetryAfter,
      int cacheEntries) {}

  static CleanserConfig from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    Optional<URI> baseUrl = env.uri("SEGMINT_BASE_URL");
    Optional<Segmint> segmint = Optional.empty();
    if (baseUrl.isPresent()) {
      String partner = env.required("SEGMINT_PARTNER_ID");
      if (!SegmintClient.Settings.PARTNER_ID.matcher(partner).matches()) {
        throw new IllegalStateException(
            "configuration: SEGMINT_PARTNER_ID must be 1-64 of [A-Za-z0-9_.-]");
      }
      String scheme = baseUrl.get().getScheme();
      if (!"https".equals(scheme) && !"http".equals(scheme) || baseUrl.get().getHost() == null) {
        throw new IllegalStateException("configuration: SEGMINT_BASE_URL must be an http(s) URL");
      }
      segmint =
          Optional.of(
              new Segmint(
                  baseUrl.get(),
                  partner,
                  env.required("SEGMINT_CREDENTIALS_SECRET"),
                  env.integer("SEGMINT_CONCURRENCY", 4, 1, 64),
                  env.integer("SEGMINT_REQUESTS_PER_SECOND", 5, 1, 1000),
                  env.duration("SEGMINT_TIMEOUT", Duration.ofSeconds(5)),
                  env.integer("SEGMINT_MAX_ATTEMPTS", 6, 1, 10),
                  env.duration("SEGMINT_MAX_RETRY_AFTER", Duration.ofSeconds(20)),
                  env.integer("SEGMINT_CACHE_ENTRIES", 20_000, 0, 1_000_000)));
    }
    return new CleanserConfig(
        environment,
        env.optional("TABLE_WAREHOUSE", Tables.WAREHOUSE.physicalName(environment)),
        segmint);
  }
}
