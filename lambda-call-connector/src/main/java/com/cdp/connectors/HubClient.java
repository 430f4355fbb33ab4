package com.cdp.connectors;

import com.cdp.model.connector.ConnectorCallRequest;
import com.cdp.model.connector.HubApiKey;
import com.cdp.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * The Connector Hub over HTTP: {@code POST {base}/connectors/{connector}/{version}/{method}} with
 * the params as the JSON body, the {@code x-organization-id} and {@code x-transaction-id} headers,
 * and the environment's hub key ({@link HubApiKey#HEADER}). When the hub refuses the key (401 or
 * 403) the key is read again and, if it changed (rotated), the call is sent once more. The same
 * client talks to the real hub and to the local simulator.
 */
final class HubClient {
  /** What the hub answered: the status and the body's size (the body itself is never logged). */
  public record Response(int status, int bodyBytes) {}

  /** The hub did not answer in time. */
  public static final class HubTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    HubTimeoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final HttpClient http;
  private final URI baseUrl;
  private final HubApiKey apiKey;

  public HubClient(HttpClient http, URI baseUrl, HubApiKey apiKey) {
    this.http = Objects.requireNonNull(http, "http");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    String base = Objects.requireNonNull(baseUrl, "baseUrl").toString();
    this.baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
  }

  /** An HTTP/1.1 client with a connect timeout no longer than the call timeout. */
  public static HttpClient httpClient(Duration callTimeout) {
    Duration connect =
        callTimeout.compareTo(Duration.ofSeconds(3)) < 0 ? callTimeout : Duration.ofSeconds(3);
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connect)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public URI uriFor(ConnectorCallRequest request) {
    return URI.create(baseUrl + "/connectors/" + request.path());
  }

  /**
   * Calls the method; an unreachable hub or a refused connection raises {@link IOException}, a call
   * slower than {@code timeout} raises {@link HubTimeoutException}.
   */
  public Response call(ConnectorCallRequest request, String transactionId, Duration timeout)
      throws IOException, InterruptedException {
    Response response = send(request, transactionId, timeout);
    if ((response.status() == 401 || response.status() == 403) && apiKey.reloadAfterRefusal()) {
      response = send(request, transactionId, timeout);
    }
    return response;
  }

  private Response send(ConnectorCallRequest request, String transactionId, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest http =
        HttpRequest.newBuilder(uriFor(request))
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .header("x-organization-id", request.organizationId().value())
            .header("x-transaction-id", transactionId)
            .header(HubApiKey.HEADER, apiKey.current())
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(request.params())))
            .build();
    try {
      HttpResponse<byte[]> response = this.http.send(http, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          response.statusCode(), response.body() == null ? 0 : response.body().length);
    } catch (HttpTimeoutException e) {
      throw new HubTimeoutException("no answer within " + timeout, e);
    }
  }
}
