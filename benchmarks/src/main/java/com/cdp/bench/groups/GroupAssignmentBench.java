package com.cdp.bench.groups;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.groups.task.AssignmentTask;
import com.cdp.groups.task.GroupDirectory;
import com.cdp.local.standin.Dynalite;
import com.cdp.local.standin.LocalResources;
import com.cdp.local.standin.LocalS3;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.groups.GroupKeys;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.TableDefinition;
import com.cdp.model.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The group-assignment task on an N-row file (default 100,000 rows: N/2 new members, each added to
 * two of four tile groups) against dynalite and S3Proxy, run as the container runs it: its {@code
 * Main} in a child JVM with a small heap ({@code -Xmx}, default 96m). Measures, in one run:
 *
 * <ul>
 *   <li>apply: validate + plan + conditional writes (N/2 enrollments + N memberships) + reports;
 *   <li>re-run of the same content (every row unchanged: reads only);
 *   <li>dry run of the same content on a fresh organization (validate + plan + reports, no writes);
 *   <li>baseline: the same N/2 + N items written by a plain single-threaded {@code BatchWriteItem}
 *       loop (25 per call, retrying unprocessed items) to the same endpoint;
 * </ul>
 *
 * and the task JVM's peak RSS (VmHWM) and its largest heap occupancy after a GC (from its GC log).
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *   com.cdp.bench.groups.GroupAssignmentBench [rows: 100000] [task -Xmx: 96m] [write concurrency: 16] \
 *   [paired rounds: 0 = one apply between two baselines, with re-run and dry run]
 * </pre>
 */
public final class GroupAssignmentBench {
  private static final List<String> GROUPS = List.of("Savers", "Young Adults", "Gold", "Mortgage");
  private static final Pattern GC_AFTER = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private GroupAssignmentBench() {}

