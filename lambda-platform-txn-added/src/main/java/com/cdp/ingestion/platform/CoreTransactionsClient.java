package com.cdp.ingestion.platform;

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
 * "since"?}} and the {@code x-organization-id} header; the answer is {@code {"transactions":
 * [{...the columns of CONTRACTS 1a...}]}}. A non-200 answer or a timeout is an exception, so the
 * invocation fails and EventBridge retries it.
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

  public CoreTransactionsClient(
      HttpClient http, URI hubBaseUrl, String connector, String version, Duration timeout) {
    this.http = Objects.requireNonNull(http, "http");
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
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(base + "/connectors/" + connector + "/" + version + "/" + METHOD))
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("x-organization-id", organizationId)
            .header("x-transaction-id", transactionId)
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
}
