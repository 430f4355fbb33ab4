package com.cdp.local.platform;

import com.cdp.model.json.Json;
import com.cdp.model.wiring.Triggers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.event.ruler.Machine;

/**
 * The local EventBridge bus. It speaks {@code PutEvents} (AWS JSON 1.1) on the gateway, so the
 * production EventBridge client, the CLI and the AWS CLI publish to it unchanged, and it routes
 * each event with AWS's event-ruler to the targets whose patterns (from {@link Triggers}) match.
 * Delivery is asynchronous and at least once with retries; what still fails is written to a
 * dead-letter file.
 */
public final class LocalEventBus {
  private static final Logger LOG = LoggerFactory.getLogger(LocalEventBus.class);

  /** PutEvents limits: 10 entries a call, 256 KB an entry. */
  static final int MAX_ENTRIES = 10;

  static final int MAX_ENTRY_BYTES = 256 * 1024;
  static final int ATTEMPTS = 3;

  private final Machine machine = new Machine();
  private final Map<String, Consumer<String>> targets = new ConcurrentHashMap<>();
  private final Map<String, RetryPolicy> policies = new ConcurrentHashMap<>();

  /**
   * A target's retry policy (EventBridge's {@code RetryPolicy}) and where an event goes when it is
   * exhausted (the {@code DeadLetterConfig}'s queue, locally an NDJSON file).
   */
  public record RetryPolicy(int maximumRetryAttempts, Duration maximumEventAge, Path deadLetters) {}

  private final java.util.Set<String> inProcessFunctions = ConcurrentHashMap.newKeySet();
  private final AsyncWork work;
  private final Path deadLetters;
  private final Path eventLog;

  LocalEventBus(AsyncWork work, Path dataDir) {
    this.work = work;
    this.deadLetters = dataDir.resolve("dead-letters/events.ndjson");
    this.eventLog = dataDir.resolve("events.ndjson");
  }

  /**
   * Routes events matching the trigger's pattern to the target (which gets the full event JSON).
   */
  public void subscribe(Triggers.EventTrigger trigger, Consumer<String> target) {
    subscribe(trigger.ruleName(), trigger.pattern(), target);
    inProcessFunctions.add(trigger.function());
  }

  /** The functions (short names) whose rules an area serves in-process. */
  java.util.Set<String> inProcessFunctions() {
    return java.util.Set.copyOf(inProcessFunctions);
  }

  /** Routes events matching an EventBridge pattern to the target. Rule names are unique. */
  public synchronized void subscribe(String ruleName, String pattern, Consumer<String> target) {
    if (targets.putIfAbsent(ruleName, target) != null) {
      throw new IllegalArgumentException("a rule named " + ruleName + " already exists");
    }
    try {
      machine.addRule(ruleName, pattern);
    } catch (IOException | RuntimeException e) {
      targets.remove(ruleName);
      throw new IllegalArgumentException(
          "invalid event pattern for " + ruleName + ": " + e.getMessage(), e);
    }
  }

  /** Routes events matching the pattern to the target, retried as the policy says. */
  public synchronized void subscribe(
      String ruleName, String pattern, Consumer<String> target, RetryPolicy policy) {
    subscribe(ruleName, pattern, target);
    policies.put(ruleName, policy);
  }

