package com.cdp.cli.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.cli.CdpCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WebSocketAdapter;
import org.eclipse.jetty.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./cdp listen} on a connection that is open but dead (dropped without a close: nothing ever
 * comes back, not even the answer to a ping) reconnects by itself instead of waiting forever.
 */
class ListenDeadConnectionTest {
  private final AtomicInteger connections = new AtomicInteger();
  private Server server;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "listen");
            t.setDaemon(true);
            return t;
          });

  /** A WebSocket endpoint that accepts connections and never sends anything back. */
  @BeforeEach
  void startSilentGateway() throws Exception {
    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    JettyWebSocketServletContainerInitializer.configure(context, null);
    context.addServlet(
        new ServletHolder(
            new JettyWebSocketServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void configure(JettyWebSocketServletFactory factory) {
                factory.setCreator(
                    (request, response) ->
                        new WebSocketAdapter() {
                          @Override
                          public void onWebSocketConnect(Session session) {
                            super.onWebSocketConnect(session);
                            connections.incrementAndGet();
                          }
                        });
              }
            }),
        "/realtime");
    server.setHandler(context);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    thread.shutdownNow();
    server.stop();
  }

  @Test
  void listen_whenNothingAnswersItsPing_abortsTheConnectionAndReconnects() throws Exception {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    StringWriter err = new StringWriter();
    var cli = CdpCommand.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    CompletableFuture.runAsync(
        () ->
            cli.execute(
                "listen",
                "--token",
                "t0k3n",
                "--endpoint",
                "ws://127.0.0.1:" + port + "/realtime",
                "--topic",
                "account_transactionadded",
                "--ping-interval",
                "PT0.2S",
                "--pong-timeout",
                "PT0.5S",
                "--max-reconnect-delay",
                "PT0.2S"),
        thread);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (connections.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    assertThat(connections.get()).as("connections the listener opened").isGreaterThanOrEqualTo(2);
    assertThat(err.toString()).contains("no answer to a ping within 0.5 s");
  }
}
