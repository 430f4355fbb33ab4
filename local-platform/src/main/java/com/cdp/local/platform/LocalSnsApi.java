package com.cdp.local.platform;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * SNS's {@code Publish} and {@code PublishBatch} (the query protocol the SDK speaks: form
 * parameters in, XML out) on a port of its own (the SDK posts SNS calls to the endpoint's root,
 * dropping any path, so they cannot share the gateway), for the template's topics that have a local
 * subscriber: the log topic, whose Firehose subscription is the local delivery stream. The
 * functions' {@code SnsLogPublisher} runs unchanged against it. Limits as SNS's: 10 entries a
 * batch, 256 KB a message and a batch.
 */
final class LocalSnsApi extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final int MAX_BATCH_ENTRIES = 10;
  static final int MAX_BYTES = 256 * 1024;
  private static final String NS = "http://sns.amazonaws.com/doc/2010-03-31/";

  private final transient Map<String, Consumer<String>> subscribers;

  /**
   * Serves the API on a free loopback port.
   *
   * @return the server (stop it with the platform) and its URL via {@link #url}
   */
  static org.eclipse.jetty.server.Server start(Map<String, Consumer<String>> subscribers) {
    org.eclipse.jetty.server.Server server =
        new org.eclipse.jetty.server.Server(new java.net.InetSocketAddress("127.0.0.1", 0));
    org.eclipse.jetty.servlet.ServletContextHandler context =
        new org.eclipse.jetty.servlet.ServletContextHandler();
    context.addServlet(
        new org.eclipse.jetty.servlet.ServletHolder(new LocalSnsApi(subscribers)), "/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the local SNS endpoint: " + e.getMessage(), e);
    }
    return server;
  }

  static java.net.URI url(org.eclipse.jetty.server.Server server) {
    return java.net.URI.create(
        "http://127.0.0.1:"
            + ((org.eclipse.jetty.server.ServerConnector) server.getConnectors()[0])
                .getLocalPort());
  }

  /**
   * @param subscribers each topic ARN's local subscriber (gets each message)
   */
  LocalSnsApi(Map<String, Consumer<String>> subscribers) {
    this.subscribers = Map.copyOf(subscribers);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    request.setCharacterEncoding("UTF-8");
    String action = request.getParameter("Action");
    String topic = request.getParameter("TopicArn");
    if (!"Publish".equals(action) && !"PublishBatch".equals(action)) {
      error(response, 400, "InvalidAction", "only Publish and PublishBatch are served locally");
      return;
    }
    Consumer<String> subscriber = topic == null ? null : subscribers.get(topic);
    if (subscriber == null) {
      error(response, 404, "NotFound", "Topic does not exist");
      return;
    }
    if ("Publish".equals(action)) {
      String message = request.getParameter("Message");
      if (message == null || message.isEmpty()) {
        error(response, 400, "InvalidParameter", "Invalid parameter: Empty message");
        return;
      }
      if (message.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
        error(response, 400, "InvalidParameter", "Invalid parameter: Message too long");
        return;
      }
      subscriber.accept(message);
      String id = UUID.randomUUID().toString();
      ok(
          response,
          "<PublishResponse xmlns=\""
              + NS
              + "\"><PublishResult><MessageId>"
              + id
              + "</MessageId></PublishResult>"
              + metadata()
              + "</PublishResponse>");
      return;
    }
    List<String[]> entries = new ArrayList<>();
    for (int i = 1; ; i++) {
      String prefix = "PublishBatchRequestEntries.member." + i + ".";
      String id = request.getParameter(prefix + "Id");
      if (id == null) {
        break;
      }
      entries.add(new String[] {id, request.getParameter(prefix + "Message")});
    }
    if (entries.isEmpty()) {
      error(response, 400, "EmptyBatchRequest", "The batch request doesn't contain any entries");
      return;
    }
    if (entries.size() > MAX_BATCH_ENTRIES) {
      error(
          response,
          400,
          "TooManyEntriesInBatchRequest",
          "The batch request contains more entries than permissible");
      return;
    }
    Set<String> ids = new HashSet<>();
    long total = 0;
    for (String[] e : entries) {
      if (!ids.add(e[0])) {
        error(response, 400, "BatchEntryIdsNotDistinct", "Two or more batch entries share an Id");
        return;
      }
      total += e[1] == null ? 0 : e[1].getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > MAX_BYTES) {
      error(
          response,
          400,
          "BatchRequestTooLong",
          "The length of all the messages put together is more than the limit");
      return;
    }
    StringBuilder ok = new StringBuilder();
    StringBuilder failed = new StringBuilder();
    for (String[] e : entries) {
      if (e[1] == null || e[1].isEmpty()) {
        failed
            .append("<member><Id>")
            .append(xml(e[0]))
            .append("</Id><Code>InvalidParameter</Code>")
            .append("<Message>Empty message</Message><SenderFault>true</SenderFault></member>");
        continue;
      }
      subscriber.accept(e[1]);
      ok.append("<member><Id>")
          .append(xml(e[0]))
          .append("</Id><MessageId>")
          .append(UUID.randomUUID())
          .append("</MessageId></member>");
    }
    ok(
        response,
        "<PublishBatchResponse xmlns=\""
            + NS
            + "\"><PublishBatchResult><Successful>"
            + ok
            + "</Successful><Failed>"
            + failed
            + "</Failed></PublishBatchResult>"
            + metadata()
            + "</PublishBatchResponse>");
  }

  private static String metadata() {
    return "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>";
  }

  private static void ok(HttpServletResponse response, String body) throws IOException {
    response.setStatus(200);
    response.setContentType("text/xml");
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }

  private static void error(HttpServletResponse response, int status, String code, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/xml");
    response
        .getOutputStream()
        .write(
            ("<ErrorResponse xmlns=\""
                    + NS
                    + "\"><Error><Type>Sender</Type><Code>"
                    + code
                    + "</Code><Message>"
                    + xml(message)
                    + "</Message></Error><RequestId>"
                    + UUID.randomUUID()
                    + "</RequestId></ErrorResponse>")
                .getBytes(StandardCharsets.UTF_8));
  }

  static String xml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;");
  }
}
