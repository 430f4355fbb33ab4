package com.cdp.bench.realtime;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.event.Topic;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.Recipient;
import com.cdp.model.realtime.ServerFrames;
import com.cdp.model.table.Tables;
import com.cdp.realtime.store.RealtimeStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Fan-out of one event to 1, 100 and 1,000 WebSocket connections of one member on the local
 * platform (dynalite, the local gateway, the production relay), measured from the client side:
 *
 * <ul>
 *   <li><b>relay</b>: PutEvents of one {@code account_transactionadded} event until the last
 *       connection has it (bus routing, de-dup claim, index lookup, bounded-concurrency posts);
 *   <li><b>sequential</b>: the same posts made one after another through the same Management API
 *       client (the naive loop);
 *   <li><b>raw concurrent</b>: the same posts with the relay's concurrency and no lookup at all:
 *       the gateway's post rate, i.e. the limit the relay can approach.
 * </ul>
 *
 * The clients run in a second JVM ({@link RealtimeClients}) that this one starts, so that each
 * process holds one end of every connection (10,000 connections fit the file-descriptor limit).
 * Also the p50/p99 of publish-to-receipt over every (connection, event). Run: {@code java -cp
 * benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * com.cdp.bench.realtime.RealtimeFanoutBench [sizes=1,100,1000] [rounds=5] [replayed=1000]}. "relay
 * in-process" and "without keeping" call the relay directly (no bus hop): the relay as it is (keep
 * the event, run the member's pump) against claim ∥ lookup + posts (before streams).
 */
public final class RealtimeFanoutBench {
  private static final int SESSION_CONNECTIONS = 50;
  private static final Duration WAIT = Duration.ofSeconds(120);

  private final LocalPlatform platform;
  private final RealtimeLocal realtime;
  private final SessionService sessions;
  private final RealtimeStore store;
  private final EventBridgeClient events;
  private final ApiGatewayManagementApiClient management;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();
  private final int concurrency;
  private final ExecutorService relayPool;
  private final com.cdp.realtime.relay.ConnectionsApi connectionsApi;
  private final com.cdp.realtime.relay.RelayService relay;
  private final ClientProcess clients;

