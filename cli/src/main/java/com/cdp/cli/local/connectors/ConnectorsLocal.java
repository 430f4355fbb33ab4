package com.cdp.cli.local.connectors;

import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.LocalService;
import com.cdp.connectors.CallConnectorHandler;
import com.cdp.connectors.CallOutcome;
import com.cdp.connectors.ConnectorCaller;
import com.cdp.connectors.HubClient;
import com.cdp.model.connector.ConnectorEventCall;
import com.cdp.model.connector.ConnectorSchedule;
import com.cdp.model.connector.ConnectorSchedules;
import com.cdp.model.json.Json;
import com.cdp.model.wiring.Triggers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled Connector Hub calls on the local platform. Reads {@code config/schedules.json} (the
 * file the CDK app turns into EventBridge schedules and rules), keeps the entries for {@code
 * local}, and
 *
 * <ul>
 *   <li>fires each schedule at the times its rate/cron expression gives, invoking the production
 *       {@link CallConnectorHandler} with the contract payload against the Connector Hub simulator
 *       (which records every call: {@code ./cdp hub calls});
 *   <li>subscribes each event call to the local bus and invokes the function with the payload the
 *       EventBridge input transformer would produce;
 *   <li>serves the Lambda {@code Invoke} API for the function at {@code
 *       /2015-03-31/functions/call-connector/invocations} ({@code ./cdp hub run SCHEDULE}, or
 *       {@code aws lambda invoke --endpoint-url ...}).
 * </ul>
 *
 * A failed scheduled invocation is retried twice, as Lambda retries asynchronous invocations (here
 * after {@link #DEFAULT_RETRY_DELAYS} instead of one and two minutes), then written to {@code
 * dead-letters/call-connector.ndjson}.
 */
public final class ConnectorsLocal implements LocalService {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorsLocal.class);

  /** The hub timeout locally, as in AWS; the "function" has no deadline of its own here. */
  static final Duration HUB_TIMEOUT = Duration.ofSeconds(10);

  public static final List<Duration> DEFAULT_RETRY_DELAYS =
      List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));

  public static final String INVOKE_PATH =
      "/2015-03-31/functions/" + Triggers.Functions.CALL_CONNECTOR + "/invocations";

  public static final Path DEAD_LETTERS = Path.of("dead-letters", "call-connector.ndjson");

  private static final Duration TICK = Duration.ofMillis(200);

  private final Path scheduleFile;
  private final Clock clock;
  private final List<Duration> retryDelays;
  private LocalPlatform platform;
  private ConnectorSchedules config = ConnectorSchedules.empty();
  private volatile CallConnectorHandler handler;
  private Thread scheduler;
  private volatile boolean stopping;

  /** The repository's {@code config/schedules.json}, on the system clock. */
  public ConnectorsLocal() {
    this(null, Clock.systemUTC(), DEFAULT_RETRY_DELAYS);
  }

  /**
   * A given schedule file (null: the repository's), clock (tests move it close to a fire time) and
   * retry delays.
   */
  public ConnectorsLocal(Path scheduleFile, Clock clock, List<Duration> retryDelays) {
    this.scheduleFile = scheduleFile;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retryDelays = List.copyOf(retryDelays);
  }

  @Override
  public String name() {
    return "connectors";
  }

  @Override
  public void start(LocalPlatform platform) {
    this.platform = platform;
    platform.runsInProcess(Triggers.Functions.CALL_CONNECTOR);
    Path file =
        scheduleFile != null ? scheduleFile : platform.repoRoot().resolve(ConnectorSchedules.FILE);
    config =
        Files.isRegularFile(file)
            ? ConnectorSchedules.load(file).forEnvironment(platform.environment())
            : ConnectorSchedules.empty();
    for (ConnectorEventCall call : config.eventCalls()) {
      platform
          .eventBus()
          .subscribe(
              new Triggers.EventTrigger(
                  Triggers.Functions.CALL_CONNECTOR, "connector-" + call.name(), call.pattern()),
              event ->
                  invokeOnce(
                      Json.write(call.payloadFor(Json.tree(event))), UUID.randomUUID().toString()));
    }
    platform.gateway().servlet(INVOKE_PATH, new InvokeServlet());
    if (!config.schedules().isEmpty()) {
      scheduler = new Thread(this::runSchedules, "connector-scheduler");
      scheduler.setDaemon(true);
      scheduler.start();
    }
  }

  /** The schedules this platform fires. */
  public List<ConnectorSchedule> schedules() {
    return config.schedules();
  }

  /** Built on first use: the hub's URL carries the gateway's port, known once it listens. */
  CallConnectorHandler handler() {
    CallConnectorHandler h = handler;
    if (h == null) {
      synchronized (this) {
        h = handler;
        if (h == null) {
          if (platform.gateway().port() <= 0) {
            throw new IllegalStateException("the local gateway is not listening yet");
          }
          h =
              new CallConnectorHandler(
                  new ConnectorCaller(
                      new HubClient(
                          HubClient.httpClient(HUB_TIMEOUT),
                          platform.hubBaseUrl(),
                          com.cdp.model.connector.HubApiKey.fixed(
                              platform
                                  .secrets()
                                  .get(com.cdp.model.connector.HubApiKey.LOCAL_SECRET))),
                      HUB_TIMEOUT,
                      platform.logger(),
                      Clock.systemUTC()),
                  platform.logger());
          handler = h;
        }
      }
    }
    return h;
  }

  private CallOutcome invokeOnce(String payload, String invocationId) {
    return handler().invoke(payload, HUB_TIMEOUT.plusSeconds(5), invocationId);
  }

  private void runSchedules() {
    // Schedules start once the gateway (and with it the hub simulator) listens.
    while (platform.gateway().port() <= 0) {
      if (stopping) {
        return;
      }
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
    Instant anchor = clock.instant();
    List<Instant> next = new ArrayList<>();
    for (ConnectorSchedule s : config.schedules()) {
      next.add(s.expression().next(anchor, anchor, s.timezone()));
    }
    while (!stopping) {
      Instant now = clock.instant();
      for (int i = 0; i < next.size(); i++) {
        if (!now.isBefore(next.get(i))) {
          ConnectorSchedule s = config.schedules().get(i);
          fire(s);
          // Missed fire times (a suspended laptop) are skipped, not replayed.
          next.set(i, s.expression().next(now, anchor, s.timezone()));
        }
      }
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Fires a schedule now: one asynchronous invocation with Lambda's retry policy. */
  public void fire(ConnectorSchedule schedule) {
    String payload = Json.write(schedule.request().toJson());
    platform
        .work()
        .submit(
            "call-connector for schedule " + schedule.name(),
            () -> invokeWithRetries(schedule.name(), payload));
  }

  private void invokeWithRetries(String source, String payload) {
    // One id for the event and all its retries, as Lambda keeps the request id of an async event.
    String invocationId = UUID.randomUUID().toString();
    RuntimeException last = null;
    for (int attempt = 1; attempt <= retryDelays.size() + 1; attempt++) {
      if (attempt > 1) {
        try {
          Thread.sleep(retryDelays.get(attempt - 2).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      try {
        CallOutcome outcome = invokeOnce(payload, invocationId);
        LOG.info("{}: {}", source, Json.write(outcome.toJson()));
        return;
      } catch (RuntimeException e) {
        last = e;
        LOG.warn("{} failed (attempt {}): {}", source, attempt, e.getMessage());
      }
    }
    ObjectNode dead = Json.object();
    dead.put("at", Instant.now().toString());
    dead.put("source", source);
    dead.put("error", String.valueOf(last == null ? null : last.getMessage()));
    dead.set("payload", Json.tree(payload));
    Path file = platform.dataDir().resolve(DEAD_LETTERS);
    try {
      Files.createDirectories(file.getParent());
      synchronized (ConnectorsLocal.class) {
        Files.writeString(
            file,
            Json.write(dead) + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      LOG.error("cannot write {}: {}", file, e.toString());
    }
    LOG.error("{}: sent to dead letters after {} attempts", source, retryDelays.size() + 1);
  }

  /**
   * Lambda's Invoke API for this function: {@code RequestResponse} (default) answers the result, or
   * a function error with {@code X-Amz-Function-Error: Unhandled}; {@code Event} answers 202 and
   * runs it asynchronously with the retry policy.
   */
  private final class InvokeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String payload =
          new String(request.getInputStream().readNBytes(256 * 1024 + 1), StandardCharsets.UTF_8);
      response.setContentType("application/json");
      if ("Event".equalsIgnoreCase(request.getHeader("X-Amz-Invocation-Type"))) {
        platform
            .work()
            .submit("call-connector (Invoke Event)", () -> invokeWithRetries("invoke", payload));
        response.setStatus(202);
        return;
      }
      try {
        CallOutcome outcome = invokeOnce(payload, UUID.randomUUID().toString());
        response.setStatus(200);
        response.getOutputStream().write(Json.writeBytes(outcome.toJson()));
      } catch (RuntimeException e) {
        response.setStatus(200);
        response.setHeader("X-Amz-Function-Error", "Unhandled");
        ObjectNode error = Json.object();
        error.put("errorType", e.getClass().getName());
        error.put("errorMessage", String.valueOf(e.getMessage()));
        response.getOutputStream().write(Json.writeBytes(error));
      }
    }
  }

  @Override
  public List<String> hints(LocalPlatform platform) {
    List<String> hints = new ArrayList<>();
    for (ConnectorSchedule s : config.schedules()) {
      hints.add(
          "schedule: "
              + s.name()
              + " "
              + s.expression().expression()
              + " -> "
              + s.request().organizationId()
              + " "
              + s.request().path());
    }
    hints.add("hub:      ./cdp hub calls   |   ./cdp hub schedules   |   ./cdp hub run SCHEDULE");
    return hints;
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    if (scheduler != null) {
      scheduler.interrupt();
      scheduler.join(2_000);
    }
  }
}
