package com.cdp.ingestion.platform;

import com.cdp.model.connector.HubApiKey;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
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
 * Asks the core, through the Connector Hub, for an account's transactions: {@code POST
 * {hub}/connectors/{connector}/{version}/getTransactions} with {@code {"accountId", "memberId"?,
 * "since"?}}, the {@code x-organization-id} header and the environment's hub key ({@link
 * HubApiKey#HEADER}; re-read once when the hub refuses it, for a rotated key); the answer is {@code
 * {"transactions": [{...the columns of CONTRACTS 1a...}]}}. A non-200 answer or a timeout is an
 * exception, so the invocation fails and EventBridge retries it.
 */
public final class CoreTransactionsClient {
  public static final String DEFAULT_CONNECTOR = "cdp-core";
  public static final String DEFAULT_VERSION = "1";
  public static final String METHOD = "getTransactions";

  private final HttpClient http;
  private final URI hubBaseUrl;
  private final String connector;
  private final String version;
  private final Duration timeout;
  private final HubApiKey apiKey;

  public CoreTransactionsClient(
      HttpClient http,
      URI hubBaseUrl,
      String connector,
      String version,
      Duration timeout,
      HubApiKey apiKey) {
    this.http = Objects.requireNonNull(http, "http");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    this.hubBaseUrl = Objects.requireNonNull(hubBaseUrl, "hubBaseUrl");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.version = Objects.requireNonNull(version, "version");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The core's failure to answer; the invocation fails and is retried. */
  public static final class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HubException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The transactions the core reports for the account (raw JSON objects). */
  public List<JsonNode> fetch(
      String organizationId,
      String transactionId,
      String memberId,
      String accountId,
      String since) {
    ObjectNode body = Json.object();
    body.put("accountId", accountId);
    if (memberId != null) {
      body.put("memberId", memberId);
    }
    if (since != null) {
      body.put("since", since);
    }
    String base = hubBaseUrl.toString().replaceAll("/+$", "");
    URI uri = URI.create(base + "/connectors/" + connector + "/" + version + "/" + METHOD);
    String json = Json.write(body);
    HttpResponse<String> response;
    try {
      response = send(uri, organizationId, transactionId, json);
      if ((response.statusCode() == 401 || response.statusCode() == 403)
          && apiKey.reloadAfterRefusal()) {
        response = send(uri, organizationId, transactionId, json);
      }
    } catch (IOException e) {
      throw new HubException("the Connector Hub did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException("interrupted while calling the Connector Hub", e);
    }
    if (response.statusCode() != 200) {
      throw new HubException(
          "the Connector Hub answered "
              + response.statusCode()
              + " to "
              + connector
              + "/"
              + version
              + "/"
              + METHOD,
          null);
    }
    JsonNode transactions;
    try {
      transactions = Json.tree(response.body()).path("transactions");
    } catch (IllegalArgumentException e) {
      throw new HubException("the Connector Hub answered malformed JSON", e);
    }
    List<JsonNode> out = new ArrayList<>();
    transactions.forEach(out::add);
    return out;
  }

  private HttpResponse<String> send(
      URI uri, String organizationId, String transactionId, String json)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("x-organization-id", organizationId)
            .header("x-transaction-id", transactionId)
            .header(HubApiKey.HEADER, apiKey.current())
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
