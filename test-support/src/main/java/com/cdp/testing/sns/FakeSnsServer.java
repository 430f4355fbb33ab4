package com.cdp.testing.sns;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SNS-compatible endpoint (the Query protocol: form-encoded requests, XML responses) for {@code
 * Publish} and {@code PublishBatch}, with injectable faults: throttled requests, server errors,
 * failed batch entries (retryable or sender faults) and a delay per request. Point a real {@code
 * SnsClient} at {@link #endpoint()}. Used by fault tests and by the publisher benchmark.
 */
public final class FakeSnsServer implements AutoCloseable {
  private static final String NS = "http://sns.amazonaws.com/doc/2010-03-31/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
  private final AtomicLong messageCount = new AtomicLong();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger throttleNext = new AtomicInteger();
  private final AtomicInteger serverErrorNext = new AtomicInteger();
  private final AtomicInteger failEntriesNext = new AtomicInteger();
  private volatile String failCode = "InternalError";
  private volatile boolean failAsSenderFault;
  private volatile long delayMillis;
  private volatile boolean keepMessages = true;
  private final List<Integer> batchSizes =
      java.util.Collections.synchronizedList(new ArrayList<>());

  static {
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to every exchange and the
    // endpoint, not the client, would set the pace. Read once, when the first HttpServer starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private FakeSnsServer(int threads) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    AtomicInteger n = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "fake-sns-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts on a free port with two request threads. */
  public static FakeSnsServer start() {
    return start(2);
  }

  public static FakeSnsServer start(int threads) {
    try {
      return new FakeSnsServer(threads);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake SNS endpoint: " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A topic ARN the endpoint accepts (any ARN is accepted). */
  public static String topicArn() {
    return "arn:aws:sns:us-east-1:000000000000:cdp-local-logs";
  }

  /** The next {@code n} requests fail with HTTP 400 {@code Throttling}. */
  public FakeSnsServer throttleNextRequests(int n) {
    throttleNext.set(n);
    return this;
  }

  /** The next {@code n} requests fail with HTTP 500 {@code InternalError}. */
  public FakeSnsServer serverErrorNextRequests(int n) {
    serverErrorNext.set(n);
    return this;
  }

  /**
   * The next {@code n} batch entries are answered as failed with {@code code}; with {@code
   * senderFault} the client is told not to retry them.
   */
  public FakeSnsServer failNextEntries(int n, String code, boolean senderFault) {
    failCode = code;
    failAsSenderFault = senderFault;
    failEntriesNext.set(n);
    return this;
  }

  /** Every request waits this long before it is answered. */
  public FakeSnsServer delayEachRequest(Duration delay) {
    delayMillis = delay.toMillis();
    return this;
  }

  /** Whether message bodies are kept (turn off for throughput runs; they are counted anyway). */
  public FakeSnsServer keepMessages(boolean keep) {
    keepMessages = keep;
    return this;
  }

  /** The messages accepted so far (successful entries only). */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  public long messageCount() {
    return messageCount.get();
  }

  /** Requests received, faulty ones included. */
  public int requests() {
    return requests.get();
  }

  /** Entries per PublishBatch request received, in order. */
  public List<Integer> batchSizes() {
    synchronized (batchSizes) {
      return List.copyOf(batchSizes);
    }
  }

  public void reset() {
    messages.clear();
    messageCount.set(0);
    requests.set(0);
    batchSizes.clear();
    throttleNext.set(0);
    serverErrorNext.set(0);
    failEntriesNext.set(0);
    delayMillis = 0;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (takeOne(throttleNext)) {
        respond(exchange, 400, error("Sender", "Throttling", "Rate exceeded"));
        return;
      }
      if (takeOne(serverErrorNext)) {
        respond(exchange, 500, error("Receiver", "InternalError", "Internal failure"));
        return;
      }
      Map<String, String> form = parseForm(new String(body, StandardCharsets.UTF_8));
      String action = form.getOrDefault("Action", "");
      switch (action) {
        case "PublishBatch" -> respond(exchange, 200, publishBatch(form));
        case "Publish" -> respond(exchange, 200, publish(form));
        default ->
            respond(exchange, 400, error("Sender", "InvalidAction", "unsupported: " + action));
      }
    }
  }

  private String publish(Map<String, String> form) {
    accept(form.get("Message"));
    return "<PublishResponse xmlns=\""
        + NS
        + "\"><PublishResult><MessageId>"
        + UUID.randomUUID()
        + "</MessageId></PublishResult>"
        + metadata()
        + "</PublishResponse>";
  }

  private String publishBatch(Map<String, String> form) {
    StringBuilder ok = new StringBuilder();
    StringBuilder failed = new StringBuilder();
    int entries = 0;
    for (int i = 1; ; i++) {
      String id = form.get("PublishBatchRequestEntries.member." + i + ".Id");
      if (id == null) {
        break;
      }
      entries++;
      String message = form.get("PublishBatchRequestEntries.member." + i + ".Message");
      if (takeOne(failEntriesNext)) {
        failed
            .append("<member><Id>")
            .append(xml(id))
            .append("</Id><Code>")
            .append(xml(failCode))
            .append("</Code><Message>injected failure</Message><SenderFault>")
            .append(failAsSenderFault)
            .append("</SenderFault></member>");
      } else {
        accept(message);
        ok.append("<member><Id>")
            .append(xml(id))
            .append("</Id><MessageId>")
            .append(UUID.randomUUID())
            .append("</MessageId></member>");
      }
    }
    batchSizes.add(entries);
    return "<PublishBatchResponse xmlns=\""
        + NS
        + "\"><PublishBatchResult><Successful>"
        + ok
        + "</Successful><Failed>"
        + failed
        + "</Failed></PublishBatchResult>"
        + metadata()
        + "</PublishBatchResponse>";
  }

  private void accept(String message) {
    messageCount.incrementAndGet();
    if (keepMessages && message != null) {
      messages.add(message);
    }
  }

  private static boolean takeOne(AtomicInteger counter) {
    while (true) {
      int left = counter.get();
      if (left <= 0) {
        return false;
      }
      if (counter.compareAndSet(left, left - 1)) {
        return true;
      }
    }
  }

  private static String error(String type, String code, String message) {
    return "<ErrorResponse xmlns=\""
        + NS
        + "\"><Error><Type>"
        + type
        + "</Type><Code>"
        + code
        + "</Code><Message>"
        + xml(message)
        + "</Message></Error><RequestId>"
        + UUID.randomUUID()
        + "</RequestId></ErrorResponse>";
  }

  private static String metadata() {
    return "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>";
  }

  private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static Map<String, String> parseForm(String body) {
    Map<String, String> form = new TreeMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      form.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return form;
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
