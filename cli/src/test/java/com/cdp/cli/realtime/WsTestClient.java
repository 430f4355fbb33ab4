package com.cdp.cli.realtime;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for the tests (the JDK's), collecting text frames in arrival order. */
final class WsTestClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WebSocket socket;
  private final BlockingQueue<String> frames;
  private final CompletableFuture<Integer> closed;

  private WsTestClient(
      WebSocket socket, BlockingQueue<String> frames, CompletableFuture<Integer> closed) {
    this.socket = socket;
    this.frames = frames;
    this.closed = closed;
  }

  /** The HTTP status of a refused handshake. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status) {
      super("handshake refused with HTTP " + status);
      this.status = status;
    }
  }

  static WsTestClient connect(URI webSocketUrl, String token) throws Refused {
    return connectTo(
        token == null
            ? webSocketUrl
            : URI.create(
                webSocketUrl + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
  }

  static WsTestClient connectTo(URI uri) throws Refused {
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              frames.add(partial.toString());
              partial.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
          }
        };
    try {
      WebSocket socket =
          HTTP.newWebSocketBuilder().buildAsync(uri, listener).get(60, TimeUnit.SECONDS);
      return new WsTestClient(socket, frames, closed);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        throw new Refused(h.getResponse().statusCode());
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  /** Sends a frame and returns the next frame (the reply). */
  JsonNode request(String text) {
    send(text);
    return next(Duration.ofSeconds(30));
  }

  /** The next frame, failing the test if none arrives in time. */
  JsonNode next(Duration timeout) {
    try {
      String frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within " + timeout);
      }
      return Json.tree(frame);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Every frame received so far (without waiting). */
  List<JsonNode> drain() {
    List<String> raw = new ArrayList<>();
    frames.drainTo(raw);
    return raw.stream().map(Json::tree).toList();
  }

  /** The close status, waiting up to the timeout. */
  int awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket
          .sendClose(WebSocket.NORMAL_CLOSURE, "bye")
          .orTimeout(2, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
  }
}
