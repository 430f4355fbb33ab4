package com.cdp.cli.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.model.id.MemberId;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.RealtimeStore;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.TestIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * A client that vanishes (its socket dropped without a WebSocket close) is noticed by the local
 * gateway as API Gateway notices it: the connection ends, {@code $disconnect} runs (its record is
 * deleted) and posts to it answer 410. The gateway here closes idle connections after 3 seconds
 * (API Gateway: 10 minutes).
 */
class GatewayVanishedClientTest {
  private static final Duration IDLE = Duration.ofSeconds(3);

  @TempDir static Path data;
  private static LocalPlatform platform;
  private static RealtimeLocal realtime;
  private static SessionService sessions;
  private static RealtimeStore store;
  private static ApiGatewayManagementApiClient management;

  @BeforeAll
  static void start() {
    realtime =
        new RealtimeLocal(RealtimeLocal.Options.defaults().withLimits(IDLE, Duration.ofHours(2)));
    platform = LocalPlatform.start(LocalOptions.forTests(data, RepoRoot.find()), List.of(realtime));
    sessions =
        new SessionService(
            platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC());
    store =
        new RealtimeStore(
            platform.dynamoDb(), platform.tableName(Tables.REALTIME), Clock.systemUTC());
    management =
        AwsClients.build(
            ApiGatewayManagementApiClient.builder(),
            AwsTarget.local(realtime.managementEndpoint()));
  }

  @AfterAll
  static void stop() {
    if (management != null) {
      management.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void gateway_whenTheClientAbortsItsSocketWithoutAClose_endsTheConnectionAndRunsDisconnect()
      throws Exception {
    URI uri = tokenUri(realtime.webSocketUrl());
    Set<String> before = new HashSet<>(realtime.openConnectionIds());
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(uri, new WebSocket.Listener() {})
            .get(20, TimeUnit.SECONDS);
    String id = newConnection(before);
    await("the connection's record", () -> store.connection(id).isPresent());

    socket.abort(); // the TCP connection closes; no close frame

    awaitGone(id);
  }

  @Test
  void gateway_whenTheClientFallsSilentWithoutClosingItsSocket_endsTheConnectionAtTheIdleTimeout()
      throws Exception {
    URI gateway = realtime.webSocketUrl();
    try (FreezingProxy proxy = new FreezingProxy(gateway.getHost(), gateway.getPort())) {
      URI viaProxy = tokenUri(URI.create("ws://127.0.0.1:" + proxy.port() + gateway.getRawPath()));
      Set<String> before = new HashSet<>(realtime.openConnectionIds());
      HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .buildAsync(viaProxy, new WebSocket.Listener() {})
          .get(20, TimeUnit.SECONDS);
      String id = newConnection(before);
      await("the connection's record", () -> store.connection(id).isPresent());

      // The client is gone (a phone that lost its network): nothing passes either way any more,
      // yet the gateway's socket stays open, as no FIN or RST ever arrives.
      proxy.freeze();

      awaitGone(id);
    }
  }

  /** Ended at the gateway: forgotten, posts answer 410, and $disconnect deleted the record. */
  private static void awaitGone(String id) throws InterruptedException {
    await("the gateway to end it", () -> !realtime.openConnectionIds().contains(id));
    await("$disconnect", () -> store.connection(id).isEmpty());
    try {
      management.postToConnection(
          r -> r.connectionId(id).data(SdkBytes.fromUtf8String("{\"type\":\"pong\"}")));
      throw new AssertionError("a post to an ended connection was accepted");
    } catch (GoneException expected) {
      // 410, as API Gateway answers for a connection it no longer has
    }
  }

  private static URI tokenUri(URI webSocketUrl) {
    String token = sessions.create(TestIds.org(), MemberId.of("m-1"), Duration.ofHours(1)).token();
    return URI.create(webSocketUrl + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  private static String newConnection(Set<String> before) throws InterruptedException {
    await("the new connection", () -> !diff(before).isEmpty());
    Set<String> added = diff(before);
    assertThat(added).hasSize(1);
    return added.iterator().next();
  }

  private static Set<String> diff(Set<String> before) {
    Set<String> now = new HashSet<>(realtime.openConnectionIds());
    now.removeAll(before);
    return now;
  }

  /** Waits up to well past the idle timeout (the point is that it happens, not how fast). */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + IDLE.multipliedBy(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /**
   * A TCP relay between one client and the gateway that can go silent: after {@link #freeze()} it
   * forwards nothing and closes nothing, as a client whose network vanished looks to the server.
   */
  private static final class FreezingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final CountDownLatch frozen = new CountDownLatch(1);
    private volatile boolean freezing;
    private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

    FreezingProxy(String host, int port) throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      Thread accept =
          new Thread(
              () -> {
                try {
                  Socket client = server.accept();
                  Socket upstream = new Socket();
                  upstream.connect(new InetSocketAddress(host, port));
                  sockets.add(client);
                  sockets.add(upstream);
                  pump(client.getInputStream(), upstream.getOutputStream());
                  pump(upstream.getInputStream(), client.getOutputStream());
                } catch (IOException e) {
                  // closed by the test
                }
              },
              "proxy-accept");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    void freeze() {
      freezing = true;
    }

    private void pump(InputStream in, OutputStream out) {
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try {
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    if (freezing) {
                      frozen.await(); // hold everything, close nothing
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                } catch (IOException | InterruptedException e) {
                  // closed by the test
                }
              },
              "proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      frozen.countDown();
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
