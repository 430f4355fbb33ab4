package com.cdp.bench.chaos;

import com.cdp.access.AccountOwnership;
import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.cli.CdpCommand;
import com.cdp.cli.EndpointsFile;
import com.cdp.cli.LocalEndpoints;
import com.cdp.groups.task.GroupDirectory;
import com.cdp.local.platform.LocalConnectorHub;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.platform.connectors.ConnectorsLocal;
import com.cdp.local.platform.groups.GroupAssignmentLocal;
import com.cdp.local.platform.ingestion.IngestionLocal;
import com.cdp.local.platform.links.LinksLocal;
import com.cdp.local.platform.realtime.RealtimeLocal;
import com.cdp.local.platform.transactions.TransactionsLocal;
import com.cdp.local.standin.Ports;
import com.cdp.model.event.Topic;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import com.cdp.warehouse.mock.MockTransactions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.servlet.FilterHolder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Faults at load on the local platform (issue 21): drives the platform through its public
 * interfaces (S3 uploads to the data-delivery buckets, HTTP, WebSocket listeners, PutEvents, the
 * Scheduler's fire) for {@code CHAOS_MINUTES} while function processes are killed with SIGKILL
 * mid-invocation, dynalite and S3Proxy are restarted once each, DynamoDB answers
 * ProvisionedThroughputExceeded for a share of calls for a period, {@code @connections} posts
 * answer 410 or 429 for a share, and the Connector Hub times out for a share of calls. Then it
 * checks what the issue lists and prints, last, {@code chaos: faults F, retried R, replayed P,
 * written W, lost L, duplicated D}.
 *
 * <p>Sized by {@code CHAOS_SCALE} (default 1: five files of 100,000 rows, 1,000 listeners of 200
 * members); {@code CHAOS_SCALE=0.02} runs in a few minutes on a shared 2-core machine.
 *
 * <p>Run: {@code CHAOS_MINUTES=3 CHAOS_SCALE=0.02 benchmarks/run-all chaos}.
 */
public final class ChaosHarness {
  /**
   * The local environment's organizations (infra-cdk/environments/local.json): as in AWS, the
   * functions may read an organization's files only once its configuration names it (the local IAM
   * front door enforces the template's grants), and local.json names the three.
   */
  private static final List<OrganizationId> ORGS =
      List.of(OrganizationId.of("tcu"), OrganizationId.of("demo"), OrganizationId.of("mcu"));

  private static final OrganizationId LISTEN_ORG = OrganizationId.of("chaos-rt");
  private static final OrganizationId GROUP_ORG = OrganizationId.of("tcu");
  private static final String GROUP = "Savers";

  /** Short links need an organization of the environment's configuration. */
  private static final OrganizationId LINKS_ORG = OrganizationId.of("tcu");

  private static final List<Set<Topic>> TOPIC_SETS =
      List.of(
          Set.of(
              Topic.ACCOUNT_TRANSACTION_ADDED,
              Topic.ACCOUNT_BALANCE_UPDATED,
              Topic.ACCOUNT_NICKNAME_UPDATED),
          Set.of(Topic.ACCOUNT_TRANSACTION_ADDED),
          Set.of(Topic.ACCOUNT_BALANCE_UPDATED, Topic.ACCOUNT_NICKNAME_UPDATED));

  /**
   * Fired by the harness; local-heartbeat (every minute) also fires by itself and is left out. Each
   * calls its own hub method, by which the calls are counted.
   */
  private static final Map<String, String> SCHEDULES =
      Map.of("tcu-sync-transfers", "syncTransfers", "demo-refresh-balances", "refreshBalances");

  /** A hub call slower than the function's HUB_TIMEOUT (10 s) is a timeout. */
  private static final Duration HUB_STALL = Duration.ofSeconds(11);

  /** After a stand-in is back, clients may still see errors from connections made before. */
  private static final Duration GRACE = Duration.ofSeconds(15);

  private final Path repo;
  private final Duration loadTime;
  private final double scale;
  private final Random random = new Random(20261203);
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "chaos");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean loading = new AtomicBoolean(true);

  /** Faults go on until the platform has drained what the load left (under load, most of it). */
  private final AtomicBoolean faulting = new AtomicBoolean(true);

  private final Instant started = Instant.now();

  // faults
  private final AtomicLong kills = new AtomicLong();
  private final Map<String, AtomicInteger> killsByFunction = new ConcurrentHashMap<>();
  private final AtomicLong restarts = new AtomicLong();
  private final AtomicLong gone = new AtomicLong();
  private final AtomicLong tooMany = new AtomicLong();
  private final AtomicLong hubStalls = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private volatile double connectionsFaultShare = 0.04;
  private volatile double hubStallShare = 0.2;
  private final List<Window> downWindows = new CopyOnWriteArrayList<>();

  // observed
  private final List<String> serverErrors = new CopyOnWriteArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, Instant> publishedAt = new ConcurrentHashMap<>();
  private final List<Published> published = new CopyOnWriteArrayList<>();
  private final Map<String, List<String>> hubReplies = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
  private final List<TxnFile> files = new CopyOnWriteArrayList<>();
  private final List<GroupFile> groupFiles = new CopyOnWriteArrayList<>();

  /** About when the platform's own scheduler started counting its rates (its anchor). */
  private Instant platformStarted;

  private DynamoDbFaultProxy proxy;
  private LocalPlatform platform;
  private RealtimeLocal realtime;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Window(Instant from, Instant to, String what) {}

  record Published(String member, Topic topic, String eventId) {}

  record TxnFile(OrganizationId org, String name, MockTransactions.Summary summary) {}

  record GroupFile(String name, List<String> members) {}

  private ChaosHarness(Path repo, Duration loadTime, double scale) {
    this.repo = repo;
    this.loadTime = loadTime;
    this.scale = scale;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.net.preferIPv4Stack", "true");
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    double minutes = Double.parseDouble(env("CHAOS_MINUTES", "10"));
    double scale = Double.parseDouble(env("CHAOS_SCALE", "1"));
    ChaosHarness harness = new ChaosHarness(repo, Duration.ofSeconds((long) (minutes * 60)), scale);
    int code;
    try {
      code = harness.run();
    } finally {
      harness.stop();
    }
    System.exit(code);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? System.getProperty(name, fallback) : v;
  }

  private static void log(String line) {
    System.out.println(Instant.now().toString().substring(11, 19) + " " + line);
  }

  private int scaled(int full, int min) {
    return Math.max(min, (int) Math.round(full * scale));
  }

  private int run() throws Exception {
    Path data = Files.createTempDirectory("cdp-chaos");
    int dynalitePort = Ports.free();
    proxy = DynamoDbFaultProxy.start(dynalitePort);
    System.setProperty(LocalPlatform.DYNAMODB_VIA_PROPERTY, proxy.url().toString());
    // Lambda retries a failed asynchronous invocation after about 1 and 2 minutes, and so does the
    // local platform by default, so a retry outlasts a stand-in restart as in AWS.
    String retryDelays = System.getenv("CHAOS_RETRY_DELAYS_MS");
    if (retryDelays != null && !retryDelays.isBlank()) {
      System.setProperty(LocalPlatform.RETRY_DELAYS_PROPERTY, retryDelays);
    }
    realtime = new RealtimeLocal(RealtimeLocal.Options.defaults().withRelayConcurrency(16));
    platformStarted = Instant.now();
    platform =
        LocalPlatform.start(
            new LocalOptions(data, repo, 0, 0, dynalitePort),
            List.of(
                new IngestionLocal(),
                realtime,
                new LinksLocal(),
                new ConnectorsLocal(),
                new TransactionsLocal(),
                new GroupAssignmentLocal(),
                new Faults()));
    EndpointsFile.write(
        new LocalEndpoints(
            platform.gatewayUrl(),
            platform.s3Target().endpoint().orElseThrow(),
            platform.dynamoDbTarget().endpoint().orElseThrow()),
        data,
        ProcessHandle.current().pid());
    ORGS.forEach(platform::ensureOrganization);
    platform.ensureOrganization(LISTEN_ORG);
    log(
        "platform up on "
            + platform.gatewayUrl()
            + " (data "
            + data
            + "); load "
            + loadTime.toSeconds()
            + " s at scale "
            + scale);

    List<String> links = new CopyOnWriteArrayList<>();
    List<Listener> listeners = startListeners();
    List<Future<?>> load = new ArrayList<>();
    load.add(threads.submit(guard("transactions", this::uploadTransactions)));
    load.add(threads.submit(guard("groups", this::uploadGroupFiles)));
    load.add(threads.submit(guard("schedules", this::fireSchedules)));
    load.add(threads.submit(guard("events", this::publishEvents)));
    load.add(
        threads.submit(
            guard(
                "redirects",
                () -> {
                  // a cold start on a busy machine may outlast the CLI's timeout: links are made
                  // while the rest of the load runs, and redirects start once there are some
                  createLinks(links, 10);
                  List<Future<?>> clients = new ArrayList<>();
                  for (int i = 0; i < 4 && !links.isEmpty(); i++) {
                    clients.add(threads.submit(guard("redirects", () -> redirects(links))));
                  }
                  for (Future<?> c : clients) {
                    c.get();
                  }
                })));
    load.add(threads.submit(guard("drops", this::dropConnections)));
    Future<?> faults = threads.submit(guard("faults", this::injectFaults));

    Thread.sleep(loadTime.toMillis());
    loading.set(false);
    log("load stopped; waiting for the platform to drain");
    for (Future<?> f : load) {
      f.get();
    }
    boolean idle = platform.awaitIdle(Duration.ofMinutes(10));
    faulting.set(false);
    faults.get();
    connectionsFaultShare = 0;
    hubStallShare = 0;
    proxy.throttle(0);
    // what the last faults started
    idle &= platform.awaitIdle(Duration.ofMinutes(5));
    log("platform idle: " + idle);
    awaitListeners(listeners, Duration.ofMinutes(3));
    listeners.forEach(l -> l.stop.set(true));
    return check(listeners, idle);
  }

  private void stop() {
    loading.set(false);
    if (platform != null) {
      platform.close();
    }
    if (proxy != null) {
      try {
        proxy.close();
      } catch (Exception e) {
        // stopping
      }
    }
  }

  private Runnable guard(String what, ThrowingRunnable body) {
    return () -> {
      try {
        body.run();
      } catch (Exception | AssertionError e) {
        log(what + " load failed: " + e);
        e.printStackTrace(System.out);
      }
    };
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean inDownWindow(Instant at) {
    return downWindows.stream()
        .anyMatch(w -> !at.isBefore(w.from()) && !at.isAfter(w.to().plus(GRACE)));
  }

  /** A 5xx (or no answer) a client saw; allowed only while a stand-in was down. */
  private void serverError(String what, String detail) {
    Instant now = Instant.now();
    if (!inDownWindow(now)) {
      serverErrors.add(now + " " + what + ": " + detail);
    }
  }

  /**
   * A 5xx of a synchronous route whose function process was killed mid-request: API Gateway answers
   * 502 then too (a synchronous invoke is not retried), so it is counted apart.
   */
  private void serverErrorOfKilled(String function, Instant sent, String what, String detail) {
    boolean killed =
        killWindows.stream()
            .anyMatch(
                w ->
                    w.what().contains(function)
                        && !w.from().isBefore(sent.minusSeconds(1))
                        && !w.from().isAfter(Instant.now()));
    if (killed) {
      killed5xx.incrementAndGet();
    } else {
      serverError(what, detail);
    }
  }

  private final List<Window> killWindows = new CopyOnWriteArrayList<>();
  private final AtomicLong killed5xx = new AtomicLong();

  // --- faults --------------------------------------------------------------------------------

  /**
   * The harness's own area: the 410/429 filter in front of the {@code @connections} API and the
   * Connector Hub methods of the scheduled calls (a share of them stall past the hub timeout).
   */
  private final class Faults implements LocalService {
    @Override
    public String name() {
      return "chaos-faults";
    }

    @Override
    public void start(LocalPlatform p) {
      Filter connections =
          (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            double share = connectionsFaultShare;
            double roll = ThreadLocalRandom.current().nextDouble();
            if ("POST".equals(http.getMethod()) && roll < share) {
              HttpServletResponse out = (HttpServletResponse) response;
              String id = http.getRequestURI().substring(http.getRequestURI().lastIndexOf('/') + 1);
              if (roll < share / 2) {
                // Gone: the connection really is gone (the network dropped it), as in AWS.
                gone.incrementAndGet();
                realtime.drop(id, RealtimeLocal.Drop.GONE);
                out.setStatus(410);
                out.setHeader("x-amzn-ErrorType", "GoneException");
                out.getWriter().write("{\"message\":null}");
              } else {
                tooMany.incrementAndGet();
                out.setStatus(429);
                out.setHeader("x-amzn-ErrorType", "LimitExceededException");
                out.getWriter().write("{\"message\":\"Too Many Requests\"}");
              }
              return;
            }
            chain.doFilter(request, response);
          };
      p.gateway()
          .context()
          .addFilter(
              new FilterHolder(connections),
              realtime.managementEndpoint().getPath() + "/*",
              EnumSet.of(DispatcherType.REQUEST));
      LocalConnectorHub.Method method =
          call -> {
            if (!SCHEDULES.containsValue(call.method())) {
              return new LocalConnectorHub.Reply(200, Map.of("status", "ok"));
            }
            if (ThreadLocalRandom.current().nextDouble() < hubStallShare) {
              hubStalls.incrementAndGet();
              sleep(HUB_STALL.toMillis());
              hubReplies
                  .computeIfAbsent(call.transactionId(), k -> new CopyOnWriteArrayList<>())
                  .add("stalled");
              return new LocalConnectorHub.Reply(504, Map.of("message", "timed out"));
            }
            hubReplies
                .computeIfAbsent(call.transactionId(), k -> new CopyOnWriteArrayList<>())
                .add("ok");
            return new LocalConnectorHub.Reply(200, Map.of("status", "ok"));
          };
      p.connectorHub().register("cdp-transfer", "1", "syncTransfers", method);
      p.connectorHub().register("cdp-transfer", "1", "ping", method);
      p.connectorHub().register("cdp-core", "2", "refreshBalances", method);
    }
  }

  private void injectFaults() throws Exception {
    long total = loadTime.toMillis();
    long t0 = System.currentTimeMillis();
    boolean throttling = false;
    boolean throttled = false;
    boolean dynaliteRestarted = false;
    boolean s3Restarted = false;
    Random r = new Random(21);
    while (faulting.get()) {
      double at = (System.currentTimeMillis() - t0) / (double) total;
      if (!throttling && !throttled && at >= 0.15 && at < 0.3) {
        proxy.throttle(0.2);
        throttling = true;
        log("fault: DynamoDB throttles 20% of calls");
      } else if (throttling && at >= 0.30) {
        proxy.throttle(0);
        throttling = false;
        throttled = true;
        log("fault: DynamoDB throttling over (" + proxy.throttled.get() + " calls throttled)");
      }
      if (!dynaliteRestarted && at >= 0.40 && loading.get()) {
        dynaliteRestarted = true;
        Instant from = Instant.now();
        downWindows.add(new Window(from, from.plus(Duration.ofMinutes(5)), "dynalite"));
        platform.restartDynamoDb(Duration.ofSeconds(3));
        downWindows.remove(downWindows.size() - 1);
        downWindows.add(new Window(from, Instant.now(), "dynalite"));
        restarts.incrementAndGet();
        log("fault: dynalite restarted (down " + Duration.between(from, Instant.now()) + ")");
      }
      if (!s3Restarted && at >= 0.60 && loading.get()) {
        s3Restarted = true;
        Instant from = Instant.now();
        downWindows.add(new Window(from, from.plus(Duration.ofMinutes(5)), "s3proxy"));
        platform.restartS3(Duration.ofSeconds(3));
        downWindows.remove(downWindows.size() - 1);
        downWindows.add(new Window(from, Instant.now(), "s3proxy"));
        restarts.incrementAndGet();
        log("fault: S3Proxy restarted (down " + Duration.between(from, Instant.now()) + ")");
      }
      // kill -9 one function process that is working on an invocation (watched for up to 2 s)
      List<Map.Entry<String, Long>> busy = new ArrayList<>();
      for (int look = 0; look < 40 && busy.isEmpty(); look++) {
        platform
            .functions()
            .busyPids()
            .forEach((f, pids) -> pids.forEach(pid -> busy.add(Map.entry(f, pid))));
        if (busy.isEmpty()) {
          Thread.sleep(50);
        }
      }
      if (!busy.isEmpty()) {
        Map.Entry<String, Long> victim = busy.get(r.nextInt(busy.size()));
        Optional<ProcessHandle> process = ProcessHandle.of(victim.getValue());
        if (process.isPresent() && process.get().destroyForcibly()) {
          kills.incrementAndGet();
          Instant now = Instant.now();
          killWindows.add(new Window(now, now, victim.getKey()));
          killsByFunction
              .computeIfAbsent(victim.getKey(), k -> new AtomicInteger())
              .incrementAndGet();
        }
      }
      Thread.sleep(2000 + r.nextInt(2000));
    }
    proxy.throttle(0);
  }

  // --- load: transaction files -----------------------------------------------------------------

  private void uploadTransactions() throws Exception {
    int count = 5;
    // 1,000 members x 2 accounts x 34 days x 1.5 rows a day: about 100,000 rows at scale 1
    int members = scaled(1000, 3);
    long gap = loadTime.toMillis() / (count + 1);
    for (int i = 0; i < count && loading.get(); i++) {
      OrganizationId org = ORGS.get(i % ORGS.size());
      // Files of one organization cover other days, so their rows never share a key.
      MockTransactions.Options options =
          new MockTransactions.Options(
              members,
              2,
              34,
              1000 + i,
              Math.max(3, (int) Math.round(25 * scale)),
              MockTransactions.DEFAULT_END_DATE.minusDays(40L * i));
      StringWriter text = new StringWriter();
      MockTransactions.Summary summary = MockTransactions.write(options, text);
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      String name = "chaos-" + i;
      String bucket = platform.buckets().dataDelivery(org);
      putWithRetries(bucket, "transactions/" + name + ".csv", bytes);
      files.add(new TxnFile(org, name, summary));
      log(
          "uploaded "
              + org.value()
              + "/"
              + name
              + ".csv: "
              + summary.rows()
              + " rows ("
              + summary.badRows()
              + " bad)");
      sleepWhileLoading(gap);
    }
  }

  private void sleepWhileLoading(long ms) {
    long until = System.currentTimeMillis() + ms;
    while (loading.get() && System.currentTimeMillis() < until) {
      sleep(200);
    }
  }

  /** Puts an object as a client does: a failed put is tried again. */
  private void putWithRetries(String bucket, String key, byte[] bytes) {
    for (int attempt = 1; ; attempt++) {
      requests.incrementAndGet();
      try {
        platform.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        return;
      } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
        if (e.statusCode() >= 500) {
          serverError("S3 put " + key, e.statusCode() + " " + e.getMessage());
        } else {
          throw e;
        }
      } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
        serverError("S3 put " + key, e.getMessage());
      }
      if (attempt > 60) {
        throw new IllegalStateException("cannot put " + key);
      }
      sleep(1000);
    }
  }

  // --- load: group-assignment files ------------------------------------------------------------

  private void uploadGroupFiles() {
    int perFile = scaled(200, 5);
    String bucket = platform.buckets().dataDelivery(GROUP_ORG);
    for (int i = 0; loading.get(); i++) {
      List<String> members = new ArrayList<>();
      StringBuilder csv = new StringBuilder("memberId,tileGroup,action\n");
      for (int m = 0; m < perFile; m++) {
        String member = "chaos-g" + i + "-" + m;
        members.add(member);
        csv.append(member).append(',').append(GROUP).append(",add\n");
      }
      String name = "chaos-groups-" + i;
      putWithRetries(
          bucket,
          "group-assignments/" + name + ".csv",
          csv.toString().getBytes(StandardCharsets.UTF_8));
      groupFiles.add(new GroupFile(name, members));
      sleepWhileLoading(15_000);
    }
  }

  // --- load: scheduled connector calls ---------------------------------------------------------

  private void fireSchedules() {
    List<String> names = new ArrayList<>(new java.util.TreeSet<>(SCHEDULES.keySet()));
    for (int i = 0; loading.get(); i++) {
      String name = names.get(i % names.size());
      platform.fireSchedule(name);
      fired.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      sleepWhileLoading(3000);
    }
  }

  // --- load: short links -----------------------------------------------------------------------

  private void createLinks(List<String> codes, int count) {
    for (int i = 0; i < count && loading.get(); i++) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      var cli = CdpCommand.commandLine();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      int code =
          cli.execute(
              "shorten",
              "--data-dir",
              platform.dataDir().toString(),
              "https://example.com/chaos?i=" + i,
              "--org",
              LINKS_ORG.value(),
              "--expires-in-days",
              "3");
      if (code != 0) {
        linkFailures.incrementAndGet();
        log("cdp shorten failed, trying again: " + err.toString().strip());
        i--;
        sleep(1000);
        continue;
      }
      String url = out.toString().strip();
      codes.add(url.substring(url.lastIndexOf('/') + 1));
    }
  }

  private final AtomicLong linkFailures = new AtomicLong();

  private final AtomicLong redirectsOk = new AtomicLong();

  private void redirects(List<String> codes) throws Exception {
    Random r = new Random();
    String host = LINKS_ORG.value() + ".localhost:" + platform.gateway().port();
    while (loading.get()) {
      String code = codes.get(r.nextInt(codes.size()));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/" + code))
              .header("Host", host)
              .timeout(Duration.ofSeconds(30))
              .GET()
              .build();
      requests.incrementAndGet();
      Instant sent = Instant.now();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 302) {
          redirectsOk.incrementAndGet();
        } else if (response.statusCode() >= 500) {
          serverErrorOfKilled(
              "UrlShortener", sent, "GET /" + code, response.statusCode() + " " + response.body());
        } else if (response.statusCode() != 429) {
          serverError("GET /" + code + " (not 302)", response.statusCode() + " " + response.body());
        }
      } catch (IOException e) {
        serverError("GET /" + code, e.toString());
      }
      sleep(20);
    }
  }

  // --- load: realtime --------------------------------------------------------------------------

  /** One listener: {@code ./cdp listen} runs that resume with {@code --since} the last seq. */
  private static final class Listener {
    final String member;
    final Set<Topic> topics;
    final StringBuffer out = new StringBuffer();
    final StringWriter err = new StringWriter();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger runs = new AtomicInteger();

    /** Lines printed by runs that resumed, with the time each resumed run started. */
    final List<long[]> resumedRuns = new CopyOnWriteArrayList<>(); // {startMillis, firstLine}

    Listener(String member, Set<Topic> topics) {
      this.member = member;
      this.topics = topics;
    }

    List<String> lines() {
      return out.toString().lines().toList();
    }
  }

  private List<Listener> startListeners() {
    int members = scaled(200, 2);
    int connections = scaled(1000, 6);
    SessionService sessions =
        new SessionService(
            platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC());
    List<Listener> listeners = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      own("lm-" + m);
    }
    // Every session first, then the listeners: at full size the first listeners' $connects kept
    // dynalite so busy that a later session's put timed out (30 s) and ended run D's first try.
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Listener l = new Listener("lm-" + (i % members), TOPIC_SETS.get(i % TOPIC_SETS.size()));
      listeners.add(l);
      for (int attempt = 1; ; attempt++) {
        try {
          tokens.add(
              sessions.create(LISTEN_ORG, MemberId.of(l.member), Duration.ofHours(4)).token());
          break;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
          if (attempt == 5) {
            throw e;
          }
          log("session for " + l.member + " not created (" + e + "); trying again");
        }
      }
    }
    for (int i = 0; i < connections; i++) {
      Listener l = listeners.get(i);
      String token = tokens.get(i);
      long seed = i;
      threads.submit(() -> listen(l, token, seed));
    }
    log(connections + " listeners of " + members + " members started");
    return listeners;
  }

  private void own(String member) {
    platform
        .dynamoDb()
        .batchWriteItem(
            r ->
                r.requestItems(
                    Map.of(
                        platform.tableName(Tables.WAREHOUSE),
                        AccountOwnership.writes(
                            LISTEN_ORG, MemberId.of(member), AccountId.of("acct-" + member)))));
  }

  private void listen(Listener l, String token, long seed) {
    Random r = new Random(seed);
    long since = 0;
    while (!l.stop.get()) {
      List<String> args = new ArrayList<>();
      args.addAll(
          List.of(
              "listen",
              "--token",
              token,
              "--endpoint",
              realtime.webSocketUrl().toString(),
              "--since",
              Long.toString(since),
              "--count",
              Integer.toString(5 + r.nextInt(40)),
              "--max-reconnect-delay",
              "PT1S",
              "--ping-interval",
              "PT5S",
              "--pong-timeout",
              "PT15S"));
      l.topics.forEach(t -> args.addAll(List.of("--topic", t.detailType())));
      if (since > 0) {
        l.resumedRuns.add(new long[] {System.currentTimeMillis(), l.lines().size()});
      }
      StringWriter runOut = new StringWriter();
      var cli = CdpCommand.commandLine();
      // cdp listen prints each event as one line; a run's output is appended when it ends
      PrintWriter sink =
          new PrintWriter(
              new java.io.Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                  synchronized (l.out) {
                    l.out.append(buf, off, len);
                  }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
              },
              true);
      cli.setOut(sink);
      cli.setErr(new PrintWriter(l.err, true));
      l.runs.incrementAndGet();
      int exit = cli.execute(args.toArray(String[]::new));
      if (exit != 0) {
        l.err.write("cdp listen exited with " + exit + "\n");
        if (l.stop.get()) {
          return;
        }
        sleep(1000);
      }
      List<String> lines = l.lines();
      if (!lines.isEmpty()) {
        since = Json.tree(lines.get(lines.size() - 1)).path("seq").asLong();
      }
    }
  }

  private void dropConnections() {
    Random r = new Random(7);
    RealtimeLocal.Drop[] kinds = RealtimeLocal.Drop.values();
    while (loading.get()) {
      List<String> open = realtime.openConnectionIds();
      if (!open.isEmpty()
          && realtime.drop(open.get(r.nextInt(open.size())), kinds[r.nextInt(kinds.length)])) {
        drops.incrementAndGet();
      }
      sleep(500);
    }
  }

  private void publishEvents() {
    List<Topic> topics = List.of(Topic.values()).stream().filter(Topic::relayedToEndUsers).toList();
    int members = scaled(200, 2);
    int perSecond = Math.max(2, (int) Math.round(20 * Math.min(1, scale * 5)));
    Random r = new Random(3);
    try (EventBridgeClient events =
        AwsClients.build(EventBridgeClient.builder(), platform.eventsTarget())) {
      int n = 0;
      while (loading.get()) {
        List<Published> batch = new ArrayList<>();
        for (int i = 0; i < Math.min(10, perSecond); i++) {
          batch.add(
              new Published(
                  "lm-" + r.nextInt(members), topics.get(r.nextInt(topics.size())), "ce-" + n++));
        }
        putEvents(events, batch);
        sleep(1000L * batch.size() / perSecond);
      }
    }
  }

  private void putEvents(EventBridgeClient events, List<Published> batch) {
    List<Published> pending = batch;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      requests.incrementAndGet();
      List<Published> now = pending;
      try {
        var response = events.putEvents(r -> r.entries(now.stream().map(this::entry).toList()));
        List<Published> failed = new ArrayList<>();
        for (int i = 0; i < now.size(); i++) {
          if (response.entries().get(i).errorCode() != null) {
            failed.add(now.get(i));
          } else {
            published.add(now.get(i));
            publishedAt.put(now.get(i).eventId(), Instant.now());
          }
        }
        pending = failed;
      } catch (software.amazon.awssdk.core.exception.SdkException e) {
        serverError("PutEvents", e.getMessage());
      }
      if (!pending.isEmpty()) {
        if (attempt > 30) {
          log("PutEvents gave up on " + pending.size() + " events");
          return;
        }
        sleep(500);
      }
    }
  }

  private PutEventsRequestEntry entry(Published p) {
    ObjectNode detail = Json.object();
    detail.put("organizationId", LISTEN_ORG.value());
    detail.put("eventId", p.eventId());
    detail.put("memberId", p.member());
    detail.put("accountId", "acct-" + p.member());
    detail.put("transactionId", java.util.UUID.randomUUID().toString());
    switch (p.topic()) {
      case ACCOUNT_BALANCE_UPDATED -> {
        detail.put("balance", new java.math.BigDecimal("1234.57"));
        detail.put("updatedAt", "2026-12-03T08:00:00Z");
      }
      case ACCOUNT_NICKNAME_UPDATED -> {
        detail.put("nickname", "Rainy day");
        detail.put("updatedAt", "2026-12-03T08:00:00Z");
      }
      default -> {
        detail.putArray("transactionIds").add("t-1");
        detail.put("count", 1);
      }
    }
    return PutEventsRequestEntry.builder()
        .source("cdp.platform")
        .detailType(p.topic().detailType())
        .detail(Json.write(detail))
        .build();
  }

  private Map<Listener, List<String>> expected(List<Listener> listeners) {
    Map<Listener, List<String>> expected = new HashMap<>();
    for (Listener l : listeners) {
      expected.put(
          l,
          published.stream()
              .filter(p -> p.member().equals(l.member) && l.topics.contains(p.topic()))
              .map(Published::eventId)
              .toList());
    }
    return expected;
  }

  private void awaitListeners(List<Listener> listeners, Duration max) {
    Map<Listener, List<String>> expected = expected(listeners);
    long deadline = System.nanoTime() + max.toNanos();
    for (Listener l : listeners) {
      while (l.lines().size() < expected.get(l).size() && System.nanoTime() < deadline) {
        sleep(200);
      }
    }
    sleep(2000); // a duplicate would arrive now
  }

  // --- checks ----------------------------------------------------------------------------------

  private int check(List<Listener> listeners, boolean idle) throws Exception {
    long written = 0;
    long lost = 0;
    long duplicated = 0;
    List<String> findings = new ArrayList<>();
    DynamoDbClient dynamo = platform.dynamoDb();

    // 1. every good row in the warehouse exactly once; every report final and consistent
    long rowsExpected = 0;
    for (TxnFile f : files) {
      String bucket = platform.buckets().dataDelivery(f.org());
      String key = "transactions/reports/" + f.name() + ".report.json";
      JsonNode report;
      try {
        report =
            Json.tree(
                platform.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
      } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
        findings.add("transactions: no report " + f.org().value() + "/" + key);
        lost += f.summary().goodRows();
        continue;
      }
      long read = report.path("rowsRead").asLong(-1);
      long loaded = report.path("rowsLoaded").asLong(-1);
      long rejected = report.path("rowsRejected").asLong(-1);
      String status = report.path("status").asText();
      if (!Set.of("loaded", "loaded_with_rejects").contains(status)
          || read != loaded + rejected
          || read != f.summary().rows()
          || loaded != f.summary().goodRows()
          || rejected != f.summary().badRows()) {
        findings.add(
            "transactions: report "
                + f.org().value()
                + "/"
                + f.name()
                + " status "
                + status
                + " read "
                + read
                + " loaded "
                + loaded
                + " rejected "
                + rejected
                + " (file: "
                + f.summary().rows()
                + " rows, "
                + f.summary().badRows()
                + " bad)");
      }
    }
    Map<String, Long> expectedPerAccount = new TreeMap<>();
    for (TxnFile f : files) {
      f.summary()
          .accounts()
          .forEach(
              (account, rows) ->
                  expectedPerAccount.merge(
                      f.org().value() + "|" + account, rows.rows(), Long::sum));
    }
    for (var e : expectedPerAccount.entrySet()) {
      String[] parts = e.getKey().split("\\|");
      long found =
          countItems(
              dynamo, WarehouseKeys.accountPk(OrganizationId.of(parts[0]), AccountId.of(parts[1])));
      rowsExpected += e.getValue();
      written += Math.min(found, e.getValue());
      if (found < e.getValue()) {
        lost += e.getValue() - found;
        findings.add(
            "warehouse: " + e.getKey() + " has " + found + " of " + e.getValue() + " rows");
      } else if (found > e.getValue()) {
        duplicated += found - e.getValue();
        findings.add(
            "warehouse: " + e.getKey() + " has " + found + " rows, expected " + e.getValue());
      }
    }
    log("warehouse: " + rowsExpected + " good rows in " + files.size() + " files checked");

    // 2. every listener holds every event of its topics, once each, in order
    Map<Listener, List<String>> expected = expected(listeners);
    long replayed = 0;
    long delivered = 0;
    int incomplete = 0;
    int unordered = 0;
    for (Listener l : listeners) {
      List<JsonNode> frames = l.lines().stream().map(Json::tree).toList();
      List<String> ids = frames.stream().map(f -> f.path("eventId").asText()).toList();
      Map<String, Integer> seen = new HashMap<>();
      ids.forEach(id -> seen.merge(id, 1, Integer::sum));
      long dups = seen.values().stream().mapToLong(n -> n - 1).sum();
      Set<String> want = new java.util.HashSet<>(expected.get(l));
      long missing = want.stream().filter(id -> !seen.containsKey(id)).count();
      long foreign = seen.keySet().stream().filter(id -> !want.contains(id)).count();
      List<Long> seqs = frames.stream().map(f -> f.path("seq").asLong()).toList();
      boolean ordered = true;
      for (int i = 1; i < seqs.size(); i++) {
        ordered &= seqs.get(i) > seqs.get(i - 1);
      }
      delivered += seen.size();
      lost += missing;
      duplicated += dups;
      if (missing > 0 || dups > 0 || foreign > 0) {
        incomplete++;
        if (incomplete <= 5) {
          List<String> errLines = l.err.toString().lines().toList();
          findings.add(
              "listener "
                  + l.member
                  + " "
                  + l.topics
                  + ": "
                  + seen.size()
                  + " of "
                  + want.size()
                  + " events, "
                  + dups
                  + " duplicates, "
                  + foreign
                  + " not its own; last stderr: "
                  + errLines.subList(Math.max(0, errLines.size() - 2), errLines.size()));
        }
      }
      if (!ordered) {
        unordered++;
      }
      // events printed by resumed runs that were published before the run started: replayed
      for (long[] run : l.resumedRuns) {
        List<JsonNode> after = frames.subList((int) Math.min(run[1], frames.size()), frames.size());
        for (JsonNode f : after) {
          Instant at = publishedAt.get(f.path("eventId").asText());
          if (at != null && at.toEpochMilli() < run[0]) {
            replayed++;
          }
        }
      }
    }
    written += delivered;
    if (incomplete > 5) {
      findings.add("... " + (incomplete - 5) + " more listeners incomplete");
    }
    if (unordered > 0) {
      findings.add("listeners: " + unordered + " printed events out of seq order");
    }
    log(
        "realtime: "
            + published.size()
            + " events published, "
            + delivered
            + " delivered to "
            + listeners.size()
            + " listeners ("
            + listeners.stream().mapToInt(l -> l.runs.get()).sum()
            + " runs, "
            + drops.get()
            + " connections dropped by the gateway)");

    // 3. every group change applied exactly once
    GroupDirectory groups =
        new GroupDirectory(dynamo, platform.tableName(Tables.GROUPS), Clock.systemUTC());
    String groupBucket = platform.buckets().dataDelivery(GROUP_ORG);
    for (GroupFile g : groupFiles) {
      String key = "group-assignments/reports/" + g.name() + ".report.json";
      try {
        JsonNode report =
            Json.tree(
                platform.s3().getObjectAsBytes(r -> r.bucket(groupBucket).key(key)).asUtf8String());
        JsonNode counts = report.path("counts");
        long added = counts.path("added").asLong();
        long unchanged = counts.path("unchanged").asLong();
        if (!"completed".equals(report.path("status").asText())
            || added + unchanged != g.members().size()
            || counts.path("rejected").asLong() != 0
            || counts.path("notApplied").asLong() != 0) {
          findings.add(
              "groups: report " + g.name() + " " + report.path("status").asText() + " " + counts);
        }
        if (unchanged > 0) {
          findings.add(
              "groups: "
                  + g.name()
                  + " was applied again after a crash ("
                  + unchanged
                  + " unchanged)");
        }
      } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
        findings.add("groups: no report for " + g.name());
      }
      for (String member : g.members()) {
        if (groups.isMember(GROUP_ORG, TileGroupName.of(GROUP), MemberId.of(member))) {
          written++;
        } else {
          lost++;
          findings.add("groups: " + member + " not in " + GROUP + " (" + g.name() + ")");
        }
      }
    }

    // 4. every scheduled call ran or sits in its dead-letter destination
    // Calls are at least once (CONTRACTS 6: a failed invocation is retried), and the hub is not
    // promised to de-duplicate; what the platform owes it is one x-transaction-id per fire, derived
    // from the fire (ConnectorCaller.scheduledFireId), on every attempt. So hubReplies is keyed by
    // that id: a call made again under the id of a call the hub answered 200 is a redelivery the
    // hub can recognise (counted apart), while a fire reaching the hub under two ids (more ids
    // than fires) is a duplicate.
    // The platform also fires the schedules by themselves on their expressions (tcu-sync-transfers
    // is rate(15 minutes)): those fires are counted here, from the expressions, as the platform
    // does (ScheduleExpression.next from its start).
    long selfFires = 0;
    Instant now = Instant.now();
    for (var s : platform.schedules()) {
      if (SCHEDULES.containsKey(s.name())) {
        var expression = com.cdp.schedules.ScheduleExpression.parse(s.expression());
        java.time.ZoneId zone = java.time.ZoneId.of(s.timezone());
        for (Instant t = expression.next(platformStarted, platformStarted, zone);
            !t.isAfter(now);
            t = expression.next(t, platformStarted, zone)) {
          selfFires++;
        }
      }
    }
    long fires = fired.values().stream().mapToInt(AtomicInteger::get).sum() + selfFires;
    long ran = hubReplies.values().stream().filter(r -> r.contains("ok")).count();
    long redeliveredAfterSuccess =
        hubReplies.values().stream()
            .mapToLong(r -> Math.max(0, r.stream().filter("ok"::equals).count() - 1))
            .sum();
    long firedUnderTwoIds = Math.max(0, hubReplies.size() - fires);
    Path deadLetters = ConnectorsLocal.deadLetters(platform);
    long dead =
        Files.isRegularFile(deadLetters)
            ? Files.readAllLines(deadLetters).stream()
                .filter(
                    line ->
                        SCHEDULES.containsValue(
                            Json.tree(line).path("requestPayload").path("method").asText()))
                .count()
            : 0;
    long unaccounted = fires - ran - dead;
    if (unaccounted > 0) {
      findings.add(
          "schedules: fired "
              + fires
              + ", ran "
              + ran
              + ", dead-lettered "
              + dead
              + " (hub saw "
              + hubReplies.size()
              + " distinct calls)");
      lost += unaccounted;
    } else if (unaccounted < 0) {
      log(
          "schedules: "
              + -unaccounted
              + " more calls than fired (a call ran under two ids: see below)");
    }
    if (firedUnderTwoIds > 0) {
      findings.add(
          "schedules: the hub saw "
              + hubReplies.size()
              + " transaction ids for "
              + fires
              + " fires (a retry under a new x-transaction-id)");
      duplicated += firedUnderTwoIds;
    }
    if (redeliveredAfterSuccess > 0) {
      log(
          "schedules: "
              + redeliveredAfterSuccess
              + " calls made again after the hub answered 200 (the function died before"
              + " returning), each under its fire's x-transaction-id: at-least-once, recognisable"
              + " by the hub");
    }
    written += ran;
    log(
        "schedules: fired "
            + fired
            + " and "
            + selfFires
            + " by the platform's own scheduler; ran "
            + ran
            + ", dead-lettered "
            + dead
            + ", hub stalls "
            + hubStalls.get());
    log(
        "redirects: "
            + redirectsOk.get()
            + " answered 302; "
            + killed5xx.get()
            + " answered 5xx because the url-shortener process was killed mid-request (as API"
            + " Gateway answers a crashed synchronous invoke); "
            + linkFailures.get()
            + " link creations failed and were tried again");

    // 5. no 5xx outside the stand-in-down windows
    if (!serverErrors.isEmpty()) {
      findings.add(
          serverErrors.size()
              + " requests got a 5xx or no answer outside the stand-in-down windows "
              + downWindows
              + ", e.g. "
              + serverErrors.subList(0, Math.min(5, serverErrors.size())));
    }
    if (!idle) {
      findings.add("the platform did not become idle within 10 minutes of the load's end");
    }

    Path busDead = platform.dataDir().resolve("dead-letters/events.ndjson");
    if (Files.isRegularFile(busDead)) {
      Map<String, Integer> byRule = new TreeMap<>();
      for (String line : Files.readAllLines(busDead)) {
        byRule.merge(Json.tree(line).path("rule").asText(), 1, Integer::sum);
      }
      findings.add("event bus: events in the dead-letter file by rule (not delivered): " + byRule);
    }
    long retried = retriedInvocations(platform.dataDir().resolve("functions"));
    long faults =
        kills.get()
            + restarts.get()
            + proxy.throttled.get()
            + gone.get()
            + tooMany.get()
            + hubStalls.get()
            + drops.get();
    log(
        "faults: "
            + kills.get()
            + " processes killed "
            + killsByFunction
            + ", "
            + restarts.get()
            + " stand-in restarts, "
            + proxy.throttled.get()
            + " of "
            + proxy.calls.get()
            + " DynamoDB calls throttled, "
            + gone.get()
            + " posts answered 410, "
            + tooMany.get()
            + " answered 429, "
            + hubStalls.get()
            + " hub timeouts, "
            + drops.get()
            + " WebSocket drops");
    log(requests.get() + " client requests; " + findings.size() + " findings:");
    findings.forEach(f -> System.out.println("  - " + f));
    System.out.println(
        "chaos: faults "
            + faults
            + ", retried "
            + retried
            + ", replayed "
            + replayed
            + ", written "
            + written
            + ", lost "
            + lost
            + ", duplicated "
            + duplicated);
    return findings.isEmpty() ? 0 : 1;
  }

  private long countItems(DynamoDbClient dynamo, String pk) {
    long count = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var response =
          dynamo.query(
              r -> {
                r.tableName(platform.tableName(Tables.WAREHOUSE))
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .select(Select.COUNT)
                    .consistentRead(true);
                if (from != null) {
                  r.exclusiveStartKey(from);
                }
              });
      count += response.count();
      start =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
    } while (start != null);
    return count;
  }

  /**
   * Attempts after the first of one request id in the functions' logs: the pool runs every attempt
   * of an asynchronous event under the event's request id (START RequestId: ...).
   */
  static long retriedInvocations(Path logs) throws IOException {
    if (!Files.isDirectory(logs)) {
      return 0;
    }
    long retried = 0;
    try (var list = Files.list(logs)) {
      for (Path log : list.filter(p -> p.toString().endsWith(".log")).toList()) {
        Map<String, Integer> starts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
          int at = line.indexOf(" START RequestId: ");
          if (at >= 0) {
            String id = line.substring(at + 18).split(" ")[0];
            starts.merge(id, 1, Integer::sum);
          }
        }
        retried += starts.values().stream().mapToLong(n -> n - 1).sum();
      }
    }
    return retried;
  }
}
