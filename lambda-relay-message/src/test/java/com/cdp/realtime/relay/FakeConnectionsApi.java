package com.cdp.realtime.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A stand-in for the API Gateway Management API's {@code POST /@connections/{id}}: known
 * connections answer 200 and keep what was posted, unknown ones 410 GoneException, and a script of
 * statuses per connection (for example 429, 429) is answered first.
 */
final class FakeConnectionsApi implements AutoCloseable {
  private final HttpServer server;
  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();
  private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

  FakeConnectionsApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/@connections/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void open(String connectionId) {
    open.add(connectionId);
  }

  /** The connection is gone: later posts to it answer 410. */
  void drop(String connectionId) {
    open.remove(connectionId);
  }

  /** Answers the next posts to the connection with these statuses, then behaves normally. */
  void script(String connectionId, Integer... statuses) {
    scripts.put(connectionId, new ArrayDeque<>(List.of(statuses)));
  }

  List<String> received(String connectionId) {
    return List.copyOf(received.getOrDefault(connectionId, List.of()));
  }

  int attempts(String connectionId) {
    return attempts.getOrDefault(connectionId, 0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawPath().substring("/@connections/".length());
    String id = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    byte[] body = exchange.getRequestBody().readAllBytes();
    attempts.merge(id, 1, Integer::sum);
    Deque<Integer> script = scripts.get(id);
    Integer scripted = script == null ? null : script.pollFirst();
    if (scripted != null) {
      String type =
          scripted == 429
              ? "LimitExceededException"
              : scripted == 410 ? "GoneException" : "InternalServerError";
      reply(exchange, scripted, type);
      return;
    }
    if (!open.contains(id)) {
      reply(exchange, 410, "GoneException");
      return;
    }
    received
        .computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(new String(body, StandardCharsets.UTF_8));
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  private static void reply(HttpExchange exchange, int status, String type) throws IOException {
    byte[] body = ("{\"message\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