  record TaskRun(
      double seconds,
      long exitCode,
      long peakRssKb,
      long peakHeapAfterGcMb,
      long peakHeapBeforeGcMb,
      JsonNode report) {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("baseline-child")) {
      // The baseline loop in a fresh JVM, as the task runs: args endpoint table rows org
      try (DynamoDbClient dynamoDb =
          AwsClients.dynamoDb(AwsTarget.local(java.net.URI.create(args[1])))) {
        baseline(dynamoDb, args[2], Integer.parseInt(args[3]), args[4]);
      }
      return;
    }
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String xmx = args.length > 1 ? args[1] : "96m";
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    // "warm": the apply runs in this JVM (warmed up, the same SDK clients as the baseline loop),
    // paired with the warm loop; "both" (default): the task JVM, paired with the loop warm and in a
    // fresh JVM.
    boolean warmOnly = args.length > 4 && args[4].equals("warm");
    Path repoRoot = Path.of("").toAbsolutePath();
    Path work = Files.createTempDirectory("group-bench");
    try (Dynalite dynalite = Dynalite.start(repoRoot, 0, Optional.empty());
        LocalS3 s3Server = LocalS3.start(0, Optional.empty(), created -> {})) {
      AwsTarget dynamoTarget = AwsTarget.local(dynalite.endpoint());
      AwsTarget s3Target = AwsTarget.local(s3Server.endpoint());
      try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(dynamoTarget);
          S3Client s3 = S3Clients.s3(s3Target)) {
        String table = Tables.GROUPS.physicalName("local");
        LocalResources.createTable(dynamoDb, Tables.GROUPS, table);
        TableDefinition baselineDef =
            new TableDefinition(
                "bench-baseline", Tables.PK, Optional.of(Tables.SK), List.of(), Optional.empty());
        String baselineTable = baselineDef.physicalName("local");
        LocalResources.createTable(dynamoDb, baselineDef, baselineTable);
        TableDefinition baselineDef2 =
            new TableDefinition(
                "bench-baseline-after",
                Tables.PK,
                Optional.of(Tables.SK),
                List.of(),
                Optional.empty());
        String baselineTable2 = baselineDef2.physicalName("local");
        LocalResources.createTable(dynamoDb, baselineDef2, baselineTable2);
        GroupDirectory directory = new GroupDirectory(dynamoDb, table, Clock.systemUTC());

        String csv = file(rows);
        System.out.printf(
            Locale.ROOT,
            "file: %d rows, %d members, %.1f MB%n",
            rows,
            rows / 2,
            csv.length() / 1e6);
        if (rounds > 0 && warmOnly) {
          warmRounds(s3, dynamoDb, directory, baselineTable, csv, rows, concurrency, rounds);
          return;
        }
        if (rounds > 0) {
          pairedRounds(
              work,
              dynalite,
              s3Server,
              s3,
              dynamoDb,
              directory,
              baselineTable,
              csv,
              rows,
              xmx,
              concurrency,
              rounds);
          return;
        }

        // Baseline first: the same items, plain BatchWriteItem loop.
        double baseline = baseline(dynamoDb, baselineTable, rows, "bench-baseline");

        OrganizationId applyOrg = org(directory, s3, "bench-apply");
        TaskRun apply =
            runTask(work, dynalite, s3Server, s3, applyOrg, "apply.csv", csv, xmx, concurrency);
        // The machine is shared: the baseline again right after the apply, so the apply is
        // bracketed by two baselines and compared with their mean.
        double baselineAfter = baseline(dynamoDb, baselineTable2, rows, "bench-baseline");
        TaskRun again =
            runTask(work, dynalite, s3Server, s3, applyOrg, "apply.csv", csv, xmx, concurrency);
        OrganizationId dryOrg = org(directory, s3, "bench-dry");
        TaskRun dry =
            runTask(
                work, dynalite, s3Server, s3, dryOrg, "preview.dryrun.csv", csv, xmx, concurrency);

        System.out.println();
        System.out.println(
            "| run | wall s | rows/s | vs baseline | exit | status | counts | peak RSS MB | max heap after GC MB | max heap before GC MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf(
            Locale.ROOT,
            "| baseline BatchWriteItem loop (%d items) | %.1f | %.0f | 1.00 | - | - | - | - | - | - |%n",
            rows + rows / 2,
            baseline,
            rows / baseline);
        System.out.printf(
            Locale.ROOT,
            "| baseline again, right after the apply | %.1f | %.0f | %.2f | - | - | - | - | - | - |%n",
            baselineAfter,
            rows / baselineAfter,
            baseline / baselineAfter);
        line("apply (first run)", rows, apply, baseline);
        line("re-run, same content", rows, again, baseline);
        line("dry run", rows, dry, baseline);
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "apply vs the mean of the two baselines around it: %.2f%n",
            ((baseline + baselineAfter) / 2) / apply.seconds());
        System.out.printf(
            Locale.ROOT,
            "task JVM: -Xmx%s -XX:+UseSerialGC, write concurrency %d%n",
            xmx,
            concurrency);
      }
    }
  }

  private static void line(String name, int rows, TaskRun run, double baseline) {
    JsonNode c = run.report() == null ? null : run.report().path("counts");
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %.0f | %.2f | %d | %s | %s | %.0f | %d | %d |%n",
        name,
        run.seconds(),
        rows / run.seconds(),
        baseline / run.seconds(),
        run.exitCode(),
        run.report() == null ? "-" : run.report().path("status").asText(),
        c == null
            ? "-"
            : "+"
                + c.path("added").asLong()
                + " enrolled "
                + c.path("partiallyEnrolled").asLong()
                + " unchanged "
                + c.path("unchanged").asLong(),
        run.peakRssKb() / 1024.0,
        run.peakHeapAfterGcMb(),
        run.peakHeapBeforeGcMb());
  }

  /**
   * The shared machine's load moves by more than the difference measured, so: short rounds, each
   * pairing the baseline loop (fresh keys) with an apply (fresh organization), in alternating
   * order; the ratio of each pair, their median, and the ratio of the summed times.
   */
  private static void pairedRounds(
      Path work,
      Dynalite dynalite,
      LocalS3 s3Server,
      S3Client s3,
      DynamoDbClient dynamoDb,
      GroupDirectory directory,
      String baselineTable,
      String csv,
      int rows,
      String xmx,
      int concurrency,
      int rounds)
      throws Exception {
    // warm-up: dynalite's JIT and the table's first writes, for both sides
    baseline(dynamoDb, baselineTable, Math.min(rows, 4_000), "bench-warm");
    runTask(
        work,
        dynalite,
        s3Server,
        s3,
        org(directory, s3, "bench-warm"),
        "warm.csv",
        file(Math.min(rows, 4_000)),
        xmx,
        concurrency);
    List<Double> ratios = new ArrayList<>();
    List<Double> coldRatios = new ArrayList<>();
    double baselineTotal = 0;
    double coldTotal = 0;
    double applyTotal = 0;
    for (int round = 1; round <= rounds; round++) {
      double base;
      double cold;
      TaskRun apply;
      OrganizationId org = org(directory, s3, "bench-apply-" + round);
      if (round % 2 == 1) {
        base = baseline(dynamoDb, baselineTable, rows, "bench-baseline-" + round);
        cold = coldBaseline(dynalite, baselineTable, rows, "bench-cold-" + round, xmx);
        apply = runTask(work, dynalite, s3Server, s3, org, "apply.csv", csv, xmx, concurrency);
      } else {
        apply = runTask(work, dynalite, s3Server, s3, org, "apply.csv", csv, xmx, concurrency);
        cold = coldBaseline(dynalite, baselineTable, rows, "bench-cold-" + round, xmx);
        base = baseline(dynamoDb, baselineTable, rows, "bench-baseline-" + round);
      }
      if (apply.exitCode() != 0
          || !"completed".equals(apply.report().path("status").asText())
          || apply.report().path("counts").path("added").asLong() != rows) {
        throw new IllegalStateException(
            "round " + round + ": the apply did not complete: " + apply.report());
      }
      ratios.add(base / apply.seconds());
      coldRatios.add(cold / apply.seconds());
      baselineTotal += base;
      coldTotal += cold;
      applyTotal += apply.seconds();
      System.out.printf(
          Locale.ROOT,
          "round %d (%s first, load %s): baseline loop %.1f s (in a fresh JVM %.1f s), apply %.1f s"
              + " (%,d added, %,d enrolled): %.2f (vs the fresh JVM %.2f)%n",
          round,
          round % 2 == 1 ? "baselines" : "apply",
          Files.readString(Path.of("/proc/loadavg")).split(" ")[0],
          base,
          cold,
          apply.seconds(),
          apply.report().path("counts").path("added").asLong(),
          apply.report().path("counts").path("partiallyEnrolled").asLong(),
          base / apply.seconds(),
          cold / apply.seconds());
    }
    coldRatios.sort(Double::compare);
    System.out.printf(
        Locale.ROOT,
        "BEST vs the baseline loop in a fresh JVM (started like the task, -Xmx%s): median %.2f"
            + " (min %.2f, max %.2f); summed times %.1f s / %.1f s = %.2f%n",
        xmx,
        coldRatios.size() % 2 == 1
            ? coldRatios.get(coldRatios.size() / 2)
            : (coldRatios.get(coldRatios.size() / 2 - 1) + coldRatios.get(coldRatios.size() / 2))
                / 2,
        coldRatios.get(0),
        coldRatios.get(coldRatios.size() - 1),
        coldTotal,
        applyTotal,
        coldTotal / applyTotal);
    List<Double> sorted = new ArrayList<>(ratios);
    sorted.sort(Double::compare);
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    System.out.printf(
        Locale.ROOT,
        "BEST paired rounds (%d, %d rows, %d items each): apply vs baseline median %.2f (min %.2f,"
            + " max %.2f); summed times %.1f s / %.1f s = %.2f; rounds >= 1.0: %d of %d%n",
        rounds,
        rows,
        rows + rows / 2,
        median,
        sorted.get(0),
        sorted.get(sorted.size() - 1),
        baselineTotal,
        applyTotal,
        baselineTotal / applyTotal,
        sorted.stream().filter(r -> r >= 1.0).count(),
        rounds);
  }

  /**
   * Both sides warm, in this JVM, with the same SDK clients: the task's {@code AssignmentTask.run}
   * (validate, plan, apply, reports: everything the container does after its JVM start) paired with
   * the plain loop, alternating order. Besides wall clock, each side's CPU (this process, which
   * also runs S3Proxy, plus dynalite's process) per measurement: with both cores saturated by other
   * work, the ratio of CPU spent for the same result is the steadier figure.
   */
  private static void warmRounds(
      S3Client s3,
      DynamoDbClient dynamoDb,
      GroupDirectory directory,
      String baselineTable,
      String csv,
      int rows,
      int concurrency,
      int rounds)
      throws Exception {
    AssignmentTask task =
        AssignmentTask.create(
            dynamoDb,
            s3,
            Tables.GROUPS.physicalName("local"),
            PlatformLogger.inMemory(new InMemoryLogPublisher()),
            new AssignmentTask.Settings(concurrency, 1_000_000, 10_000, Duration.ofHours(1)));
    // warm-up of both sides (JIT of the request path, dynalite's first writes)
    for (int i = 0; i < 2; i++) {
      baseline(dynamoDb, baselineTable, Math.min(rows, 10_000), "bench-warm-" + i);
      runInProcess(task, s3, org(directory, s3, "bench-warm-" + i), file(Math.min(rows, 10_000)));
    }
    ProcessHandle dynalite =
        ProcessHandle.current()
            .children()
            .filter(p -> p.info().commandLine().orElse("").contains("dynalite"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no dynalite child process"));
    List<Double> wall = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    double baseSeconds = 0;
    double applySeconds = 0;
    double baseCpu = 0;
    double applyCpu = 0;
    for (int round = 1; round <= rounds; round++) {
      OrganizationId org = org(directory, s3, "bench-apply-" + round);
      double[] base = null;
      double[] apply = null;
      for (int side = 0; side < 2; side++) {
        // ABBA: odd rounds baseline first, even rounds apply first
        boolean baselineNow = (side == 0) == (round % 2 == 1);
        cpuOf = dynalite;
        if (baselineNow) {
          double seconds = baseline(dynamoDb, baselineTable, rows, "bench-baseline-" + round);
          base = new double[] {seconds, lastCpuSeconds};
        } else {
          double seconds = runInProcess(task, s3, org, csv);
          apply = new double[] {seconds, lastCpuSeconds};
        }
      }
      wall.add(base[0] / apply[0]);
      cpu.add(base[1] / apply[1]);
      baseSeconds += base[0];
      applySeconds += apply[0];
      baseCpu += base[1];
      applyCpu += apply[1];
      System.out.printf(
          Locale.ROOT,
          "round %d (%s first, load %s): loop %.1f s (%.1f CPU-s), apply in-process %.1f s (%.1f"
              + " CPU-s): wall %.2f, CPU %.2f%n",
          round,
          round % 2 == 1 ? "loop" : "apply",
          Files.readString(Path.of("/proc/loadavg")).split(" ")[0],
          base[0],
          base[1],
          apply[0],
          apply[1],
          base[0] / apply[0],
          base[1] / apply[1]);
    }
    wall.sort(Double::compare);
    cpu.sort(Double::compare);
    int k = com.cdp.bench.ingestion.LoaderThroughput.medianLowRank(rounds);
    System.out.printf(
        Locale.ROOT,
        "BEST warm, in-process, %d rounds of %d rows (%d items): apply vs loop wall median %.2f"
            + " (95%% interval %s), summed %.1f s / %.1f s = %.2f; CPU (process + dynalite) median"
            + " %.2f (95%% interval %s), summed %.1f / %.1f CPU-s = %.2f%n",
        rounds,
        rows,
        rows + rows / 2,
        median(wall),
        k < 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.2f-%.2f", wall.get(k), wall.get(rounds - 1 - k)),
        baseSeconds,
        applySeconds,
        baseSeconds / applySeconds,
        median(cpu),
        k < 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.2f-%.2f", cpu.get(k), cpu.get(rounds - 1 - k)),
        baseCpu,
        applyCpu,
        baseCpu / applyCpu);
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** CPU of this process (the client, and S3Proxy) plus dynalite's, in nanoseconds. */
  private static long cpuNanos(ProcessHandle dynalite) {
    long own =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    return own + dynalite.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** The task's run in this JVM on an uploaded copy of {@code csv}; checks the counts. */
  private static double runInProcess(
      AssignmentTask task, S3Client s3, OrganizationId org, String csv) {
    String bucket = org.value() + "-data-delivery";
    String key = "group-assignments/apply.csv";
    String eTag = s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(csv)).eTag();
    AssignmentObject object =
        new AssignmentObject(
            org,
            bucket,
            key,
            Optional.empty(),
            Optional.of(eTag),
            Optional.of(UUID.randomUUID().toString()));
    long c0 = cpuOf == null ? 0 : cpuNanos(cpuOf);
    long t0 = System.nanoTime();
    AssignmentTask.Result result = task.run(object, "bench:in-process");
    double seconds = (System.nanoTime() - t0) / 1e9;
    lastCpuSeconds = cpuOf == null ? 0 : (cpuNanos(cpuOf) - c0) / 1e9;
    JsonNode report =
        Json.tree(
            s3.getObjectAsBytes(
                    r -> r.bucket(bucket).key("group-assignments/reports/apply.report.json"))
                .asString(StandardCharsets.UTF_8));
    int expected = csv.split("\n", -1).length - 2;
    if (result.exitCode() != 0
        || !"completed".equals(report.path("status").asText())
        || report.path("counts").path("added").asLong() != expected) {
      throw new IllegalStateException("the in-process apply did not complete: " + report);
    }
    return seconds;
  }

  // The CPU window of a warm measurement (this process + dynalite), the same as its clock's.
  private static ProcessHandle cpuOf;
  private static double lastCpuSeconds;

  /**
   * The baseline loop in a fresh JVM started like the task's (same heap, same classpath): the task
   * pays a JVM start and runs its request path cold, the in-process loop neither. Seconds from
   * launch to exit.
   */
  private static double coldBaseline(
      Dynalite dynalite, String table, int rows, String orgName, String xmx) throws Exception {
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                GroupAssignmentBench.class.getName(),
                "baseline-child",
                dynalite.endpoint().toString(),
                table,
                Integer.toString(rows),
                orgName)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the baseline JVM failed: exit " + process.exitValue());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static String file(int rows) {
    StringBuilder csv = new StringBuilder(rows * 24);
    csv.append("memberId,tileGroup,action\n");
    for (int i = 0; i < rows; i++) {
      int member = i / 2;
      String group = GROUPS.get((member + i % 2) % GROUPS.size());
      csv.append("m-").append(member).append(',').append(group).append(",add\n");
    }
    return csv.toString();
  }

  private static OrganizationId org(GroupDirectory directory, S3Client s3, String name) {
    OrganizationId org = OrganizationId.of(name);
    for (String g : GROUPS) {
      directory.defineTileGroup(org, TileGroupName.of(g), "benchmark group");
    }
    LocalResources.createBucket(s3, org.value() + "-data-delivery");
    return org;
  }

  /** The items the task writes for the file, written with a plain BatchWriteItem loop. */
  private static double baseline(DynamoDbClient dynamoDb, String table, int rows, String orgName) {
    OrganizationId org = OrganizationId.of(orgName);
    List<Map<String, AttributeValue>> items = new ArrayList<>(rows + rows / 2);
    String now = java.time.Instant.now().toString();
    for (int m = 0; m < rows / 2; m++) {
      MemberId member = MemberId.of("m-" + m);
      items.add(
          item(
              GroupKeys.memberPk(org, member),
              GroupKeys.ENROLLMENT_SK,
              org,
              member,
              "enrollment",
              "partial",
              now));
    }
    for (int i = 0; i < rows; i++) {
      MemberId member = MemberId.of("m-" + (i / 2));
      TileGroupName group = TileGroupName.of(GROUPS.get((i / 2 + i % 2) % GROUPS.size()));
      items.add(
          item(
              GroupKeys.groupPk(org, group),
              GroupKeys.memberSk(member),
              org,
              member,
              "tileGroup",
              group.value(),
              now));
    }
    long c0 = cpuOf == null ? 0 : cpuNanos(cpuOf);
    long start = System.nanoTime();
    for (int from = 0; from < items.size(); from += 25) {
      List<WriteRequest> batch = new ArrayList<>();
      for (Map<String, AttributeValue> item :
          items.subList(from, Math.min(items.size(), from + 25))) {
        batch.add(
            WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
      }
      Map<String, List<WriteRequest>> pending = Map.of(table, batch);
      while (!pending.isEmpty()) {
        Map<String, List<WriteRequest>> request = pending;
        BatchWriteItemResponse response = dynamoDb.batchWriteItem(r -> r.requestItems(request));
        pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    lastCpuSeconds = cpuOf == null ? 0 : (cpuNanos(cpuOf) - c0) / 1e9;
    return seconds;
  }

  private static Map<String, AttributeValue> item(
      String pk,
      String sk,
      OrganizationId org,
      MemberId member,
      String name,
      String value,
      String now) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, AttributeValue.fromS(pk));
    item.put(Tables.SK, AttributeValue.fromS(sk));
    item.put("organizationId", AttributeValue.fromS(org.value()));
    item.put("memberId", AttributeValue.fromS(member.value()));
    item.put(name, AttributeValue.fromS(value));
    item.put("at", AttributeValue.fromS(now));
    item.put(
        "by",
        AttributeValue.fromS(
            "file group-assignments/bench.csv (run ga-0123456789abcdef0123456789abcdef)"));
    return item;
  }

  /** Uploads the file and runs the task's Main in a child JVM, as ECS runs the container. */
  private static TaskRun runTask(
      Path work,
      Dynalite dynalite,
      LocalS3 s3Server,
      S3Client s3,
      OrganizationId org,
      String name,
      String csv,
      String xmx,
      int concurrency)
      throws Exception {
    String bucket = org.value() + "-data-delivery";
    String key = "group-assignments/" + name;
    String eTag = s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(csv)).eTag();
    AssignmentObject object =
        new AssignmentObject(
            org,
            bucket,
            key,
            Optional.empty(),
            Optional.of(eTag),
            Optional.of(UUID.randomUUID().toString()));
    Path gcLog = work.resolve("gc-" + UUID.randomUUID() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx,
                "-XX:+UseSerialGC",
                "-Xlog:gc:file=" + gcLog,
                "-cp",
                System.getProperty("java.class.path"),
                "com.cdp.groups.task.Main")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("task-" + name + ".out").toFile());
    Map<String, String> env = builder.environment();
    env.putAll(object.toEnvironment());
    env.put("CDP_ENV", "local");
    env.put("TABLE_GROUPS", Tables.GROUPS.physicalName("local"));
    env.put("CDP_DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
    env.put("CDP_S3_ENDPOINT", s3Server.endpoint().toString());
    env.put("GROUP_TASK_WRITE_CONCURRENCY", Integer.toString(concurrency));
    env.remove("LOG_TOPIC_ARN");
    long start = System.nanoTime();
    Process process = builder.start();
    long peakRss = 0;
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    while (process.isAlive()) {
      peakRss = Math.max(peakRss, hwm(status));
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long exit = process.exitValue();
    long after = 0;
    long before = 0;
    if (Files.exists(gcLog)) {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC_AFTER.matcher(line);
        if (m.find()) {
          before = Math.max(before, Long.parseLong(m.group(1)));
          after = Math.max(after, Long.parseLong(m.group(2)));
        }
      }
    }
    JsonNode report = null;
    if (exit == 0) {
      String base = name.substring(0, name.length() - 4);
      report =
          Json.tree(
              s3.getObjectAsBytes(
                      r ->
                          r.bucket(bucket)
                              .key("group-assignments/reports/" + base + ".report.json"))
                  .asString(StandardCharsets.UTF_8));
    } else {
      System.out.println(Files.readString(work.resolve("task-" + name + ".out")));
    }
    return new TaskRun(seconds, exit, peakRss, after, before, report);
  }

  private static long hwm(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (Exception gone) {
      // the process just exited
    }
    return 0;
  }
}
