package com.cdp.infra;

import com.cdp.model.id.EnvironmentName;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.wiring.Triggers;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One deployment environment's settings, read from {@code infra-cdk/environments/ENV.json}: the
 * organizations it serves (one data-delivery bucket each), domains, the Connector Hub URL, log
 * retention, the alarm address, the optional reserved concurrency of functions (by the names of
 * {@link Triggers.Functions}) and the optional Segmint settings of the cleanser.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record EnvironmentConfig(
    String name,
    String region,
    List<String> organizations,
    String shortDomain,
    String realtimeDomain,
    String connectorHubUrl,
    int logRetentionDays,
    String alarmEmail,
    Map<String, Integer> reservedConcurrency,
    Segmint segmint,
    Integer realtimeReplayWindowHours) {

  /**
   * Segmint, the transaction-enrichment API the cleanser calls in AWS: its base URL and the name of
   * the Secrets Manager secret holding the API key Segmint issued (created by the operator with the
   * real key; the stack only grants the cleanser read access). Without it the cleanser runs its
   * embedded rules.
   */
  public record Segmint(String endpoint, String apiKeySecret) {
    public Segmint {
      URI uri;
      try {
        uri = new URI(Objects.requireNonNull(endpoint, "segmint.endpoint"));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("segmint.endpoint is not a URL: " + endpoint);
      }
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "segmint.endpoint must be an https URL with a host (got " + endpoint + ")");
      }
      if (apiKeySecret == null || apiKeySecret.isBlank()) {
        throw new IllegalArgumentException(
            "segmint.apiKeySecret must name the Secrets Manager secret holding the API key");
      }
    }
  }

  /** Every platform function, by the name {@code reservedConcurrency} keys use. */
  public static final Set<String> FUNCTIONS =
      Set.of(
          Triggers.Functions.TXN_CHUNKER,
          Triggers.Functions.TXN_LOADER,
          Triggers.Functions.TXN_CLEANSER,
          Triggers.Functions.PLATFORM_TXN_ADDED,
          Triggers.Functions.GET_TRANSACTIONS,
          Triggers.Functions.WS_CONNECT,
          Triggers.Functions.WS_SUBSCRIBE,
          Triggers.Functions.RELAY_MESSAGE,
          Triggers.Functions.GROUP_ASSIGNMENT_TRIGGER,
          Triggers.Functions.URL_SHORTENER,
          Triggers.Functions.CALL_CONNECTOR);

  /**
   * Functions that answer a caller who waits (API Gateway routes). They get no reserved
   * concurrency: a cap would turn load into 429s for users, where an asynchronously invoked
   * function's throttled events just wait in Lambda's queue. SnapStart is their cold-start answer.
   */
  public static final Set<String> REQUEST_RESPONSE_FUNCTIONS =
      Set.of(
          Triggers.Functions.GET_TRANSACTIONS,
          Triggers.Functions.WS_CONNECT,
          Triggers.Functions.WS_SUBSCRIBE,
          Triggers.Functions.URL_SHORTENER);

  /**
   * The most concurrency one environment may reserve in total: well below the default account limit
   * of 1000 (Lambda also keeps 100 unreserved), leaving the uncapped functions and other
   * environments in the same account room to scale.
   */
  public static final int MAX_TOTAL_RESERVED_CONCURRENCY = 200;

  public EnvironmentConfig {
    EnvironmentName.of(name);
    Objects.requireNonNull(region, "region");
    organizations = List.copyOf(organizations);
    organizations.forEach(OrganizationId::of);
    Objects.requireNonNull(shortDomain, "shortDomain");
    Objects.requireNonNull(realtimeDomain, "realtimeDomain");
    Objects.requireNonNull(connectorHubUrl, "connectorHubUrl");
    if (logRetentionDays < 1) {
      throw new IllegalArgumentException("logRetentionDays must be positive");
    }
    reservedConcurrency = validReservedConcurrency(reservedConcurrency);
    if (realtimeReplayWindowHours != null
        && (realtimeReplayWindowHours < 1 || realtimeReplayWindowHours > 168)) {
      throw new IllegalArgumentException("realtimeReplayWindowHours must be 1-168 (7 days)");
    }
  }

  /** How long realtime events are kept for replay: {@code realtimeReplayWindowHours}, or 24 h. */
  public int replayWindowHours() {
    return realtimeReplayWindowHours == null ? 24 : realtimeReplayWindowHours;
  }

  private static Map<String, Integer> validReservedConcurrency(Map<String, Integer> configured) {
    if (configured == null) {
      return Map.of();
    }
    int total = 0;
    for (Map.Entry<String, Integer> e : configured.entrySet()) {
      String function = e.getKey();
      if (!FUNCTIONS.contains(function)) {
        throw new IllegalArgumentException(
            "reservedConcurrency: unknown function '"
                + function
                + "' (the functions are "
                + FUNCTIONS.stream().sorted().toList()
                + ")");
      }
      if (REQUEST_RESPONSE_FUNCTIONS.contains(function)) {
        throw new IllegalArgumentException(
            "reservedConcurrency: '"
                + function
                + "' answers API requests and must not be capped (a cap turns load into 429s;"
                + " SnapStart is its cold-start answer)");
      }
      Integer value = e.getValue();
      if (value == null || value < 1) {
        throw new IllegalArgumentException(
            "reservedConcurrency: '"
                + function
                + "' must be at least 1 (got "
                + value
                + "); 0 would stop the function: leave it out to use unreserved concurrency");
      }
      total += value;
    }
    if (total > MAX_TOTAL_RESERVED_CONCURRENCY) {
      throw new IllegalArgumentException(
          "reservedConcurrency: the environment reserves "
              + total
              + " in total, more than "
              + MAX_TOTAL_RESERVED_CONCURRENCY
              + " (the default account limit is 1000, shared by every function and environment of"
              + " the account)");
    }
    return Map.copyOf(configured);
  }

  public static EnvironmentConfig load(Path directory, String name) {
    Path file = directory.resolve(name + ".json");
    try {
      return Json.mapper().readValue(Files.readString(file), EnvironmentConfig.class);
    } catch (ValueInstantiationException e) {
      // A value the constructor refused: say which file and why, without Jackson's wrapping.
      Throwable reason = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException(file + ": " + reason.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read environment configuration " + file, e);
    }
  }

  /** Segmint's endpoint and key secret, when the environment enriches descriptions with it. */
  public Optional<Segmint> segmintSettings() {
    return Optional.ofNullable(segmint);
  }

  /** The reserved concurrency configured for the function, if any. */
  public OptionalInt reservedConcurrency(String function) {
    Integer value = reservedConcurrency.get(function);
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }

  public boolean isProduction() {
    return name.startsWith("prod");
  }
}
