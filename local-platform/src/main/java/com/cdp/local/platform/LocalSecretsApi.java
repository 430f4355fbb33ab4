package com.cdp.local.platform;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Secrets Manager's {@code GetSecretValue} (AWS JSON 1.1) on the gateway at {@code
 * /_aws/secretsmanager}, backed by {@link LocalSecrets}: production code that reads a secret by ARN
 * or name runs unchanged locally. A template secret is found by its ARN or name; another id's name
 * is the ARN's secret part.
 */
final class LocalSecretsApi extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient LocalSecrets secrets;
  private final transient java.util.Optional<com.cdp.local.iam.SignatureCheck> signatures;

  /** Refuses unsigned callers; any SigV4-signed caller is served (no front door credentials). */
  LocalSecretsApi(LocalSecrets secrets) {
    this(secrets, java.util.Optional.empty());
  }

  /** Serves only callers that signed with a key the IAM front door issued. */
  LocalSecretsApi(
      LocalSecrets secrets, java.util.Optional<com.cdp.local.iam.SignatureCheck> signatures) {
    this.secrets = secrets;
    this.signatures = signatures;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"secretsmanager.GetSecretValue".equals(request.getHeader("X-Amz-Target"))) {
      error(response, "UnknownOperationException", "only GetSecretValue is served locally");
      return;
    }
    byte[] body = request.getInputStream().readNBytes(64 * 1024);
    // A secret goes only to a signed AWS SDK call, never to a browser or a bare curl.
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      error(
          response,
          "MissingAuthenticationTokenException",
          "Request is missing Authentication Token");
      return;
    }
    if (signatures.isPresent()) {
      var refusal = signatures.get().refusal(request, body);
      if (refusal.isPresent()) {
        error(response, refusal.get().getKey(), refusal.get().getValue());
        return;
      }
    }
    JsonNode input;
    try {
      input = Json.tree(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      error(response, "SerializationException", e.getMessage());
      return;
    }
    String id = input.path("SecretId").asText("");
    java.util.Optional<String> resolved = secrets.resolve(id);
    String value;
    String name = resolved.orElse("");
    try {
      value = secrets.get(resolved.orElseThrow(() -> new IllegalArgumentException(id)));
    } catch (IllegalArgumentException e) {
      error(
          response,
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret.");
      return;
    }
    response.setStatus(200);
    response.setContentType("application/x-amz-json-1.1");
    response
        .getOutputStream()
        .write(
            Json.writeBytes(
                Map.of(
                    "ARN",
                    "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + name,
                    "Name",
                    name,
                    "SecretString",
                    value,
                    "VersionId",
                    "local",
                    "VersionStages",
                    java.util.List.of("AWSCURRENT"),
                    "CreatedDate",
                    Instant.now().getEpochSecond())));
  }

  private static void error(HttpServletResponse response, String type, String message)
      throws IOException {
    response.setStatus(400);
    response.setContentType("application/x-amz-json-1.1");
    response.getOutputStream().write(Json.writeBytes(Map.of("__type", type, "message", message)));
  }
}
