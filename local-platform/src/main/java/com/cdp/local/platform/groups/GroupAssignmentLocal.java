package com.cdp.local.platform.groups;

import com.cdp.groups.task.GroupDirectory;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
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
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group assignment on the local platform, run from the template: an upload under {@code
 * group-assignments/} reaches the trigger function (its template S3 notification), whose real ECS
 * {@code RunTask} call starts the task definition as a JVM (the local ECS endpoint). This area only
 * claims the trigger and loads the seed of tile groups and members ({@code local/seed/groups.json})
 * when its content changed since it was last loaded into this data directory, so removals made by
 * uploads survive restarts.
 */
public final class GroupAssignmentLocal implements LocalService {
  private static final Logger LOG = LoggerFactory.getLogger(GroupAssignmentLocal.class);

  /** The seed file, relative to the repository root. */
  public static final Path DEFAULT_SEED = Path.of("local", "seed", "groups.json");

  private final Path seed;
  private List<OrganizationId> seededOrganizations = List.of();

  /** The {@code ./cdp local} configuration: the repository's seed. */
  public GroupAssignmentLocal() {
    this(null);
  }

  /** A given seed file ({@code null}: the repository's): for tests. */
  public GroupAssignmentLocal(Path seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "group-assignment";
  }

  @Override
  public List<String> templateFunctions() {
    return List.of(Triggers.Functions.GROUP_ASSIGNMENT_TRIGGER);
  }

  @Override
  public void start(LocalPlatform platform) {
    String table = platform.tableName(Tables.GROUPS);
    loadSeed(platform, new GroupDirectory(platform.dynamoDb(), table, Clock.systemUTC()));
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
