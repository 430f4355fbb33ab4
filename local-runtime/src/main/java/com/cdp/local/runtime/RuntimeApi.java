package com.cdp.local.runtime;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Lambda Runtime API ({@code /2018-06-01/runtime/...}) the function JVMs' Runtime Interface
 * Client talks to, on Jetty 11 (HTTP/1.1: the RIC's native client crashes on an HTTP/1.0 answer).
 * Each function instance gets a connector (port) of its own, so the instance behind a request is
 * the port it came in on, as in Lambda where every sandbox has its own endpoint.
 */
final class RuntimeApi implements AutoCloseable {
  private static final String PREFIX = "/2018-06-01/runtime/";

  private final Server server;
  private final Map<Integer, FunctionInstance> byPort = new ConcurrentHashMap<>();

  RuntimeApi() {
    QueuedThreadPool threads = new QueuedThreadPool(256, 4);
    threads.setName("runtime-api");
    threads.setDaemon(true);
    server = new Server(threads);
    server.setHandler(new Handler());
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the local Lambda Runtime API", e);
    }
  }

  /** Opens a port for the instance; its JVM gets {@code AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT}. */
  int open(FunctionInstance instance) {
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    // The RIC long-polls /next: never time the connection out while an instance waits for work.
    connector.setIdleTimeout(0);
    server.addConnector(connector);
    try {
      connector.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot open a Runtime API port", e);
    }
    int port = connector.getLocalPort();
    byPort.put(port, instance);
    instance.attach(port, () -> close(connector, port));
    return port;
  }

  private void close(ServerConnector connector, int port) {
    byPort.remove(port);
    try {
      connector.stop();
    } catch (Exception e) {
      // the port is released when the platform stops at the latest
    }
    server.removeConnector(connector);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping: nothing left to do
    }
  }

  private final class Handler extends AbstractHandler {
    @Override
    public void handle(
        String target, Request base, HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      base.setHandled(true);
      FunctionInstance instance = byPort.get(request.getLocalPort());
      if (instance == null || !target.startsWith(PREFIX)) {
        response.sendError(404);
        return;
      }
      String path = target.substring(PREFIX.length());
      byte[] body = request.getInputStream().readAllBytes();
      if (path.equals("invocation/next") && request.getMethod().equals("GET")) {
        Optional<Invocation> next = instance.awaitNext();
        if (next.isEmpty()) {
          // The instance is being stopped: the process is killed next.
          response.sendError(410);
          return;
        }
        Invocation invocation = next.get();
        response.setStatus(200);
        response.setContentType("application/json");
        response.setHeader("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        response.setHeader("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs));
        response.setHeader("Lambda-Runtime-Invoked-Function-Arn", instance.functionArn());
        response.setHeader("Lambda-Runtime-Trace-Id", invocation.traceId);
        response.getOutputStream().write(invocation.payload);
        return;
      }
      if (path.equals("init/error") && request.getMethod().equals("POST")) {
        instance.initFailed(new String(body, StandardCharsets.UTF_8));
        response.setStatus(202);
        return;
      }
      if (path.startsWith("invocation/") && request.getMethod().equals("POST")) {
        String[] parts = path.split("/");
        if (parts.length == 3 && (parts[2].equals("response") || parts[2].equals("error"))) {
          boolean accepted =
              parts[2].equals("response")
                  ? instance.completed(parts[1], body)
                  : instance.failed(parts[1], body);
          response.setStatus(accepted ? 202 : 400);
          return;
        }
      }
      response.sendError(404);
    }
  }
}
