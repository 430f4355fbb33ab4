package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON requests from the CLI to one platform API (the local gateway or an API in AWS): sends a
 * request, reads the JSON answer, and turns every failure into one line — the API unreachable, an
 * answer that is not JSON, or the API's own error ({@code HTTP 400 invalid_url: only http and https
 * URLs ...}).
 */
final class ApiCall {
  /** Amounts stay decimals as the API sent them ("250.00"), never doubles. */
  private static final ObjectReader READER =
      Json.mapper()
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  ApiCall(URI base) {
    this.base = base;
  }

  /** A request to {@code pathAndQuery} below the API's base URL, with the CLI's timeout. */
  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json");
  }

  /** Sends the request; the parsed answer when its status is {@code expectedStatus}. */
  JsonNode send(HttpRequest request, int expectedStatus) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException("cannot reach " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    JsonNode body;
    try {
      body = READER.readTree(response.body());
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("unexpected answer (HTTP " + response.statusCode() + ") from " + base);
    }
    if (response.statusCode() != expectedStatus) {
      throw new CliException(
          "HTTP "
              + response.statusCode()
              + " "
              + body.path("code").asText("error")
              + ": "
              + body.path("message").asText("request failed"));
    }
    return body;
  }
}
