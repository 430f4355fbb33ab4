package com.cdp.groups.task;

import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs the task on a generated N-row file twice (apply, then the same content again) with the
 * groups and files in memory, and prints both reports' counts. {@link LargeFileTest} runs it in a
 * JVM with a small heap: it shows the task's own memory use is bounded for large files.
 */
final class LargeFileProbe {
  static final List<String> GROUPS = List.of("Savers", "Young Adults", "Gold", "Mortgage");

  private LargeFileProbe() {}

  public static void main(String[] args) {
    int rows = Integer.parseInt(args[0]);
    StringBuilder csv = new StringBuilder(rows * 24).append("memberId,tileGroup,action\n");
    for (int i = 0; i < rows; i++) {
      int member = i / 2;
      csv.append("m-")
          .append(member)
          .append(',')
          .append(GROUPS.get((member + i % 2) % GROUPS.size()))
          .append(",add\n");
    }
    InMemoryFiles files = new InMemoryFiles();
    InMemoryGroupStore store =
        new InMemoryGroupStore(GROUPS.stream().map(TileGroupName::of).toList());
    AssignmentTask task =
        new AssignmentTask(
            store,
            files,
            files,
            PlatformLogger.inMemory(new InMemoryLogPublisher()),
            Clock.systemUTC(),
            new AssignmentTask.Settings(4, 1_000_000, 10_000, Duration.ofHours(1)));
    OrganizationId org = OrganizationId.of("probe");
    for (String run : List.of("first", "second")) {
      files.objects.put(
          "group-assignments/big.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
      AssignmentObject object =
          new AssignmentObject(
              org,
              "probe-data-delivery",
              "group-assignments/big.csv",
              Optional.empty(),
              Optional.of(run),
              Optional.empty());
      AssignmentTask.Result result = task.run(object, "probe");
      JsonNode report =
          Json.tree(new String(files.objects.get(result.reportKey()), StandardCharsets.UTF_8));
      System.out.println(
          run
              + ": exit="
              + result.exitCode()
              + " status="
              + report.path("status").asText()
              + " counts="
              + report.path("counts"));
    }
    csv.setLength(0);
  }
}
