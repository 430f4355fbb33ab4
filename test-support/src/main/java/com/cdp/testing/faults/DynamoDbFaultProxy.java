package com.cdp.testing.faults;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * {@link DynamoDbFaults} on the wire: an HTTP stand-in in front of a DynamoDB endpoint (dynalite)
 * for code that runs in another JVM (the local platform's functions, pointed at it by their {@code
 * AWS_ENDPOINT_URL_DYNAMODB}). It forwards every call unchanged except {@code BatchWriteItem}:
 * every {@code throttleEvery}-th such call is answered with DynamoDB's {@code
 * ProvisionedThroughputExceededException} (HTTP 400) without writing, and every {@code
 * partialEvery}-th of the others writes only the first half of each table's items and answers the
 * rest as {@code UnprocessedItems}, as DynamoDB does under load. It never drops a write silently:
 * what it does not write, it tells the caller.
 */
public final class DynamoDbFaultProxy implements AutoCloseable {
  private static final String BATCH_WRITE = "DynamoDB_20120810.BatchWriteItem";

  /** Headers the JDK client sets itself (or refuses) when forwarding. */
  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private final Server server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final int throttleEvery;
  private final int partialEvery;
  private final DynamoDbFaults.Stats stats;
  private volatile URI upstream;

  private DynamoDbFaultProxy(int throttleEvery, int partialEvery, DynamoDbFaults.Stats stats) {
    this.throttleEvery = throttleEvery;
    this.partialEvery = partialEvery;
    this.stats = Objects.requireNonNull(stats, "stats");
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new Forwarder()), "/*");
    server.setHandler(context);
  }

  /**
   * Starts the stand-in on a free loopback port; it answers 503 until {@link #forwardTo} names the
   * real endpoint (which may be known only once the platform behind it runs).
   */
  public static DynamoDbFaultProxy start(
      int throttleEvery, int partialEvery, DynamoDbFaults.Stats stats) {
    DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(throttleEvery, partialEvery, stats);
    try {
      proxy.server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the DynamoDB fault stand-in", e);
    }
    return proxy;
  }

  /** Where calls go (dynalite's endpoint). */
  public void forwardTo(URI endpoint) {
    this.upstream = Objects.requireNonNull(endpoint, "endpoint");
  }

  /** The stand-in's endpoint, for {@code AWS_ENDPOINT_URL_DYNAMODB}. */
  public URI endpoint() {
    return URI.create(
        "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private final class Forwarder extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      URI target = upstream;
      if (target == null) {
        response.sendError(503, "the fault stand-in has no upstream yet");
        return;
      }
      byte[] body = request.getInputStream().readAllBytes();
      if (BATCH_WRITE.equals(request.getHeader("X-Amz-Target"))) {
        long n = stats.calls.incrementAndGet();
        if (throttleEvery > 0 && n % throttleEvery == 0) {
          stats.throttled.incrementAndGet();
          answer(
              response,
              400,
              "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                  + "\"message\":\"injected throttling\"}");
          return;
        }
        if (partialEvery > 0 && n % partialEvery == 0) {
          partial(request, body, response, target);
          return;
        }
      }
      HttpResponse<byte[]> forwarded = forward(request, body, target);
      response.setStatus(forwarded.statusCode());
      forwarded
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(v -> response.addHeader(name, v));
                }
              });
      response.getOutputStream().write(forwarded.body());
    }

    /** Writes the first half of each table's items; answers the rest as unprocessed. */
    private void partial(
        HttpServletRequest request, byte[] body, HttpServletResponse response, URI target)
        throws IOException {
      ObjectNode document = (ObjectNode) Json.tree(new String(body, StandardCharsets.UTF_8));
      ObjectNode written = Json.object();
      ObjectNode left = Json.object();
      long unprocessed = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = document.path("RequestItems").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> table = it.next();
        int half = table.getValue().size() / 2;
        ArrayNode first = written.putArray(table.getKey());
        ArrayNode rest = left.putArray(table.getKey());
        for (int i = 0; i < table.getValue().size(); i++) {
          (i < half ? first : rest).add(table.getValue().get(i));
        }
        unprocessed += rest.size();
        if (first.isEmpty()) {
          written.remove(table.getKey());
        }
      }
      if (!written.isEmpty()) {
        document.set("RequestItems", written);
        HttpResponse<byte[]> result =
            forward(request, Json.write(document).getBytes(StandardCharsets.UTF_8), target);
        if (result.statusCode() != 200) {
          // The real endpoint refused the half: pass its answer on; nothing was injected.
          response.setStatus(result.statusCode());
          response.setContentType("application/x-amz-json-1.0");
          response.getOutputStream().write(result.body());
          return;
        }
        JsonNode theirs = Json.tree(new String(result.body(), StandardCharsets.UTF_8));
        theirs
            .path("UnprocessedItems")
            .fields()
            .forEachRemaining(
                e -> {
                  ArrayNode rest =
                      left.has(e.getKey())
                          ? (ArrayNode) left.get(e.getKey())
                          : left.putArray(e.getKey());
                  e.getValue().forEach(rest::add);
                });
      }
      stats.partial.incrementAndGet();
      stats.unprocessedItems.addAndGet(unprocessed);
      ObjectNode answer = Json.object();
      answer.set("UnprocessedItems", left);
      answer(response, 200, Json.write(answer));
    }

    private HttpResponse<byte[]> forward(HttpServletRequest request, byte[] body, URI target)
        throws IOException {
      String path = request.getRequestURI();
      HttpRequest.Builder out =
          HttpRequest.newBuilder(target.resolve(path == null || path.isEmpty() ? "/" : path))
              .method(request.getMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      for (String name : Collections.list(request.getHeaderNames())) {
        if (NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
          continue;
        }
        for (String value : Collections.list(request.getHeaders(name))) {
          out.header(name, value);
        }
      }
      try {
        return http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while forwarding", e);
      }
    }

    private void answer(HttpServletResponse response, int status, String json) throws IOException {
      response.setStatus(status);
      response.setContentType("application/x-amz-json-1.0");
      response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The counts so far (for assertions). */
  public DynamoDbFaults.Stats stats() {
    return stats;
  }
}
