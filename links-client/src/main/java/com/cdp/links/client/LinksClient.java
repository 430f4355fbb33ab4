package com.cdp.links.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The short-link API for the services that send links (docs/links-and-connectors.md):
 *
 * <pre>{@code
 * LinksClient links = LinksClient.create(URI.create("https://cdp.link"), apiKey);
 * ShortLink link = links.shorten(ShortenRequest.of(statementUrl).organization("tcu"));
 * sms.send(member, "Your statement: " + link.shortUrl());
 * }</pre>
 *
 * Thread-safe; one instance per service is enough. Every refusal is a {@link LinksException} with
 * the API's status and code. {@code organizationId} arguments name the link's organization (null: a
 * link of the bare short domain).
 */
public final class LinksClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String base;
  private final String apiKey;
  private final HttpClient http;

  private LinksClient(URI baseUri, String apiKey, HttpClient http) {
    this.base = Objects.requireNonNull(baseUri, "baseUri").toString().replaceAll("/+$", "");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey").strip();
    this.http = Objects.requireNonNull(http, "http");
  }

  /** A client of the API at {@code baseUri} (e.g. {@code https://cdp.link}) with an API key. */
  public static LinksClient create(URI baseUri, String apiKey) {
    return create(
        baseUri,
        apiKey,
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build());
  }

  public static LinksClient create(URI baseUri, String apiKey, HttpClient http) {
    return new LinksClient(baseUri, apiKey, http);
  }

  /** Creates a link to {@code url} on the bare short domain with the default expiry. */
  public ShortLink shorten(String url) {
    return shorten(ShortenRequest.of(url));
  }

  public ShortLink shorten(ShortenRequest request) {
    ObjectNode body = JSON.createObjectNode();
    body.put("url", request.url());
    if (request.organizationId() != null) {
      body.put("organizationId", request.organizationId());
    }
    if (request.expiresInDays() != null) {
      body.put("expiresInDays", request.expiresInDays());
    }
    if (request.slug() != null) {
      body.put("slug", request.slug());
    }
    if (request.maxVisits() != null) {
      body.put("maxVisits", request.maxVisits());
    }
    JsonNode created = json(send("POST", "/links", Map.of(), body), 201);
    return new ShortLink(
        created.path("code").asText(),
        created.path("shortUrl").asText(),
        instant(created.path("expiresAt")));
  }

  public LinkInfo get(String organizationId, String code) {
    return info(json(send("GET", path(code), org(organizationId), null), 200));
  }

  /** Sets the expiry to {@code days} (1-365) from now; the target never changes. */
  public LinkInfo extend(String organizationId, String code, int days) {
    ObjectNode body = JSON.createObjectNode().put("expiresInDays", days);
    return info(json(send("PATCH", path(code), org(organizationId), body), 200));
  }

  /** Revokes the link: it answers 410 Gone from now on; its code is never reissued. */
  public LinkInfo revoke(String organizationId, String code) {
    return info(json(send("DELETE", path(code), org(organizationId), null), 200));
  }

  /** A page of the organization's links (only those created by {@code createdBy}, if given). */
  public LinkPage list(String organizationId, String createdBy, String cursor, Integer limit) {
    Map<String, String> query = new LinkedHashMap<>(org(organizationId));
    if (createdBy != null) {
      query.put("createdBy", createdBy);
    }
    if (cursor != null) {
      query.put("cursor", cursor);
    }
    if (limit != null) {
      query.put("limit", limit.toString());
    }
    JsonNode page = json(send("GET", "/links", query, null), 200);
    List<LinkInfo> links = new ArrayList<>();
    page.path("links").forEach(l -> links.add(info(l)));
    return new LinkPage(links, text(page.path("nextCursor")));
  }

  public LinkStats stats(String organizationId, String code) {
    JsonNode stats = json(send("GET", path(code) + "/stats", org(organizationId), null), 200);
    TreeMap<LocalDate, Long> days = new TreeMap<>();
    stats
        .path("visitsPerDay")
        .fields()
        .forEachRemaining(e -> days.put(LocalDate.parse(e.getKey()), e.getValue().asLong()));
    return new LinkStats(
        stats.path("code").asText(),
        stats.path("days").asInt(),
        stats.path("total").asLong(),
        days);
  }

  /** The link's QR code; {@code format} is {@code png} or {@code svg}. */
  public QrImage qr(String organizationId, String code, String format) {
    Map<String, String> query = new LinkedHashMap<>(org(organizationId));
    query.put("format", Objects.requireNonNull(format, "format"));
    HttpResponse<byte[]> response = send("GET", path(code) + "/qr", query, null);
    if (response.statusCode() != 200) {
      json(response, 200);
    }
    return new QrImage(
        response.headers().firstValue("content-type").orElse("application/octet-stream"),
        response.body());
  }

  private static String path(String code) {
    return "/links/"
        + URLEncoder.encode(Objects.requireNonNull(code, "code"), StandardCharsets.UTF_8);
  }

  private static Map<String, String> org(String organizationId) {
    return organizationId == null ? Map.of() : Map.of("organizationId", organizationId);
  }

  private HttpResponse<byte[]> send(
      String method, String path, Map<String, String> query, JsonNode body) {
    String q =
        query.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path + (q.isEmpty() ? "" : "?" + q)))
            .timeout(TIMEOUT)
            .header("x-api-key", apiKey)
            .header("Accept", "application/json");
    try {
      request.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      if (body != null) {
        request.header("Content-Type", "application/json");
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new LinksException(0, "unreachable", "cannot reach " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinksException(0, "interrupted", "interrupted");
    }
  }

  private JsonNode json(HttpResponse<byte[]> response, int expected) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      throw new LinksException(
          response.statusCode(),
          "unexpected_answer",
          "unexpected answer (HTTP " + response.statusCode() + ") from " + base);
    }
    if (response.statusCode() != expected) {
      throw new LinksException(
          response.statusCode(),
          body.path("code").asText("error"),
          body.path("message").asText("request failed"));
    }
    return body;
  }

  private static LinkInfo info(JsonNode n) {
    return new LinkInfo(
        n.path("code").asText(),
        text(n.path("shortUrl")),
        text(n.path("host")),
        text(n.path("organizationId")),
        text(n.path("status")),
        text(n.path("url")),
        instant(n.path("createdAt")),
        instant(n.path("expiresAt")),
        text(n.path("createdBy")),
        n.path("visits").isNumber() ? n.path("visits").asLong() : null,
        n.path("maxVisits").isNumber() ? n.path("maxVisits").asLong() : null,
        instant(n.path("revokedAt")));
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  private static Instant instant(JsonNode node) {
    return node.isTextual() ? Instant.parse(node.asText()) : null;
  }
}