  public synchronized void unsubscribe(String ruleName, String pattern) {
    policies.remove(ruleName);
    if (targets.remove(ruleName) != null) {
      try {
        machine.deleteRule(ruleName, pattern);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** One PutEvents entry. */
  public record Entry(
      String source, String detailType, String detail, List<String> resources, Instant time) {}

  /** The outcome of one entry: an event id, or an error code and message. */
  public record Result(String eventId, String errorCode, String errorMessage) {}

  /** Publishes entries (as PutEvents does) and returns one result per entry, in order. */
  public List<Result> putEvents(List<Entry> entries) {
    List<Result> results = new ArrayList<>();
    for (Entry entry : entries) {
      String problem = validate(entry);
      if (problem != null) {
        results.add(new Result(null, "InvalidArgument", problem));
        continue;
      }
      String id = UUID.randomUUID().toString();
      ObjectNode event = Json.object();
      event.put("version", "0");
      event.put("id", id);
      event.put("detail-type", entry.detailType());
      event.put("source", entry.source());
      event.put("account", "000000000000");
      event.put(
          "time",
          (entry.time() == null ? Instant.now() : entry.time())
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              .toString());
      event.put("region", "us-east-1");
      ArrayNode resources = event.putArray("resources");
      if (entry.resources() != null) {
        entry.resources().forEach(resources::add);
      }
      event.set("detail", Json.tree(entry.detail()));
      route(Json.write(event));
      results.add(new Result(id, null, null));
    }
    return results;
  }

  private static String validate(Entry e) {
    if (e.source() == null || e.source().isBlank()) {
      return "Parameter Source is not valid. Reason: Source is a required argument.";
    }
    if (e.detailType() == null || e.detailType().isBlank()) {
      return "Parameter DetailType is not valid. Reason: DetailType is a required argument.";
    }
    if (e.detail() == null
        || e.detail().getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES) {
      return "Parameter Detail is not valid. Reason: Detail is required and at most 256 KB.";
    }
    try {
      if (!Json.tree(e.detail()).isObject()) {
        return "Parameter Detail is not valid. Reason: Detail must be a JSON object.";
      }
    } catch (IllegalArgumentException bad) {
      return "Parameter Detail is not valid. Reason: " + bad.getMessage();
    }
    return null;
  }

  private void route(String eventJson) {
    append(eventLog, eventJson);
    List<String> matched;
    synchronized (this) {
      matched = machine.rulesForJSONEvent(Json.tree(eventJson));
    }
    for (String rule : matched) {
      Consumer<String> target = targets.get(rule);
      if (target != null) {
        work.submit("event rule " + rule, () -> deliver(rule, target, eventJson));
      }
    }
  }

  private void deliver(String rule, Consumer<String> target, String eventJson) {
    RetryPolicy policy =
        policies.getOrDefault(
            rule, new RetryPolicy(ATTEMPTS - 1, Duration.ofHours(24), deadLetters));
    int attempts = policy.maximumRetryAttempts() + 1;
    long start = System.nanoTime();
    RuntimeException last = null;
    int attempt = 0;
    while (attempt < attempts) {
      attempt++;
      try {
        target.accept(eventJson);
        return;
      } catch (RuntimeException e) {
        last = e;
        LOG.warn(
            "rule {} target failed (attempt {}/{}): {}", rule, attempt, attempts, e.toString());
        // Exponential backoff as EventBridge's, capped locally at 5 s.
        Duration wait = Duration.ofMillis(Math.min(5000, 100L << Math.min(20, 2 * (attempt - 1))));
        if (Duration.ofNanos(System.nanoTime() - start)
                .plus(wait)
                .compareTo(policy.maximumEventAge())
            > 0) {
          break;
        }
        if (attempt < attempts) {
          sleep(wait);
        }
      }
    }
    ObjectNode dead = Json.object();
    dead.put("rule", rule);
    dead.put("attempts", attempt);
    dead.put("error", String.valueOf(last));
    dead.set("event", Json.tree(eventJson));
    append(policy.deadLetters(), Json.write(dead));
    LOG.error("rule {}: event sent to dead letters after {} attempts", rule, attempt);
  }

  private static synchronized void append(Path file, String line) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.error("cannot append to {}: {}", file, e.toString());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The PutEvents API (AWS JSON 1.1, target {@code AWSEvents.PutEvents}) on the gateway. */
  HttpServlet servlet() {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doPost(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        String target = request.getHeader("X-Amz-Target");
        if (!"AWSEvents.PutEvents".equals(target)) {
          error(
              response, "UnknownOperationException", "only AWSEvents.PutEvents is served locally");
          return;
        }
        byte[] body = request.getInputStream().readNBytes(LocalGateway.MAX_BODY_BYTES);
        JsonNode input;
        try {
          input = Json.tree(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          error(response, "SerializationException", e.getMessage());
          return;
        }
        JsonNode entries = input.path("Entries");
        if (!entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
          error(
              response,
              "ValidationException",
              "Entries must hold 1 to " + MAX_ENTRIES + " entries");
          return;
        }
        List<Entry> parsed = new ArrayList<>();
        for (JsonNode e : entries) {
          List<String> resources = new ArrayList<>();
          e.path("Resources").forEach(r -> resources.add(r.asText()));
          Instant time = null;
          if (e.hasNonNull("Time")) {
            JsonNode t = e.get("Time");
            time =
                t.isNumber()
                    ? Instant.ofEpochMilli((long) (t.asDouble() * 1000))
                    : Instant.parse(t.asText());
          }
          parsed.add(
              new Entry(
                  text(e, "Source"), text(e, "DetailType"), text(e, "Detail"), resources, time));
        }
        List<Result> results = putEvents(parsed);
        ObjectNode out = Json.object();
        ArrayNode outEntries = out.putArray("Entries");
        int failed = 0;
        for (Result r : results) {
          ObjectNode o = outEntries.addObject();
          if (r.eventId() != null) {
            o.put("EventId", r.eventId());
          } else {
            failed++;
            o.put("ErrorCode", r.errorCode());
            o.put("ErrorMessage", r.errorMessage());
          }
        }
        out.put("FailedEntryCount", failed);
        response.setStatus(200);
        response.setContentType("application/x-amz-json-1.1");
        response.getOutputStream().write(Json.writeBytes(out));
      }

      private String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
      }

      private void error(HttpServletResponse response, String type, String message)
          throws IOException {
        response.setStatus(400);
        response.setContentType("application/x-amz-json-1.1");
        response
            .getOutputStream()
            .write(Json.writeBytes(Map.of("__type", type, "message", message)));
      }
    };
  }
}
