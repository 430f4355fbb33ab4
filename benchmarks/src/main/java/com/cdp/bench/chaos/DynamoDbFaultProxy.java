package com.cdp.bench.chaos;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.proxy.ProxyServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * A transparent HTTP proxy (Jetty's {@link ProxyServlet.Transparent}) in front of dynalite: every
 * DynamoDB client of the platform talks to it ({@code cdp.local.dynamoDbVia}). While throttling, it
 * answers a share of calls itself as DynamoDB does when a table's capacity is exceeded: HTTP 400
 * with {@code ProvisionedThroughputExceededException}, which the AWS SDK retries with backoff.
 */
final class DynamoDbFaultProxy implements AutoCloseable {
  private static final String THROTTLED =
      "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
          + "\"message\":\"The level of configured provisioned throughput for the table was"
          + " exceeded. Consider increasing your provisioning level with the UpdateTable API\"}";

  private final Server server;
  private volatile double throttleShare;
  final AtomicLong calls = new AtomicLong();
  final AtomicLong throttled = new AtomicLong();

  private DynamoDbFaultProxy(Server server) {
    this.server = server;
  }

  static DynamoDbFaultProxy start(int dynalitePort) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(server);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(proxy.new Throttling());
    holder.setInitParameter("proxyTo", "http://127.0.0.1:" + dynalitePort);
    holder.setInitParameter("maxThreads", "64");
    holder.setInitParameter("idleTimeout", "60000");
    holder.setInitParameter("timeout", "60000");
    context.addServlet(holder, "/*");
    server.setHandler(context);
    server.start();
    return proxy;
  }

  URI url() {
    return URI.create(
        "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
  }

  /** From now on, this share (0..1) of calls is answered as throttled; 0 stops throttling. */
  void throttle(double share) {
    this.throttleShare = share;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private final class Throttling extends ProxyServlet.Transparent {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws jakarta.servlet.ServletException, IOException {
      calls.incrementAndGet();
      double share = throttleShare;
      if (share > 0 && ThreadLocalRandom.current().nextDouble() < share) {
        throttled.incrementAndGet();
        request.getInputStream().readAllBytes();
        response.setStatus(400);
        response.setContentType("application/x-amz-json-1.0");
        response.setHeader("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        response.getOutputStream().write(THROTTLED.getBytes(StandardCharsets.UTF_8));
        return;
      }
      super.service(request, response);
    }
  }
}
