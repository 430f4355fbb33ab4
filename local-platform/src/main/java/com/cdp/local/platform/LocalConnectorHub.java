package com.cdp.local.platform;

import com.cdp.model.connector.HubApiKey;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Connector Hub simulator on the gateway at {@code
 * /hub/connectors/{connector}/{version}/{method}}: the platform's hub clients talk HTTP to it
 * exactly as to the real hub. When a key is required ({@link #requireApiKey}, which the local
 * platform does with its {@code connector-hub-api-key} secret) a call without it, or with another
 * key, is refused with 401 and not recorded, as the real hub refuses it. It records every accepted
 * call (in memory and in {@code hub-calls.ndjson}) and answers with the method registered for it,
 * or {@code 200 {"status":"ok"}}.
 */
public final class LocalConnectorHub {
  /** Path prefix under the gateway; the hub base URL is {@code gatewayUrl + PATH}. */
  public static final String PATH = "/hub";

  /** One recorded call. */
  public record Call(
      Instant at,
      String organizationId,
      String transactionId,
      String connector,
      String version,
      String method,
      JsonNode body) {}

  /** What a simulated method answers. */
  public record Reply(int status, Object body) {}

  /** A simulated connector method. */
  @FunctionalInterface
  public interface Method {
    Reply handle(Call call);
  }

  private final Map<String, Method> methods = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Path callLog;
  private volatile byte[] requiredApiKey;

  LocalConnectorHub(Path dataDir) {
    this.callLog = dataDir.resolve("hub-calls.ndjson");
  }

  /** Simulates {@code connector/version/method}. */
  public void register(String connector, String version, String method, Method handler) {
    methods.put(connector + "/" + version + "/" + method, handler);
  }

  /** From now on, only calls carrying this key in {@link HubApiKey#HEADER} are served. */
  public void requireApiKey(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("the hub key must not be empty");
    }
    this.requiredApiKey = key.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the request carries the required key (always, when none is required). */
  private boolean authenticated(HttpServletRequest request) {
    byte[] required = requiredApiKey;
    if (required == null) {
      return true;
    }
    String given = request.getHeader(HubApiKey.HEADER);
    return given != null && MessageDigest.isEqual(required, given.getBytes(StandardCharsets.UTF_8));
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  HttpServlet servlet() {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doPost(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        String[] parts = request.getRequestURI().substring(PATH.length()).split("/");
        // ["", "connectors", connector, version, method]
        if (parts.length != 5 || !parts[1].equals("connectors")) {
          LocalGateway.writeJson(
              response,
              404,
              Map.of("message", "expected /hub/connectors/{connector}/{version}/{method}"));
          return;
        }
        if (!authenticated(request)) {
          LocalGateway.writeJson(
              response,
              401,
              Map.of(
                  "code",
                  "hub_key_invalid",
                  "message",
                  "missing or wrong " + HubApiKey.HEADER + " header (the platform's hub key)"));
          return;
        }
        String organization = request.getHeader("x-organization-id");
        if (organization == null || organization.isBlank()) {
          LocalGateway.writeJson(
              response, 400, Map.of("message", "x-organization-id header is required"));
          return;
        }
        JsonNode body;
        try {
          byte[] bytes = request.getInputStream().readNBytes(LocalGateway.MAX_BODY_BYTES);
          body =
              bytes.length == 0
                  ? Json.object()
                  : Json.tree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          LocalGateway.writeJson(response, 400, Map.of("message", e.getMessage()));
          return;
        }
        Call call =
            new Call(
                Instant.now(),
                organization,
                request.getHeader("x-transaction-id"),
                parts[2],
                parts[3],
                parts[4],
                body);
        record(call);
        Method method = methods.get(parts[2] + "/" + parts[3] + "/" + parts[4]);
        Reply reply = method == null ? new Reply(200, Map.of("status", "ok")) : method.handle(call);
        LocalGateway.writeJson(response, reply.status(), reply.body());
      }
    };
  }

  private void record(Call call) {
    calls.add(call);
    ObjectNode line = Json.mapper().valueToTree(call);
    try {
      Files.createDirectories(callLog.getParent());
      synchronized (this) {
        Files.writeString(
            callLog,
            Json.write(line) + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      // the in-memory record stands; the file is a convenience
    }
  }
}
