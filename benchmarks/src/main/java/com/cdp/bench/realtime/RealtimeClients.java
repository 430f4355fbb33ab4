package com.cdp.bench.realtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket clients of {@link RealtimeFanoutBench}, in a process of their own: every connection
 * costs a file descriptor at each end, and this machine's hard limit (20,000 per process) does not
 * fit 10,000 connections with both ends in one JVM.
 *
 * <p>Driven line by line on stdin, answering on stdout:
 *
 * <ul>
 *   <li>{@code connect N URI} → {@code connected N} once N connections to URI are open;
 *   <li>{@code track EVENT_ID N} → {@code tracking EVENT_ID}, then, once N frames of that event
 *       have arrived, {@code done EVENT_ID T1,T2,...}: the {@link System#nanoTime()} of each
 *       receipt;
 *   <li>{@code abort} → {@code aborted} once every connection is aborted.
 * </ul>
 *
 * Receipt times are comparable with the driving process's {@code System.nanoTime()}: on Linux both
 * read {@code CLOCK_MONOTONIC}, one clock for the whole machine.
 */
public final class RealtimeClients {
  private static final int CONNECTS_IN_FLIGHT = 64;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final PrintStream out;

  private RealtimeClients(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    RealtimeClients clients = new RealtimeClients(out);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "connect" -> clients.connect(Integer.parseInt(words[1]), URI.create(words[2]));
        case "track" -> clients.track(words[1], Integer.parseInt(words[2]));
        case "abort" -> clients.abort();
        default -> clients.answer("error unknown command " + words[0]);
      }
    }
    // The driving process is gone (stdin closed): end, whatever threads the clients left behind.
    clients.abort();
    System.exit(0);
  }

  private synchronized void answer(String line) {
    out.println(line);
    out.flush();
  }

  private void connect(int count, URI uri) throws Exception {
    Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
    List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      pending.add(
          http.newWebSocketBuilder()
              .buildAsync(uri, new Receiver())
              .orTimeout(60, TimeUnit.SECONDS)
              .whenComplete((ws, e) -> inFlight.release()));
    }
    for (CompletableFuture<WebSocket> f : pending) {
      sockets.add(f.get());
    }
    answer("connected " + count);
  }

  private void track(String eventId, int expected) {
    tracked.put(eventId, new Tracked(eventId, expected));
    answer("tracking " + eventId);
  }

  private void abort() {
    sockets.forEach(WebSocket::abort);
    sockets.clear();
    answer("aborted");
  }

  /** The receipts of one event. */
  private final class Tracked {
    final String eventId;
    final long[] times;
    final AtomicInteger count = new AtomicInteger();

    Tracked(String eventId, int expected) {
      this.eventId = eventId;
      this.times = new long[expected];
    }

    void record(long at) {
      int i = count.getAndIncrement();
      if (i < times.length) {
        times[i] = at;
      }
      if (i == times.length - 1) {
        tracked.remove(eventId, this);
        StringBuilder line = new StringBuilder(times.length * 16).append("done ").append(eventId);
        char sep = ' ';
        for (long t : times) {
          line.append(sep).append(t);
          sep = ',';
        }
        answer(line.toString());
      }
    }
  }

  /** Notes when each event frame arrives (by eventId, found without parsing). */
  private final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      long now = System.nanoTime();
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        int at = frame.indexOf("\"eventId\":\"");
        if (at >= 0) {
          int from = at + 11;
          Tracked t = tracked.get(frame.substring(from, frame.indexOf('"', from)));
          if (t != null) {
            t.record(now);
          }
        }
      }
      ws.request(1);
      return null;
    }
  }
}
