package com.cdp.cli.local.groups;

import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.LocalService;
import com.cdp.groups.trigger.GroupAssignmentTriggerHandler;
import com.cdp.groups.trigger.TriggerService;
import com.cdp.model.groups.AssignmentRuns;
import com.cdp.model.groups.GroupDirectory;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group assignment on the local platform: an upload under {@code group-assignments/} invokes the
 * production trigger handler, whose task launcher runs the production task (in this JVM, or as a
 * child JVM like a container: {@code CDP_GROUP_TASK=jvm}). At start it loads the seed of tile
 * groups and members ({@code local/seed/groups.json}) when its content changed since it was last
 * loaded into this data directory, so removals made by uploads survive restarts.
 */
public final class GroupAssignmentLocal implements LocalService {
  private static final Logger LOG = LoggerFactory.getLogger(GroupAssignmentLocal.class);

  /** The seed file, relative to the repository root. */
  public static final Path DEFAULT_SEED = Path.of("local", "seed", "groups.json");

  /** Where the task runs locally. */
  public enum TaskRuntime {
    IN_PROCESS,
    CHILD_JVM
  }

  private final Path seed;
  private final TaskRuntime runtime;
  private List<OrganizationId> seededOrganizations = List.of();

  /** The {@code ./cdp local} configuration: the repository's seed; {@code CDP_GROUP_TASK=jvm}. */
  public GroupAssignmentLocal() {
    this(
        null,
        "jvm".equalsIgnoreCase(System.getenv("CDP_GROUP_TASK"))
            ? TaskRuntime.CHILD_JVM
            : TaskRuntime.IN_PROCESS);
  }

  /** A given seed file ({@code null}: the repository's) and task runtime: for tests. */
  public GroupAssignmentLocal(Path seed, TaskRuntime runtime) {
    this.seed = seed;
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return "group-assignment";
  }

  @Override
  public void start(LocalPlatform platform) {
    String table = platform.tableName(Tables.GROUPS);
    Clock clock = Clock.systemUTC();
    loadSeed(platform, new GroupDirectory(platform.dynamoDb(), table, clock));
    LocalTaskLauncher launcher =
        new LocalTaskLauncher(
            platform,
            runtime == TaskRuntime.CHILD_JVM
                ? LocalTaskLauncher.Mode.CHILD_JVM
                : LocalTaskLauncher.Mode.IN_PROCESS,
            List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    TriggerService service =
        new TriggerService(
            platform.buckets(),
            new AssignmentRuns(platform.dynamoDb(), table, clock),
            launcher,
            platform.logger(),
            Duration.ofMinutes(2),
            TriggerService.GivenIds.s3(platform.s3()));
    GroupAssignmentTriggerHandler handler =
        new GroupAssignmentTriggerHandler(service, platform.logger());
    platform.onObjectCreated(
        Triggers.GROUP_ASSIGNMENT_FILES, event -> handler.handleRequest(event, null));
  }

  private void loadSeed(LocalPlatform platform, GroupDirectory directory) {
    Path file = seed == null ? platform.repoRoot().resolve(DEFAULT_SEED) : seed;
    if (!Files.isRegularFile(file)) {
      LOG.info("no group seed at {}: define tile groups with './cdp groups define'", file);
      return;
    }
    GroupSeed parsed = GroupSeed.read(file);
    seededOrganizations = parsed.organizationIds();
    seededOrganizations.forEach(platform::ensureOrganization);
    Path marker = platform.dataDir().resolve("groups").resolve("seed-loaded.sha256");
    try {
      String hash = sha256(Files.readAllBytes(file));
      if (Files.isRegularFile(marker) && Files.readString(marker).strip().equals(hash)) {
        return;
      }
      GroupSeed.Loaded loaded = parsed.load(directory);
      LOG.info("group seed {} loaded: {}", file, loaded);
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, hash, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot load the group seed " + file + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<String> hints(LocalPlatform platform) {
    String org = seededOrganizations.isEmpty() ? "tcu" : seededOrganizations.get(0).value();
    return List.of(
        "group assignment: ./cdp groups list --org "
            + org
            + "   (tile groups and members; seed: "
            + DEFAULT_SEED
            + ")",
        "  ./cdp upload --org "
            + org
            + " group-assignments FILE.csv  -> group-assignments/reports/<name>.report.json");
  }
}
