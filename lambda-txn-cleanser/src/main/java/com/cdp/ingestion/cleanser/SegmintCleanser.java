package com.cdp.ingestion.cleanser;

import com.cdp.model.json.Json;
import com.cdp.warehouse.Backoff;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Segmint enrichment API: {@code POST {endpoint}/transactions/enrich} with {@code
 * Authorization: Bearer KEY} and {@code {"transactions":[{"id","description","amount","mcc"}]}},
 * answered with {@code {"transactions":[{"id","merchantName","category"}]}}. Sends at most {@code
 * batchSize} transactions a request and at most {@code requestsPerSecond} requests a second; times
 * out each request; retries 429 and 5xx answers and transport failures with backoff (honouring
 * {@code Retry-After}). A 401 or 403 re-reads the key once (it may have been rotated since this
 * container's snapshot was taken) and retries with the new one; other answers fail the batch.
 */
public final class SegmintCleanser implements TransactionCleanser {
  /**
   * The API key: the cached value, and a way to read it again when Segmint refuses it (rotated
   * after this container, or its SnapStart snapshot, read it).
   */
  public interface ApiKey {
    String current();

    /** Reads the key again; returns the (possibly unchanged) current key. */
    String reload();

    /** A key that never changes (tests, local runs). */
    static ApiKey fixed(String key) {
      Objects.requireNonNull(key, "key");
      return new ApiKey() {
        @Override
        public String current() {
          return key;
        }

        @Override
        public String reload() {
          return key;
        }
      };
    }
  }

  /** Where and how to call Segmint. The key is never logged. */
  public record Settings(
      URI endpoint,
      ApiKey apiKey,
      int batchSize,
      double requestsPerSecond,
      Duration timeout,
      Backoff backoff) {
    public Settings {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(apiKey, "apiKey");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(backoff, "backoff");
      if (batchSize < 1 || requestsPerSecond <= 0) {
        throw new IllegalArgumentException("batchSize and requestsPerSecond must be positive");
      }
    }

    public Settings(
        URI endpoint,
        String apiKey,
        int batchSize,
        double requestsPerSecond,
        Duration timeout,
        Backoff backoff) {
      this(endpoint, ApiKey.fixed(apiKey), batchSize, requestsPerSecond, timeout, backoff);
    }

    @Override
    public String toString() {
      return "Settings[endpoint=" + endpoint + ", batchSize=" + batchSize + "]";
    }
  }

  /** Segmint refused or kept failing. */
  public static final class SegmintException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SegmintException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final HttpClient http;
  private final Settings settings;
  private final long minIntervalNanos;
  private long nextSlot;

  public SegmintCleanser(HttpClient http, Settings settings) {
    this.http = Objects.requireNonNull(http, "http");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.minIntervalNanos = (long) (1_000_000_000L / settings.requestsPerSecond());
  }

  @Override
  public List<Output> cleanse(List<Input> transactions) {
    List<Output> out = new ArrayList<>(transactions.size());
    for (int from = 0; from < transactions.size(); from += settings.batchSize()) {
      out.addAll(
          batch(
              transactions.subList(
                  from, Math.min(transactions.size(), from + settings.batchSize()))));
    }
    return out;
  }

  private List<Output> batch(List<Input> batch) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("transactions");
    for (Input t : batch) {
      ObjectNode item = items.addObject();
      item.put("id", t.id());
      item.put("description", t.description());
      if (t.amount() != null) {
        item.put("amount", t.amount());
      }
      if (t.merchantCategoryCode() != null) {
        item.put("mcc", t.merchantCategoryCode());
      }
    }
    String base = settings.endpoint().toString().replaceAll("/+$", "");
    String payload = Json.write(body);
    String key = settings.apiKey().current();
    boolean keyReloaded = false;
    Backoff backoff = settings.backoff();
    for (int attempt = 0; ; attempt++) {
      awaitRateLimit();
      String problem;
      Duration retryAfter = null;
      Throwable cause = null;
      try {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(base + "/transactions/enrich"))
                .timeout(settings.timeout())
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        HttpResponse<String> response =
            http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status == 200) {
          return parse(response.body());
        }
        if ((status == 401 || status == 403) && !keyReloaded) {
          keyReloaded = true;
          String reloaded = settings.apiKey().reload();
          if (!reloaded.equals(key)) {
            key = reloaded;
            attempt--; // the refused call does not count: the key it carried is gone
            continue;
          }
        }
        if (status != 429 && status < 500) {
          throw new SegmintException("Segmint refused the batch with HTTP " + status, null);
        }
        problem = "HTTP " + status;
        retryAfter =
            response
                .headers()
                .firstValue("retry-after")
                .flatMap(SegmintCleanser::seconds)
                .orElse(null);
      } catch (IOException e) {
        problem = e.getClass().getSimpleName();
        cause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SegmintException("interrupted while calling Segmint", e);
      }
      if (attempt + 1 >= backoff.maxAttempts()) {
        throw new SegmintException(
            "Segmint still failing after " + backoff.maxAttempts() + " attempts (" + problem + ")",
            cause);
      }
      if (retryAfter != null) {
        sleep(retryAfter.compareTo(backoff.cap()) > 0 ? backoff.cap() : retryAfter, backoff);
      } else {
        backoff.pause(attempt);
      }
    }
  }

  private static java.util.Optional<Duration> seconds(String header) {
    try {
      return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(header.strip())));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private static void sleep(Duration d, Backoff backoff) {
    try {
      backoff.sleeper().sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SegmintException("interrupted while waiting to retry", e);
    }
  }

  private static List<Output> parse(String json) {
    List<Output> out = new ArrayList<>();
    JsonNode node;
    try {
      node = Json.tree(json);
    } catch (IllegalArgumentException e) {
      throw new SegmintException("Segmint answered malformed JSON", e);
    }
    for (JsonNode t : node.path("transactions")) {
      String id = t.path("id").asText(null);
      String name = t.path("merchantName").asText(null);
      String category = t.path("category").asText(null);
      if (id != null
          && name != null
          && !name.isBlank()
          && category != null
          && !category.isBlank()) {
        out.add(new Output(id, name.strip(), category.strip()));
      }
    }
    return out;
  }

  /** Spaces requests at least {@code 1/requestsPerSecond} apart (across this instance's calls). */
  private void awaitRateLimit() {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextSlot);
      nextSlot = slot + minIntervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      sleep(Duration.ofNanos(wait), settings.backoff());
    }
  }
}
