package com.cdp.ingestion.cleanser;

import com.cdp.aws.retry.Backoff;
import com.cdp.model.json.Json;
import com.cdp.model.warehouse.MerchantEnrichment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Segmint's Data Services API, as its developer documentation describes it:
 *
 * <ul>
 *   <li>{@code POST {base}/auth/v1/token?grant_type=token} with HTTP Basic (client id and secret)
 *       answers a bearer token; it is cached until shortly before it expires and fetched again once
 *       when a call answers 401;
 *   <li>{@code POST {base}/v2/partners/{partnerId}/merchants/cleanse-transaction/} with {@code
 *       Authorization: Bearer ...} and {@code {"merchantDescription","mcc"?,"transType"?,
 *       "transCategory"?}} answers {@code matchType, matchScore, transType, matchDetail{cleansed,
 *       merchant{classification, logoUrl, location}, category1, category2, mcc}}.
 * </ul>
 *
 * 429 (honouring {@code Retry-After}, which also holds back this client's other callers), 5xx and
 * transport failures are retried with the shared {@link Backoff}; 404 and a {@code NO_MATCH} answer
 * mean "merchant not found"; 400 means Segmint cannot use this description. Requests are spaced to
 * at most {@code requestsPerSecond} across all threads. Thread-safe. Neither the client secret nor
 * the token is ever put in an exception message or a log line.
 */
final class SegmintClient {
  /** The client id and secret; {@link #toString()} never shows the secret. */
  record Credentials(String clientId, String clientSecret) {
    Credentials {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
    }

    String basic() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Credentials[clientId=" + clientId + ", clientSecret=***]";
    }
  }

  /** The credentials and a way to read them again when Segmint refuses them (rotated). */
  interface CredentialsSource {
    Credentials current();

    /** Reads them again; returns the (possibly unchanged) current credentials. */
    Credentials reload();

    static CredentialsSource fixed(Credentials credentials) {
      Objects.requireNonNull(credentials, "credentials");
      return new CredentialsSource() {
        @Override
        public Credentials current() {
          return credentials;
        }

        @Override
        public Credentials reload() {
          return credentials;
        }
      };
    }
  }

  /** Where and how to call Segmint (per environment). */
  record Settings(
      URI baseUrl,
      String partnerId,
      double requestsPerSecond,
      Duration timeout,
      Duration maxRetryAfter,
      Backoff backoff) {
    static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    Settings {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(partnerId, "partnerId");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
      Objects.requireNonNull(backoff, "backoff");
      if (!PARTNER_ID.matcher(partnerId).matches()) {
        throw new IllegalArgumentException("partnerId must be 1-64 of [A-Za-z0-9_.-]");
      }
      if (requestsPerSecond <= 0) {
        throw new IllegalArgumentException("requestsPerSecond must be positive");
      }
    }
  }

  /** One cleanse request: the body Segmint receives. */
  record Request(String merchantDescription, String mcc, String transType, String transCategory) {
    Request {
      Objects.requireNonNull(merchantDescription, "merchantDescription");
    }

    String json() {
      ObjectNode body = Json.object();
      body.put("merchantDescription", merchantDescription);
      if (mcc != null) {
        body.put("mcc", mcc);
      }
      if (transType != null) {
        body.put("transType", transType);
      }
      if (transCategory != null) {
        body.put("transCategory", transCategory);
      }
      return Json.write(body);
    }
  }

  /**
   * Segmint's answer: {@code cleansed} is null when it found no merchant (then {@code enrichment}
   * still says how it matched, e.g. {@code NO_MATCH}); {@code rejected} when it answered 400.
   */
  record Match(String cleansed, MerchantEnrichment enrichment, boolean rejected) {
    boolean found() {
      return cleansed != null;
    }

    static Match notFound() {
      return new Match(
          null,
          new MerchantEnrichment(
              SOURCE, NO_MATCH, null, null, null, null, null, null, null, null, null, null),
          false);
    }

    static Match rejectedBySegmint() {
      return new Match(null, null, true);
    }
  }

  /** Segmint refused or kept failing. */
  static final class SegmintException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SegmintException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final String SOURCE = "segmint";
  static final String NO_MATCH = "NO_MATCH";
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

  /** When the token answer gives no lifetime, it is used until a call answers 401, at most this. */
  private static final Duration UNSTATED_LIFETIME = Duration.ofMinutes(30);

  private final HttpClient http;
  private final Settings settings;
  private final CredentialsSource credentials;
  private final Clock clock;
  private final String base;
  private final long minIntervalNanos;
  private final AtomicLong cleanseCalls = new AtomicLong();
  private final AtomicLong tokenCalls = new AtomicLong();
  private long nextSlot;
  private long pausedUntil;
  private String token;
  private Instant tokenExpiresAt = Instant.MIN;

  SegmintClient(HttpClient http, Settings settings, CredentialsSource credentials, Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.base = settings.baseUrl().toString().replaceAll("/+$", "");
    this.minIntervalNanos = (long) (1_000_000_000L / settings.requestsPerSecond());
  }

  /** How many cleanse requests were sent (retries included). */
  long cleanseCalls() {
    return cleanseCalls.get();
  }

  /** How many token requests were sent. */
  long tokenCalls() {
    return tokenCalls.get();
  }

  /** Cleanses one description. */
  Match cleanse(Request request) {
    return cleanse(request.json());
  }

  /** Cleanses one description, given as its request body ({@link Request#json()}). */
  Match cleanse(String payload) {
    URI uri =
        URI.create(
            base + "/v2/partners/" + settings.partnerId() + "/merchants/cleanse-transaction/");
    boolean tokenRefreshed = false;
    String bearer = token();
    for (int attempt = 0; ; attempt++) {
      awaitRateLimit();
      HttpResponse<String> response;
      try {
        cleanseCalls.incrementAndGet();
        response =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(settings.timeout())
                    .header("content-type", "application/json")
                    .header("accept", "application/json")
                    .header("authorization", "Bearer " + bearer)
                    .POST(HttpRequest.BodyPublishers.ofString(payload))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        retryOrFail(attempt, "cleanse-transaction: " + e.getClass().getSimpleName(), null, e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SegmintException("interrupted while calling Segmint", e);
      }
      int status = response.statusCode();
      if (status == 200 || status == 201) {
        return parse(response.body());
      }
      if (status == 401 && !tokenRefreshed) {
        // The token expired or was revoked early: fetch a new one, once, and try again.
        tokenRefreshed = true;
        invalidate(bearer);
        bearer = token();
        attempt--;
        continue;
      }
      if (status == 404) {
        return Match.notFound();
      }
      if (status == 400) {
        return Match.rejectedBySegmint();
      }
      if (status != 429 && status < 500) {
        throw new SegmintException(
            "Segmint refused cleanse-transaction with HTTP "
                + status
                + (status == 401 ? " (a fresh token was refused too)" : ""),
            null);
      }
      retryOrFail(attempt, "cleanse-transaction: HTTP " + status, retryAfter(response), null);
    }
  }

  /** The cached token, or a new one when there is none or it is about to expire. */
  private synchronized String token() {
    if (token != null && clock.instant().isBefore(tokenExpiresAt)) {
      return token;
    }
    fetchToken();
    return token;
  }

  /** Forgets {@code refused} unless another thread already replaced it. */
  private synchronized void invalidate(String refused) {
    if (refused.equals(token)) {
      token = null;
    }
  }

  private void fetchToken() {
    URI uri = URI.create(base + "/auth/v1/token?grant_type=token");
    Credentials current = credentials.current();
    boolean reloaded = false;
    for (int attempt = 0; ; attempt++) {
      awaitRateLimit();
      HttpResponse<String> response;
      try {
        tokenCalls.incrementAndGet();
        response =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(settings.timeout())
                    .header("accept", "application/json")
                    .header("authorization", current.basic())
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        retryOrFail(attempt, "token: " + e.getClass().getSimpleName(), null, e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SegmintException("interrupted while fetching a Segmint token", e);
      }
      int status = response.statusCode();
      if (status == 200 || status == 201) {
        readToken(response.body());
        return;
      }
      if (status == 401 && !reloaded) {
        // The secret may have been rotated since this container (or its snapshot) read it.
        reloaded = true;
        Credentials fresh = credentials.reload();
        if (!fresh.equals(current)) {
          current = fresh;
          attempt--;
          continue;
        }
      }
      if (status != 429 && status < 500) {
        throw new SegmintException(
            "Segmint refused the client credentials with HTTP " + status, null);
      }
      retryOrFail(attempt, "token: HTTP " + status, retryAfter(response), null);
    }
  }

  private void readToken(String body) {
    JsonNode json;
    try {
      json = Json.tree(body);
    } catch (IllegalArgumentException e) {
      throw new SegmintException("Segmint's token answer is not JSON", null);
    }
    // The documentation does not show the answer's fields: accept the OAuth 2.0 names and the
    // camel-case ones.
    String value = text(json, "access_token", "accessToken", "token");
    if (value == null) {
      throw new SegmintException("Segmint's token answer holds no token", null);
    }
    JsonNode lifetime = json.has("expires_in") ? json.get("expires_in") : json.get("expiresIn");
    Duration ttl =
        lifetime != null && lifetime.canConvertToLong() && lifetime.asLong() > 0
            ? Duration.ofSeconds(lifetime.asLong())
            : UNSTATED_LIFETIME;
    // Renew a little early so a token never expires between our check and Segmint's.
    Duration margin =
        ttl.compareTo(EXPIRY_MARGIN.multipliedBy(4)) > 0 ? EXPIRY_MARGIN : ttl.dividedBy(4);
    token = value;
    tokenExpiresAt = clock.instant().plus(ttl).minus(margin);
  }

  private void retryOrFail(int attempt, String problem, Duration retryAfter, Throwable cause) {
    Backoff backoff = settings.backoff();
    if (attempt + 1 >= backoff.maxAttempts()) {
      throw new SegmintException(
          "Segmint still failing after " + backoff.maxAttempts() + " attempts (" + problem + ")",
          cause);
    }
    if (retryAfter != null) {
      Duration wait =
          retryAfter.compareTo(settings.maxRetryAfter()) > 0
              ? settings.maxRetryAfter()
              : retryAfter;
      // Segmint asked the whole client to slow down, not just this request.
      synchronized (this) {
        pausedUntil = Math.max(pausedUntil, System.nanoTime() + wait.toNanos());
      }
      awaitRateLimit();
    } else {
      try {
        backoff.pause(attempt + 1);
      } catch (IllegalStateException interrupted) {
        throw new SegmintException("interrupted while backing off", interrupted);
      }
    }
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("retry-after")
        .flatMap(SegmintClient::parseRetryAfter)
        .orElse(null);
  }

  /** {@code Retry-After} is either delay-seconds or an HTTP date (RFC 9110 10.2.3). */
  static Optional<Duration> parseRetryAfter(String header) {
    String value = header.strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static Match parse(String body) {
    JsonNode json;
    try {
      json = Json.tree(body);
    } catch (IllegalArgumentException e) {
      throw new SegmintException("Segmint answered malformed JSON", null);
    }
    String matchType = text(json, "matchType");
    JsonNode detail = json.path("matchDetail");
    String cleansed = text(detail, "cleansed");
    JsonNode merchant = detail.path("merchant");
    JsonNode location = merchant.path("location");
    JsonNode score = json.get("matchScore");
    MerchantEnrichment enrichment =
        new MerchantEnrichment(
            SOURCE,
            matchType == null ? (cleansed == null ? NO_MATCH : "UNSPECIFIED") : matchType,
            score != null && score.isNumber() ? score.decimalValue() : null,
            text(merchant, "classification"),
            text(merchant, "logoUrl"),
            text(location, "city"),
            text(location, "state"),
            text(location, "zip"),
            text(location, "country"),
            text(detail.path("category1"), "classification"),
            text(detail.path("category2"), "classification"),
            text(detail.path("mcc"), "classification"));
    boolean noMatch = NO_MATCH.equalsIgnoreCase(enrichment.matchType().replace('-', '_'));
    return new Match(noMatch ? null : cleansed, enrichment, false);
  }

  private static String text(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode v = node.get(name);
      if (v != null && v.isTextual() && !v.asText().isBlank()) {
        return v.asText().strip();
      }
    }
    return null;
  }

  /**
   * Spaces requests at least {@code 1/requestsPerSecond} apart across this client's threads, and
   * holds every request back while a {@code Retry-After} is in force.
   */
  private void awaitRateLimit() {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long slot = Math.max(now, Math.max(nextSlot, pausedUntil));
      nextSlot = slot + minIntervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      try {
        settings.backoff().sleeper().sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SegmintException("interrupted while waiting to call Segmint", e);
      }
    }
  }
}
