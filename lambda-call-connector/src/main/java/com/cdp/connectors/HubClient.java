package com.cdp.connectors;

import com.cdp.model.connector.ConnectorCallRequest;
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
 * the params as the JSON body and the {@code x-organization-id} and {@code x-transaction-id}
 * headers. The same client talks to the real hub and to the local simulator.
 */
public final class HubClient {
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

  public HubClient(HttpClient http, URI baseUrl) {
    this.http = Objects.requireNonNull(http, "http");
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
    HttpRequest http =
        HttpRequest.newBuilder(uriFor(request))
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .header("x-organization-id", request.organizationId().value())
            .header("x-transaction-id", transactionId)
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
