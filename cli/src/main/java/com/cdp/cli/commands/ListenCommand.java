package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.env.TargetOptions;
import com.cdp.model.ValidationException;
import com.cdp.model.event.Topic;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.RealtimeTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./cdp listen}: connects to the realtime WebSocket API with a session token, subscribes to
 * topics and prints every event frame as one JSON line on stdout (status on stderr). It behaves as
 * client apps should: it pings well within API Gateway's 10-minute idle timeout, and when the
 * connection ends (API Gateway closes every connection after 2 hours) it reconnects with backoff,
 * resuming after the last {@code seq} it printed ({@code ?since=SEQ}), and subscribes again, so
 * each event is printed once and in order. A refused token (401/403) ends it with an error.
 */
@Command(
    name = "listen",
    mixinStandardHelpOptions = true,
    description = {
      "Connect to the realtime WebSocket API, subscribe to topics and print events as JSON lines.",
      "Pings every --ping-interval; when the connection closes it reconnects, resumes after the"
          + " last seq printed and re-subscribes: every event is printed once, in seq order."
    })
public final class ListenCommand implements Runnable {
  /** API Gateway closes connections idle this long; pings must come sooner. */
  static final Duration IDLE_LIMIT = Duration.ofMinutes(10);

  /** A connection that lasted this long was fine: reconnect at once when it closes. */
  static final Duration STABLE = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Option(
      names = "--token",
      defaultValue = "${env:CDP_SESSION_TOKEN}",
      description =
          "Session token (./cdp session create); default: $CDP_SESSION_TOKEN, which keeps it out"
              + " of the process list")
  String token;

  @Option(
      names = "--topic",
      required = true,
      description = "Topic to subscribe to; repeat for several (e.g. account_transactionadded)")
  List<String> topics;

  @Option(
      names = "--endpoint",
      description =
          "WebSocket URL override (default: the environment's, locally ws://127.0.0.1:PORT/realtime)")
  URI endpoint;

  @Mixin TargetOptions targetOptions = new TargetOptions();

  @Option(
      names = "--since",
      description =
          "Start after this seq (print the kept events after it first); default: from now")
  Long since;

  @Option(
      names = "--count",
      description = "Exit after printing this many events (default: run until interrupted)")
  Integer count;

  @Option(
      names = "--ping-interval",
      defaultValue = "PT5M",
      description = "How often to ping (ISO-8601, under 10 minutes; default ${DEFAULT-VALUE})")
  Duration pingInterval;

  @Option(
      names = "--pong-timeout",
      defaultValue = "PT30S",
      description =
          "Reconnect when nothing answers a ping within this time: a connection the network or the"
              + " gateway dropped without closing it (default ${DEFAULT-VALUE})")
  Duration pongTimeout;

  @Option(
      names = "--max-reconnect-delay",
      defaultValue = "PT30S",
      description = "Longest wait between reconnect attempts (default ${DEFAULT-VALUE})")
  Duration maxReconnectDelay;

  private PrintWriter out;
  private PrintWriter err;

  /** The seq of the last event printed, or where the stream starts for us; -1 while unknown. */
  private long position;