  private RealtimeFanoutBench(Path dir, int concurrency) throws java.io.IOException {
    this.concurrency = concurrency;
    this.clients = new ClientProcess();
    this.realtime =
        new RealtimeLocal(
            RealtimeLocal.Options.defaults()
                .withRelayConcurrency(concurrency)
                // Connections are grouped 50 to a session here (a real session has a few).
                .withMaxConnectionsPerSession(SESSION_CONNECTIONS)
                .withLogger(PlatformLogger.inMemory(new InMemoryLogPublisher())));
    this.platform =
        LocalPlatform.start(
            LocalOptions.forTests(dir, Path.of("").toAbsolutePath()), List.of(realtime));
    this.sessions =
        new SessionService(
            platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC());
    this.store =
        new RealtimeStore(
            platform.dynamoDb(), platform.tableName(Tables.REALTIME), Clock.systemUTC());
    this.events = AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget());
    this.management =
        AwsClients.build(
            ApiGatewayManagementApiClient.builder(),
            AwsTarget.local(realtime.managementEndpoint()));
    this.relayPool = com.cdp.realtime.relay.RelayHandler.postingPool(concurrency);
    this.connectionsApi = new com.cdp.realtime.relay.ConnectionsApi(management);
    this.relay =
        new com.cdp.realtime.relay.RelayService(
            store,
            com.cdp.realtime.relay.AccountOwners.warehouse(
                platform.dynamoDb(), platform.tableName(Tables.WAREHOUSE)),
            connectionsApi,
            relayPool,
            com.cdp.realtime.relay.RelayService.Settings.defaults(),
            Clock.systemUTC());
  }

  public static void main(String[] args) throws Exception {
    int[] sizes =
        Arrays.stream((args.length > 0 ? args[0] : "1,100,1000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("realtime-bench");
    RealtimeFanoutBench bench = new RealtimeFanoutBench(dir, 16);
    try {
      System.out.printf(
          Locale.ROOT,
          "%-6s %-16s %12s %12s %12s %12s%n",
          "conns",
          "mode",
          "last ms p50",
          "receipt p50",
          "receipt p99",
          "conns/s");
      for (int size : sizes) {
        bench.run(size, rounds);
      }
      int missed = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
      int replays = args.length > 3 ? Integer.parseInt(args[3]) : 1;
      for (int i = 0; missed > 0 && i < replays; i++) {
        bench.replay(missed);
      }
    } finally {
      bench.close();
    }
  }

  private void run(int connections, int rounds) throws Exception {
    OrganizationId org = OrganizationId.of("bench");
    String member = "fanout-" + connections + "-" + UUID.randomUUID().toString().substring(0, 8);
    connect(org, member, connections);
    List<String> ids = new ArrayList<>();
    for (Recipient r :
        store.recipients(org, MemberId.of(member), Topic.ACCOUNT_TRANSACTION_ADDED)) {
      ids.add(r.connectionId());
    }
    if (ids.size() != connections) {
      throw new IllegalStateException("expected " + connections + " recipients, got " + ids.size());
    }
    // Warm up each path once (JIT, connection pools).
    relayOnce(org, member, connections);
    postOnce(ids, 1);
    postOnce(ids, concurrency);

    // Rounds interleave the modes, so background work (dynalite compaction after the connect
    // storm, GC) falls on all of them alike.
    Map<String, Round> modes = new java.util.LinkedHashMap<>();
    modes.put("relay", () -> relayOnce(org, member, connections));
    modes.put("sequential", () -> postOnce(ids, 1));
    modes.put("raw concurrent", () -> postOnce(ids, concurrency));
    modes.put("lookup only", () -> lookupOnce(org, member));
    // In-process (no bus hop), the relay as it is now against the relay without the kept event
    // (claim ∥ lookup, then the posts: what it did before streams existed).
    modes.put("relay in-process", () -> relayInProcessOnce(org, member, connections));
    modes.put("without keeping", () -> withoutKeepingOnce(org, member, connections));
    // -Dbench.modes=relay,raw concurrent runs only those (e.g. under a profiler).
    String only = System.getProperty("bench.modes");
    if (only != null) {
      modes.keySet().retainAll(List.of(only.split(",")));
    }
    Map<String, List<Result>> results = new java.util.LinkedHashMap<>();
    // -Dbench.jfr=FILE records the rounds only (not the connect storm nor the teardown).
    String jfr = System.getProperty("bench.jfr");
    jdk.jfr.Recording recording = null;
    if (jfr != null) {
      recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
      recording.start();
    }
    for (int i = 0; i < rounds; i++) {
      for (var mode : modes.entrySet()) {
        results.computeIfAbsent(mode.getKey(), k -> new ArrayList<>()).add(mode.getValue().run());
      }
    }
    if (recording != null) {
      recording.dump(Path.of(jfr.replace("SIZE", Integer.toString(connections))));
      recording.close();
    }
    results.forEach((mode, list) -> report(connections, mode, list));
    clients.abortAll();
    platform.awaitIdle(WAIT);
  }

  @FunctionalInterface
  private interface Round {
    Result run() throws Exception;
  }

  /**
   * One event's fan-out: when the last client had it, every receipt, and connections reached per
   * second (connections / time until the last one had it).
   */
  private record Result(double lastMs, double[] receiptsMs, double connectionsPerSecond) {}

  private static void report(int connections, String mode, List<Result> results) {
    List<Double> lasts = new ArrayList<>();
    List<Double> receipts = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    for (Result r : results) {
      lasts.add(r.lastMs());
      for (double d : r.receiptsMs()) {
        receipts.add(d);
      }
      rates.add(r.connectionsPerSecond());
    }
    System.out.printf(
        Locale.ROOT,
        "%-6d %-16s %12.1f %12.1f %12.1f %12s%n",
        connections,
        mode,
        percentile(lasts, 50),
        percentile(receipts, 50),
        percentile(receipts, 99),
        percentile(rates, 50) == 0
            ? "-"
            : String.format(Locale.ROOT, "%.0f", percentile(rates, 50)));
  }

  private Result relayOnce(OrganizationId org, String member, int connections) throws Exception {
    String eventId = UUID.randomUUID().toString();
    Tracker tracker = clients.track(eventId, connections);
    ObjectNode detail = Json.object();
    detail.put("organizationId", org.value());
    detail.put("eventId", eventId);
    detail.put("memberId", member);
    detail.put("accountId", "acct-" + member);
    detail.putArray("transactionIds").add("t-1").add("t-2");
    detail.put("count", 2);
    String json = Json.write(detail);
    tracker.start = System.nanoTime();
    events.putEvents(
        r ->
            r.entries(
                e ->
                    e.source("cdp.platform")
                        .detailType(Topic.ACCOUNT_TRANSACTION_ADDED.detailType())
                        .detail(json)));
    tracker.await();
    return new Result(
        tracker.lastMs(), tracker.receiptsMs(), connections / (tracker.lastMs() / 1e3));
  }

  private String eventJson(OrganizationId org, String member, String eventId) {
    ObjectNode detail = Json.object();
    detail.put("organizationId", org.value());
    detail.put("eventId", eventId);
    detail.put("memberId", member);
    detail.put("accountId", "acct-" + member);
    detail.putArray("transactionIds").add("t-1").add("t-2");
    detail.put("count", 2);
    ObjectNode event = Json.object();
    event.put("detail-type", Topic.ACCOUNT_TRANSACTION_ADDED.detailType());
    event.put("source", "cdp.bench");
    event.put("time", "2026-11-28T10:00:00Z");
    event.set("detail", detail);
    return Json.write(event);
  }

  /** The production relay called directly: keep the event, run the member's pump, post. */
  private Result relayInProcessOnce(OrganizationId org, String member, int connections)
      throws Exception {
    String eventId = UUID.randomUUID().toString();
    Tracker tracker = clients.track(eventId, connections);
    String json = eventJson(org, member, eventId);
    tracker.start = System.nanoTime();
    relay.relay(json);
    tracker.await();
    return new Result(
        tracker.lastMs(), tracker.receiptsMs(), connections / (tracker.lastMs() / 1e3));
  }

  /** The baseline: claim ∥ lookup, then bounded-concurrency posts, with no kept event. */
  private Result withoutKeepingOnce(OrganizationId org, String member, int connections)
      throws Exception {
    String eventId = UUID.randomUUID().toString();
    Tracker tracker = clients.track(eventId, connections);
    ObjectNode data = (ObjectNode) Json.tree(eventJson(org, member, eventId)).path("detail");
    tracker.start = System.nanoTime();
    var claim =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> store.claimEvent(org, "cdp.bench", eventId, Duration.ofMinutes(1)), relayPool);
    List<Recipient> recipients =
        store.recipients(org, MemberId.of(member), Topic.ACCOUNT_TRANSACTION_ADDED, relayPool);
    claim.join();
    byte[] frame =
        ServerFrames.event(
                Topic.ACCOUNT_TRANSACTION_ADDED,
                eventId,
                0,
                null,
                "2026-11-28T10:00:00Z",
                data,
                false)
            .getBytes(StandardCharsets.UTF_8);
    List<java.util.concurrent.CompletableFuture<?>> posts = new ArrayList<>();
    for (Recipient r : recipients) {
      posts.add(
          java.util.concurrent.CompletableFuture.runAsync(
              () -> connectionsApi.post(r.connectionId(), frame), relayPool));
    }
    posts.forEach(java.util.concurrent.CompletableFuture::join);
    store.completeEvent(org, "cdp.bench", eventId);
    tracker.await();
    return new Result(
        tracker.lastMs(), tracker.receiptsMs(), connections / (tracker.lastMs() / 1e3));
  }

  /**
   * Replay of {@code missed} kept events to one connection: the events are relayed while the member
   * has no connection; then one connects with {@code ?since=0} and subscribes; the time is from the
   * subscribe frame until the last event arrives.
   */
  private void replay(int missed) throws Exception {
    OrganizationId org = OrganizationId.of("bench");
    String member = "replay-" + UUID.randomUUID().toString().substring(0, 8);
    own(org, member);
    String last = null;
    for (int i = 0; i < missed; i++) {
      last = UUID.randomUUID().toString();
      relay.relay(eventJson(org, member, last));
    }
    String token = sessions.create(org, MemberId.of(member), Duration.ofHours(1)).token();
    Tracker tracker = track(last, 1);
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    realtime.webSocketUrl()
                        + "?since=0&token="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8)),
                new Receiver())
            .get(30, TimeUnit.SECONDS);
    tracker.start = System.nanoTime();
    socket.sendText(
        "{\"action\":\"subscribe\",\"topics\":[\""
            + Topic.ACCOUNT_TRANSACTION_ADDED.detailType()
            + "\"]}",
        true);
    tracker.await();
    double replayMs = tracker.lastMs();
    // The floor, same run: the same kept frames posted one after another to the same connection
    // through the same Management API client (order forces one post after another).
    List<Recipient> connected =
        store.recipients(org, MemberId.of(member), Topic.ACCOUNT_TRANSACTION_ADDED);
    String connectionId = connected.get(0).connectionId();
    List<SdkBytes> frames =
        store
            .streams(java.time.Duration.ofHours(24))
            .after(org, MemberId.of(member), 0, missed)
            .stream()
            .map(k -> SdkBytes.fromUtf8String(k.frame()))
            .toList();
    Tracker floor = track(last, 1);
    floor.start = System.nanoTime();
    for (SdkBytes frame : frames) {
      management.postToConnection(r -> r.connectionId(connectionId).data(frame));
    }
    floor.await();
    System.out.printf(
        Locale.ROOT,
        "replay of %d missed events to one connection: last arrived %.1f ms after subscribe;"
            + " the same %d frames posted one after another: %.1f ms; ratio %.2f%n",
        missed,
        replayMs,
        frames.size(),
        floor.lastMs(),
        replayMs / floor.lastMs());
    socket.abort();
  }

  /** The relay's DynamoDB work before its first post: the claim and the recipients' lookup. */
  private Result lookupOnce(OrganizationId org, String member) {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      long start = System.nanoTime();
      var claim =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  store.claimEvent(
                      org, "cdp.bench", UUID.randomUUID().toString(), Duration.ofMinutes(1)),
              pool);
      store.recipients(org, MemberId.of(member), Topic.ACCOUNT_TRANSACTION_ADDED, pool);
      claim.join();
      double ms = (System.nanoTime() - start) / 1e6;
      return new Result(ms, new double[] {ms}, 0);
    } finally {
      pool.shutdown();
    }
  }

  private Result postOnce(List<String> ids, int threads) throws Exception {
    String eventId = UUID.randomUUID().toString();
    Tracker tracker = clients.track(eventId, ids.size());
    ObjectNode data = Json.object();
    data.put("memberId", "m");
    data.put("accountId", "acct-1");
    data.putArray("transactionIds").add("t-1").add("t-2");
    SdkBytes message =
        SdkBytes.fromUtf8String(
            ServerFrames.event(
                Topic.ACCOUNT_TRANSACTION_ADDED, eventId, "2026-11-28T10:00:00Z", data));
    tracker.start = System.nanoTime();
    if (threads == 1) {
      for (String id : ids) {
        management.postToConnection(r -> r.connectionId(id).data(message));
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> posts = new ArrayList<>();
        for (String id : ids) {
          posts.add(
              pool.submit(
                  () -> management.postToConnection(r -> r.connectionId(id).data(message))));
        }
        for (Future<?> f : posts) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
    }
    tracker.await();
    return new Result(
        tracker.lastMs(), tracker.receiptsMs(), ids.size() / (tracker.lastMs() / 1e3));
  }

  /** Events go to the owners of their account: the member owns "acct-MEMBER". */
  private void own(OrganizationId org, String member) {
    platform
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    java.util.Map.of(
                        platform.tableName(Tables.WAREHOUSE),
                        com.cdp.access.AccountOwnership.writes(
                            org,
                            MemberId.of(member),
                            com.cdp.model.id.AccountId.of("acct-" + member)))));
  }

  /** Opens the member's connections in the clients' process, 50 to a session. */
  private void connect(OrganizationId org, String member, int connections) throws Exception {
    own(org, member);
    int sessionCount = (connections + SESSION_CONNECTIONS - 1) / SESSION_CONNECTIONS;
    {
      for (int s = 0; s < sessionCount; s++) {
        String token = sessions.create(org, MemberId.of(member), Duration.ofHours(1)).token();
        HttpResponse<String> put =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            platform.gatewayUrl()
                                + "/realtime/subscriptions/"
                                + Topic.ACCOUNT_TRANSACTION_ADDED.detailType()))
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200) {
          throw new IllegalStateException("subscribe failed: " + put.statusCode());
        }
        URI uri =
            URI.create(
                realtime.webSocketUrl()
                    + "?token="
                    + URLEncoder.encode(token, StandardCharsets.UTF_8));
        int inSession = Math.min(SESSION_CONNECTIONS, connections - s * SESSION_CONNECTIONS);
        clients.connect(inSession, uri);
      }
    }
  }

  private Tracker track(String eventId, int expected) {
    Tracker t = new Tracker(expected);
    trackers.put(eventId, t);
    return t;
  }

  /**
   * The clients of the fan-out runs, in a JVM of their own (see {@link RealtimeClients}): with both
   * ends of 10,000 connections in one process, this machine's file-descriptor limit is reached.
   */
  private static final class ClientProcess implements AutoCloseable {
    private final Process process;
    private final java.io.BufferedWriter in;
    private final java.util.concurrent.BlockingQueue<String> answers =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<long[]>> pending = new ConcurrentHashMap<>();

    ClientProcess() throws java.io.IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process =
          new ProcessBuilder(
                  java,
                  "-Xmx" + System.getProperty("bench.clients.heap", "2g"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  RealtimeClients.class.getName())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      in =
          new java.io.BufferedWriter(
              new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      Thread reader =
          new Thread(
              () -> {
                try (var out =
                    new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                            process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    if (line.startsWith("done ")) {
                      int space = line.indexOf(' ', 5);
                      long[] times =
                          Arrays.stream(line.substring(space + 1).split(","))
                              .mapToLong(Long::parseLong)
                              .toArray();
                      CompletableFuture<long[]> f = pending.remove(line.substring(5, space));
                      if (f != null) {
                        f.complete(times);
                      }
                    } else {
                      answers.add(line);
                    }
                  }
                } catch (java.io.IOException e) {
                  answers.add("error " + e);
                }
                answers.add("error the clients' process ended");
              },
              "realtime-clients");
      reader.setDaemon(true);
      reader.start();
    }

    private synchronized String command(String line, String expected) throws Exception {
      in.write(line);
      in.newLine();
      in.flush();
      String answer = answers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (answer == null || !answer.startsWith(expected)) {
        throw new IllegalStateException("clients' process answered " + answer + " to " + line);
      }
      return answer;
    }

    void connect(int count, URI uri) throws Exception {
      command("connect " + count + " " + uri, "connected");
    }

    Tracker track(String eventId, int expected) throws Exception {
      CompletableFuture<long[]> f = new CompletableFuture<>();
      pending.put(eventId, f);
      command("track " + eventId + " " + expected, "tracking");
      return new Tracker(expected, f);
    }

    void abortAll() throws Exception {
      command("abort", "aborted");
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  /** Receipt times of one event across the connections. */
  private static final class Tracker {
    final long[] times;
    final AtomicInteger count = new AtomicInteger();
    final CountDownLatch done;
    volatile long start;

    /** The receipt times from the clients' process; null when the clients are in this one. */
    final CompletableFuture<long[]> remote;

    Tracker(int expected) {
      this(expected, null);
    }

    Tracker(int expected, CompletableFuture<long[]> remote) {
      times = new long[expected];
      done = new CountDownLatch(expected);
      this.remote = remote;
    }

    void record(long at) {
      int i = count.getAndIncrement();
      if (i < times.length) {
        times[i] = at;
        done.countDown();
      }
    }

    void await() throws Exception {
      if (remote != null) {
        long[] got;
        try {
          got = remote.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          throw new IllegalStateException(
              "not every one of " + times.length + " connections got the event", e);
        }
        System.arraycopy(got, 0, times, 0, times.length);
        return;
      }
      if (!done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "only " + count.get() + " of " + times.length + " connections got the event");
      }
    }

    long last() {
      return Arrays.stream(times).max().orElseThrow();
    }

    double lastMs() {
      return (last() - start) / 1e6;
    }

    double[] receiptsMs() {
      return Arrays.stream(times).mapToDouble(t -> (t - start) / 1e6).toArray();
    }
  }

  /** A client: notes when each event frame arrives (by eventId, found without parsing). */
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
          String id = frame.substring(from, frame.indexOf('"', from));
          Tracker t = trackers.get(id);
          if (t != null) {
            t.record(now);
          }
        }
      }
      ws.request(1);
      return null;
    }
  }

  private static double percentile(List<Double> values, int p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private void close() {
    clients.close();
    relayPool.shutdownNow();
    events.close();
    management.close();
    platform.close();
  }
}
