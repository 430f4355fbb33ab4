package com.cdp.infra;

import com.cdp.model.connector.ConnectorSources;
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
 * {@link Triggers.Functions}), the optional Segmint settings of the cleanser and the connector
 * sources each organization accepts transaction announcements from.
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
    Map<String, List<String>> connectorSources,
    Logging logging,
    Integer realtimeReplayWindowHours,
    Map<String, String> expiredLinkPages) {

  /** As before the logging settings existed (none: no outside publishers, no debug sampling). */
  public EnvironmentConfig(
      String name,
      String region,
      List<String> organizations,
      String shortDomain,
      String realtimeDomain,
      String connectorHubUrl,
      int logRetentionDays,
      String alarmEmail,
      Map<String, Integer> reservedConcurrency,
      Segmint segmint) {
    this(
        name,
        region,
        organizations,
        shortDomain,
        realtimeDomain,
        connectorHubUrl,
        logRetentionDays,
        alarmEmail,
        reservedConcurrency,
        segmint,
        null,
        null,
        null,
        null);
  }

  /**
   * Platform-log settings: the AWS accounts outside the platform's own (dsp-web, dsp-agw, the hub,
   * connectors, the app container) allowed to publish to the log topic, and the share of requests
   * whose debug events are written (0 to 1; failed requests always write them).
   */
  public record Logging(List<String> publisherAccounts, Double debugSampleRate) {
    public Logging {
      publisherAccounts = publisherAccounts == null ? List.of() : List.copyOf(publisherAccounts);
      for (String account : publisherAccounts) {
        if (account == null || !account.matches("[0-9]{12}")) {
          throw new IllegalArgumentException(
              "logging.publisherAccounts: '" + account + "' is not a 12-digit AWS account id");
        }
      }
      if (debugSampleRate == null) {
        debugSampleRate = 0.0;
      }
      if (!(debugSampleRate >= 0 && debugSampleRate <= 1)) {
        throw new IllegalArgumentException(
            "logging.debugSampleRate must be between 0 and 1 (got " + debugSampleRate + ")");
      }
    }
  }

  /** The logging settings (defaults when the file has none). */
  public Logging loggingSettings() {
    return logging == null ? new Logging(List.of(), 0.0) : logging;
  }

  /**
   * Segmint's Data Services API, which the cleanser calls when set (without it, it runs its
   * embedded rules): {@code endpoint} is the base URL (e.g. {@code
   * https://dataservices.segmint.net}, {@code -stage} or {@code -demo}), {@code partnerId} the
   * partner id Segmint assigned, {@code credentialsSecret} the name of the Secrets Manager secret
   * holding {@code {"clientId","clientSecret"}} (created by the operator; the stack only grants the
   * cleanser read access), {@code requestsPerSecond} the rate Segmint allows this environment
   * (default 5), split evenly between the cleanser's reserved containers, and {@code concurrency}
   * the calls one container keeps in flight (default 4).
   */
  public record Segmint(
      String endpoint,
      String partnerId,
      String credentialsSecret,
      Integer requestsPerSecond,
      Integer concurrency) {
    public static final int DEFAULT_REQUESTS_PER_SECOND = 5;
    public static final int DEFAULT_CONCURRENCY = 4;

    public Segmint {
      URI uri;
      try {
        uri = new URI(Objects.requireNonNull(endpoint, "segmint.endpoint"));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("segmint.endpoint is not a URL: " + endpoint);
      }
      if (uri.getHost() == null
          || !("https".equals(uri.getScheme())
              || "http".equals(uri.getScheme()) && isLoopback(uri.getHost()))) {
        throw new IllegalArgumentException(
            "segmint.endpoint must be an https URL with a host, or http on a loopback address"
                + " (the local Segmint simulator) (got "
                + endpoint
                + ")");
      }
      if (partnerId == null || !partnerId.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException(
            "segmint.partnerId must be the partner id Segmint assigned (1-64 of [A-Za-z0-9_.-])");
      }
      if (credentialsSecret == null || credentialsSecret.isBlank()) {
        throw new IllegalArgumentException(
            "segmint.credentialsSecret must name the Secrets Manager secret holding the client id"
                + " and secret");
      }
      requestsPerSecond =
          requestsPerSecond == null ? DEFAULT_REQUESTS_PER_SECOND : requestsPerSecond;
      concurrency = concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
      if (requestsPerSecond < 1 || requestsPerSecond > 1000) {
        throw new IllegalArgumentException("segmint.requestsPerSecond must be 1-1000");
      }
      if (concurrency < 1 || concurrency > 64) {
        throw new IllegalArgumentException("segmint.concurrency must be 1-64");
      }
    }

    /**
     * Whether plain HTTP is harmless for this host: a loopback address never leaves the machine
     * (the local environment's simulator on the gateway), and a deployed function calling it
     * reaches nothing, so Segmint's client credentials are never sent in the clear over a network.
     * Literal names only: {@code localhost} and loopback IP literals, never a DNS name that merely
     * resolves there.
     */
    static boolean isLoopback(String host) {
      String h = host.toLowerCase(java.util.Locale.ROOT);
      if (h.equals("localhost")) {
        return true;
      }
      if (h.startsWith("[") && h.endsWith("]")) {
        return h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]");
      }
      return h.matches("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    }

    /**
     * One container's share of the environment's rate: at most {@code containers} cleanser
     * containers run at once (its reserved concurrency), so their shares add up to the limit.
     */
    public int requestsPerSecondPerContainer(int containers) {
      return Math.max(1, requestsPerSecond / containers);
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
    if (!"local".equals(name)) {
      // The local environment's hub is the simulator on the gateway (plain HTTP on loopback).
      validConnectorHubUrl(connectorHubUrl);
    }
    if (logRetentionDays < 1) {
      throw new IllegalArgumentException("logRetentionDays must be positive");
    }
    reservedConcurrency = validReservedConcurrency(reservedConcurrency);
    if (segmint != null && !reservedConcurrency.containsKey(Triggers.Functions.TXN_CLEANSER)) {
      throw new IllegalArgumentException(
          "segmint: reservedConcurrency must cap '"
              + Triggers.Functions.TXN_CLEANSER
              + "', so the environment's Segmint rate limit can be split between its containers");
    }
    connectorSources = validConnectorSources(connectorSources, organizations);
    if (realtimeReplayWindowHours != null
        && (realtimeReplayWindowHours < 1 || realtimeReplayWindowHours > 168)) {
      throw new IllegalArgumentException("realtimeReplayWindowHours must be 1-168 (7 days)");
    }
    expiredLinkPages = validExpiredLinkPages(expiredLinkPages, organizations);
  }

  /**
   * {@code expiredLinkPages}: where visitors of an organization's expired short links are sent
   * instead of the bare 403 ({@code {"tcu": "https://www.tcu.example/link-expired"}}).
   */
  private static Map<String, String> validExpiredLinkPages(
      Map<String, String> configured, List<String> organizations) {
    if (configured == null) {
      return Map.of();
    }
    Map<String, String> copy = new java.util.TreeMap<>();
    configured.forEach(
        (org, page) -> {
          if (!organizations.contains(org)) {
            throw new IllegalArgumentException(
                "expiredLinkPages: '" + org + "' is not one of the environment's organizations");
          }
          if (page == null || !page.matches("https://[^\\s,]+")) {
            throw new IllegalArgumentException(
                "expiredLinkPages: the page of "
                    + org
                    + " must be an https URL (got "
                    + page
                    + ")");
          }
          copy.put(org, page);
        });
    return java.util.Collections.unmodifiableMap(copy);
  }

  /** The pages as the shortener reads them ({@code EXPIRED_LINK_PAGES}: org=url,org2=url). */
  public String expiredLinkPagesSetting() {
    return expiredLinkPages.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(java.util.stream.Collectors.joining(","));
  }

  /** How long realtime events are kept for replay: {@code realtimeReplayWindowHours}, or 24 h. */
  public int replayWindowHours() {
    return realtimeReplayWindowHours == null ? 24 : realtimeReplayWindowHours;
  }

  /**
   * The Connector Hub must be reachable from functions that run outside any VPC, over TLS: a
   * private name (e.g. {@code hub.dev.cdp.internal}) would resolve only inside a VPC. Who calls is
   * proven by the hub key (docs/OPERATIONS.md, "Connector Hub access").
   */
  static void validConnectorHubUrl(String url) {
    URI uri;
    try {
      uri = new URI(Objects.requireNonNull(url, "connectorHubUrl"));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("connectorHubUrl is not a URL: " + url);
    }
    String host = uri.getHost();
    if (!"https".equals(uri.getScheme()) || host == null) {
      throw new IllegalArgumentException(
          "connectorHubUrl must be an https URL with a host (got " + url + ")");
    }
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.endsWith(".internal") || h.endsWith(".local") || h.endsWith(".localhost")) {
      throw new IllegalArgumentException(
          "connectorHubUrl "
              + url
              + " is a private name that resolves only inside a VPC, and the platform's functions"
              + " run outside one: use the hub's public, key-authenticated endpoint");
    }
  }

  /**
   * {@code connectorSources}: which connector sources may announce transactions for which of the
   * environment's organizations ({@code {"tcu": ["cdp.connector.cdp-transfer"]}}); an organization
   * not listed accepts none.
   */
  private static Map<String, List<String>> validConnectorSources(
      Map<String, List<String>> configured, List<String> organizations) {
    if (configured == null) {
      return Map.of();
    }
    ConnectorSources.of(configured);
    for (String org : configured.keySet()) {
      if (!organizations.contains(org)) {
        throw new IllegalArgumentException(
            "connectorSources: '"
                + org
                + "' is not one of the environment's organizations "
                + organizations);
      }
    }
    Map<String, List<String>> copy = new java.util.TreeMap<>();
    configured.forEach((org, sources) -> copy.put(org, List.copyOf(sources)));
    return java.util.Collections.unmodifiableMap(copy);
  }

  /** The connector-source map in the form the function reads ({@code CONNECTOR_SOURCES}). */
  public ConnectorSources connectorSourceMap() {
    return ConnectorSources.of(connectorSources);
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

  /** Segmint's settings, when the environment cleanses descriptions with it. */
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