  @Override
  public void run() {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    if (token == null || token.isBlank()) {
      throw new CliException("a session token is required: --token TOKEN or CDP_SESSION_TOKEN");
    }
    List<Topic> wanted = parseTopics();
    if (pingInterval.isZero()
        || pingInterval.isNegative()
        || pingInterval.compareTo(IDLE_LIMIT) >= 0) {
      throw new CliException("--ping-interval must be positive and under 10 minutes");
    }
    if (pongTimeout.isZero() || pongTimeout.isNegative()) {
      throw new CliException("--pong-timeout must be positive");
    }
    if (count != null && count < 1) {
      throw new CliException("--count must be at least 1");
    }
    if (since != null && since < 0) {
      throw new CliException("--since must be a non-negative seq");
    }
    position = since == null ? -1 : since;
    URI base = endpoint != null ? endpoint : targetOptions.target(err).realtimeWebSocket();
    String tokenQuery =
        base
            + (base.getQuery() == null ? "?" : "&")
            + "token="
            + URLEncoder.encode(token, StandardCharsets.UTF_8);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    int printed = 0;
    int connections = 0;
    Duration delay = Duration.ofSeconds(1);
    while (true) {
      Frames frames = new Frames();
      WebSocket socket;
      // Resume after the last event printed (or the position the server gave the first
      // connection): the server replays what was missed while disconnected, then goes live.
      URI uri = URI.create(tokenQuery + (position >= 0 ? "&since=" + position : ""));
      try {
        socket = connect(http, uri, frames);
      } catch (RetryableConnectFailure e) {
        err.println(
            "cdp listen: cannot connect (" + e.getMessage() + "); retrying in " + seconds(delay));
        err.flush();
        sleep(delay);
        delay = min(delay.multipliedBy(2), maxReconnectDelay);
        continue;
      }
      connections++;
      long connectedAt = System.nanoTime();
      err.println(
          "cdp listen: " + (connections == 1 ? "connected" : "reconnected") + " to " + base);
      err.flush();
      send(socket, frames, subscribeFrame(wanted));
      Session session = new Session(socket, frames);
      int remaining = count == null ? Integer.MAX_VALUE : count - printed;
      int got = session.run(remaining);
      printed += got;
      if (count != null && printed >= count) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS);
        return;
      }
      err.println("cdp listen: connection closed (" + session.closeReason + "); reconnecting");
      err.flush();
      if (System.nanoTime() - connectedAt < STABLE.toNanos()) {
        // Closed right after opening: back off instead of hammering the gateway.
        sleep(delay);
        delay = min(delay.multipliedBy(2), maxReconnectDelay);
      } else {
        delay = Duration.ofSeconds(1);
      }
    }
  }

  private List<Topic> parseTopics() {
    LinkedHashSet<Topic> parsed = new LinkedHashSet<>();
    for (String t : topics) {
      try {
        parsed.add(RealtimeTopics.parse(t));
      } catch (ValidationException e) {
        throw new CliException(e.getMessage());
      }
    }
    return new ArrayList<>(parsed);
  }

  private static String subscribeFrame(List<Topic> topics) {
    ObjectNode frame = Json.object();
    frame.put("action", "subscribe");
    ArrayNode list = frame.putArray("topics");
    topics.forEach(t -> list.add(t.detailType()));
    return Json.write(frame);
  }

  /** A connection attempt that failed for a reason other than a refused token. */
  private static final class RetryableConnectFailure extends Exception {
    private static final long serialVersionUID = 1L;

    RetryableConnectFailure(String message) {
      super(message);
    }
  }

  private WebSocket connect(HttpClient http, URI uri, Frames frames)
      throws RetryableConnectFailure {
    try {
      return http.newWebSocketBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .buildAsync(uri, frames)
          .get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WebSocketHandshakeException handshake) {
        int status = handshake.getResponse().statusCode();
        if (status == 401 || status == 403) {
          throw new CliException(
              "connection refused (HTTP "
                  + status
                  + "): the session token is missing, unknown or expired");
        }
        throw new RetryableConnectFailure("HTTP " + status);
      }
      throw new RetryableConnectFailure(redact(String.valueOf(cause)));
    } catch (TimeoutException e) {
      throw new RetryableConnectFailure("timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /** The message of an error, with the token (part of the URL) removed. */
  private String redact(String message) {
    return message
        .replace(token, "****")
        .replace(URLEncoder.encode(token, StandardCharsets.UTF_8), "****");
  }

  /** One connection's life: prints events, pings, and ends when the socket closes. */
  private final class Session {
    private final WebSocket socket;
    private final Frames frames;
    private String closeReason = "";

    Session(WebSocket socket, Frames frames) {
      this.socket = socket;
      this.frames = frames;
    }

    /** Returns how many events it printed (at most {@code limit}). */
    int run(int limit) {
      int printed = 0;
      long nextPing = System.nanoTime() + pingInterval.toNanos();
      // Set while a ping waits for an answer: a connection that was dropped without a close (a
      // half-open TCP connection) delivers nothing, so only this deadline notices it.
      long answerBy = Long.MAX_VALUE;
      while (true) {
        long now = System.nanoTime();
        if (now - answerBy >= 0 && answerBy != Long.MAX_VALUE) {
          socket.abort();
          closeReason = "no answer to a ping within " + seconds(pongTimeout);
          return printed;
        }
        long wait = Math.min(nextPing, answerBy == Long.MAX_VALUE ? nextPing : answerBy) - now;
        Object item;
        try {
          item = wait <= 0 ? null : frames.queue.poll(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliException("interrupted");
        }
        if (item == null) {
          if (System.nanoTime() - nextPing >= 0) {
            send(socket, frames, "{\"action\":\"ping\"}");
            nextPing = System.nanoTime() + pingInterval.toNanos();
            if (answerBy == Long.MAX_VALUE) {
              answerBy = System.nanoTime() + pongTimeout.toNanos();
            }
          }
          continue;
        }
        answerBy = Long.MAX_VALUE; // anything the server sends shows the connection is alive
        if (item instanceof Closed closed) {
          closeReason = closed.description();
          return printed;
        }
        if (handle((String) item)) {
          printed++;
          if (printed >= limit) {
            return printed;
          }
        }
      }
    }

    /** Prints an event frame (returns true); reports other frames on stderr. */
    private boolean handle(String text) {
      JsonNode frame;
      try {
        frame = Json.tree(text);
      } catch (IllegalArgumentException e) {
        err.println("cdp listen: server sent a frame that is not JSON");
        err.flush();
        return false;
      }
      switch (frame.path("type").asText("")) {
        case "event" -> {
          long seq = frame.path("seq").asLong(-1);
          if (seq >= 0 && seq <= position) {
            return false; // printed already (a replay that overlapped what we had)
          }
          out.println(text);
          out.flush();
          if (seq >= 0) {
            position = seq;
          }
          return true;
        }
        case "subscribed" -> {
          if (position < 0 && frame.path("since").canConvertToLong()) {
            position = frame.path("since").asLong(); // this connection's starting point
          }
          err.println("cdp listen: subscribed to " + frame.path("topics"));
        }
        case "continuity_lost" ->
            err.println(
                "cdp listen: continuity lost: the events after seq "
                    + frame.path("since").asLong()
                    + " before seq "
                    + frame.path("oldest").asLong()
                    + " are no longer kept; refetch the state");
        case "closing" ->
            err.println(
                "cdp listen: server is closing the connection: "
                    + frame.path("code").asText()
                    + ": "
                    + frame.path("message").asText());
        case "resumed" -> {
          // acknowledged; the replay follows
        }
        case "pong" -> {
          // the connection is alive; nothing to show
        }
        case "error" ->
            err.println(
                "cdp listen: server error "
                    + frame.path("code").asText()
                    + ": "
                    + frame.path("message").asText());
        default -> err.println("cdp listen: server said " + text);
      }
      err.flush();
      return false;
    }
  }

  private record Closed(int status, String reason) {
    String description() {
      return status < 0
          ? reason
          : status + (reason == null || reason.isEmpty() ? "" : " " + reason);
    }
  }

  /** Collects whole text messages and the close into a queue the command's thread reads. */
  private final class Frames implements WebSocket.Listener {
    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        queue.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      queue.add(new Closed(statusCode, reason));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      queue.add(new Closed(-1, redact(String.valueOf(error))));
    }
  }

  private static void send(WebSocket socket, Frames frames, String text) {
    try {
      socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      socket.abort();
      frames.queue.add(new Closed(-1, "could not send: " + e.getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String seconds(Duration d) {
    return d.toMillis() / 1000.0 + " s";
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
