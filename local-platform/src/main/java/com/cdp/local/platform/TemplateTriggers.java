package com.cdp.local.platform;

import com.cdp.local.standin.ObjectCreated;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.cdp.schedules.ScheduleExpression;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's triggers on the local platform: EventBridge rules (pattern, input, retry policy,
 * dead-letter queue) whose targets are functions (invoked asynchronously) or log groups (an NDJSON
 * file each), EventBridge Scheduler schedules, and S3 notifications (prefix and suffix filters) of
 * the data-delivery buckets. A trigger of a function an area still runs in-process is left to the
 * area; every other target type is reported as not emulated, never dropped silently.
 */
final class TemplateTriggers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TemplateTriggers.class);
  private static final Duration TICK = Duration.ofMillis(250);

  private final LocalPlatform platform;
  private final List<String> report = new ArrayList<>();
  private final List<LocalTemplate.Notification> notifications = new ArrayList<>();
  private final List<LocalTemplate.Schedule> schedules = new ArrayList<>();
  private Thread scheduler;
  private volatile boolean stopping;

  TemplateTriggers(LocalPlatform platform) {
    this.platform = platform;
  }

  /** What was installed and what was left to areas or not emulated, one line each. */
  List<String> report() {
    return List.copyOf(report);
  }

  void start() {
    LocalTemplate template = platform.template();
    for (LocalTemplate.Rule rule : template.rules()) {
      if (!rule.enabled() || rule.eventPattern().isEmpty()) {
        if (rule.scheduleExpression().isPresent()) {
          report.add("rule " + rule.name() + ": schedule expressions on rules are not emulated");
        }
        continue;
      }
      for (LocalTemplate.Target target : rule.targets()) {
        installRuleTarget(rule, target);
      }
    }
    for (LocalTemplate.Schedule schedule : template.schedules()) {
      Optional<LocalTemplate.Function> f = template.function(schedule.target().arn());
      if (!schedule.enabled()) {
        continue;
      }
      if (f.isEmpty()) {
        report.add(
            "schedule "
                + schedule.name()
                + ": target "
                + schedule.target().arn()
                + " not emulated");
      } else if (platform.isInProcess(f.get())) {
        report.add("schedule " + schedule.name() + ": fired by an in-process area");
      } else if (!platform.isClaimed(f.get())) {
        report.add("schedule " + schedule.name() + ": no area on this platform runs its target");
      } else {
        schedules.add(schedule);
      }
    }
    for (LocalTemplate.Notification n : template.notifications()) {
      Optional<LocalTemplate.Function> f = template.function(n.functionArn());
      if (f.isPresent() && platform.isInProcess(f.get())) {
        report.add(
            "s3 " + n.bucketName() + " -> " + f.get().name() + ": run by an in-process area");
      } else if (f.isPresent() && !platform.isClaimed(f.get())) {
        report.add("s3 " + n.bucketName() + " -> " + f.get().name() + ": no area runs it");
      } else if (f.isPresent()) {
        notifications.add(n);
      } else {
        report.add("s3 " + n.bucketName() + ": target " + n.functionArn() + " not emulated");
      }
    }
    if (!schedules.isEmpty()) {
      scheduler = new Thread(this::runSchedules, "template-schedules");
      scheduler.setDaemon(true);
      scheduler.start();
    }
    report.forEach(line -> LOG.info("{}", line));
  }

  private void installRuleTarget(LocalTemplate.Rule rule, LocalTemplate.Target target) {
    String key = rule.name() + "/" + target.id();
    Optional<LocalTemplate.Function> function = platform.template().function(target.arn());
    Path deadLetters =
        target
            .deadLetterArn()
            .map(arn -> platform.functions().destinationFile(arn))
            .orElse(platform.dataDir().resolve("dead-letters/events.ndjson"));
    LocalEventBus.RetryPolicy policy =
        new LocalEventBus.RetryPolicy(
            target.maximumRetryAttempts(),
            Duration.ofSeconds(target.maximumEventAgeSeconds()),
            deadLetters);
    RuleInput input = new RuleInput(rule.name(), target);
    String pattern = rule.eventPattern().get();
    if (function.isPresent()) {
      if (platform.isInProcess(function.get())) {
        report.add("rule " + key + ": served by an in-process area");
        return;
      }
      if (!platform.isClaimed(function.get())) {
        report.add("rule " + key + ": no area on this platform runs " + function.get().name());
        return;
      }
      String arn = target.arn();
      platform
          .eventBus()
          .subscribe(
              key,
              pattern,
              event ->
                  platform.invokeAsync(arn, input.apply(event).getBytes(StandardCharsets.UTF_8)),
              policy);
    } else if (target.arn().contains(":logs:") && target.arn().contains(":log-group:")) {
      String group = target.arn().substring(target.arn().indexOf(":log-group:") + 11);
      Path file =
          platform
              .dataDir()
              .resolve("log-groups")
              .resolve(LocalSecrets.fileName(group.replaceFirst(":\\*$", "")) + ".ndjson");
      platform
          .eventBus()
          .subscribe(key, pattern, event -> append(file, input.apply(event)), policy);
    } else {
      report.add("rule " + key + ": target " + target.arn() + " not emulated");
    }
  }

  /** S3 object-created notifications: any organization's data-delivery bucket. */
  void objectCreated(ObjectCreated created) {
    // The template configures the same notifications on every organization's data-delivery
    // bucket; an organization made later (ensureOrganization) gets those of the first one.
    String configured = created.bucket();
    boolean inTemplate =
        notifications.stream().anyMatch(n -> n.bucketName().equals(created.bucket()));
    if (!inTemplate && platform.buckets().organizationOf(created.bucket()).isPresent()) {
      configured =
          notifications.stream()
              .map(LocalTemplate.Notification::bucketName)
              .filter(b -> platform.buckets().organizationOf(b).isPresent())
              .findFirst()
              .orElse(created.bucket());
    }
    for (LocalTemplate.Notification n : notifications) {
      if (!n.bucketName().equals(configured)
          || n.events().stream().noneMatch(e -> e.startsWith("s3:ObjectCreated:"))
          || !n.prefix().map(created.key()::startsWith).orElse(true)
          || !n.suffix().map(created.key()::endsWith).orElse(true)) {
        continue;
      }
      platform.invokeAsync(
          n.functionArn(),
          s3Event(created, platform.template().region()).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The S3 notification event Lambda receives; keys are URL-encoded as S3 encodes them. */
  static String s3Event(ObjectCreated created, String region) {
    ObjectNode record = Json.object();
    record.put("eventVersion", "2.1");
    record.put("eventSource", "aws:s3");
    record.put("awsRegion", region);
    record.put("eventTime", Instant.now().toString());
    record.put("eventName", "ObjectCreated:Put");
    record.putObject("userIdentity").put("principalId", "local");
    record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
    ObjectNode response = record.putObject("responseElements");
    response.put("x-amz-request-id", "local");
    response.put("x-amz-id-2", "local");
    ObjectNode s3 = record.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", "local");
    ObjectNode bucket = s3.putObject("bucket");
    bucket.put("name", created.bucket());
    bucket.putObject("ownerIdentity").put("principalId", "local");
    bucket.put("arn", "arn:aws:s3:::" + created.bucket());
    ObjectNode object = s3.putObject("object");
    object.put("key", URLEncoder.encode(created.key(), StandardCharsets.UTF_8).replace("%2F", "/"));
    object.put("size", created.size());
    object.put("eTag", created.eTag());
    object.put("sequencer", Long.toHexString(System.nanoTime()).toUpperCase());
    ObjectNode event = Json.object();
    ArrayNode records = event.putArray("Records");
    records.add(record);
    return Json.write(event);
  }

  private void runSchedules() {
    Instant anchor = Instant.now();
    List<ScheduleExpression> expressions = new ArrayList<>();
    List<Instant> next = new ArrayList<>();
    for (LocalTemplate.Schedule s : schedules) {
      ScheduleExpression e = ScheduleExpression.parse(s.expression());
      expressions.add(e);
      next.add(e.next(anchor, anchor, ZoneId.of(s.timezone())));
    }
    while (!stopping) {
      Instant now = Instant.now();
      for (int i = 0; i < schedules.size(); i++) {
        if (!now.isBefore(next.get(i))) {
          LocalTemplate.Schedule s = schedules.get(i);
          fire(s, next.get(i));
          // Missed fire times (a suspended laptop) are skipped, not replayed.
          next.set(i, expressions.get(i).next(now, anchor, ZoneId.of(s.timezone())));
        }
      }
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Fires a schedule now: the target's input, invoked asynchronously. */
  void fire(LocalTemplate.Schedule s) {
    fire(s, Instant.now());
  }

  /**
   * Fires a schedule for its fire time {@code scheduledTime}: the target's input with Scheduler's
   * context attributes replaced, as Scheduler does for templated targets, invoked asynchronously.
   */
  void fire(LocalTemplate.Schedule s, Instant scheduledTime) {
    String input = contextAttributes(s, scheduledTime, s.target().input().orElse("{}"));
    try {
      platform.invokeAsync(s.target().arn(), input.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.error("schedule {}: {}", s.name(), e.toString());
      s.target()
          .deadLetterArn()
          .ifPresent(
              arn -> {
                ObjectNode dead = Json.object();
                dead.put("schedule", s.name());
                dead.put("error", e.toString());
                dead.put("input", input);
                append(platform.functions().destinationFile(arn), Json.write(dead));
              });
    }
  }

  /**
   * Replaces EventBridge Scheduler's context attributes in a target's input: the schedule's ARN,
   * the fire's scheduled time (UTC), a new execution id, attempt 1.
   */
  String contextAttributes(LocalTemplate.Schedule s, Instant scheduledTime, String input) {
    String arn =
        "arn:aws:scheduler:"
            + platform.template().region()
            + ":"
            + com.cdp.local.template.Intrinsics.ACCOUNT
            + ":schedule/"
            + (s.group() == null || s.group().isEmpty() ? "default" : s.group())
            + "/"
            + s.name();
    return input
        .replace("<aws.scheduler.schedule-arn>", arn)
        .replace(
            "<aws.scheduler.scheduled-time>",
            scheduledTime.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString())
        .replace("<aws.scheduler.execution-id>", java.util.UUID.randomUUID().toString())
        .replace("<aws.scheduler.attempt-number>", "1");
  }

  /** The schedules the platform fires (not those an in-process area fires). */
  List<LocalTemplate.Schedule> schedules() {
    return List.copyOf(schedules);
  }

  private static synchronized void append(Path file, String line) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          line.replace("\n", " ") + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot append to " + file, e);
    }
  }

  @Override
  public void close() {
    stopping = true;
    if (scheduler != null) {
      scheduler.interrupt();
    }
  }
}
