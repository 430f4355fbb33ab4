package com.cdp.groups.task;

import com.cdp.groups.AssignmentRuns;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.Buckets;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.StandIns;
import com.cdp.testing.TestIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** One fresh organization on the stand-ins, with tile groups, and helpers to upload and inspect. */
final class TaskHarness {
  static final List<String> GROUPS = List.of("Savers", "Young Adults", "Gold");

  final StandIns standIns;
  final OrganizationId org = TestIds.org();
  final String bucket;
  final GroupDirectory directory;
  final AssignmentRuns runs;
  final InMemoryLogPublisher logs = new InMemoryLogPublisher();

  TaskHarness(StandIns standIns) {
    this.standIns = standIns;
    this.bucket = standIns.bucket(Buckets.of("local").dataDelivery(org));
    String table = standIns.tableName(Tables.GROUPS);
    this.directory = new GroupDirectory(standIns.dynamoDb(), table, Clock.systemUTC());
    this.runs = new AssignmentRuns(standIns.dynamoDb(), table, Clock.systemUTC());
    for (String g : GROUPS) {
      directory.defineTileGroup(org, TileGroupName.of(g), "test group " + g);
    }
  }

  AssignmentTask task() {
    return task(GroupStore.of(directory), AssignmentTask.Settings.DEFAULTS);
  }

  AssignmentTask task(GroupStore store, AssignmentTask.Settings settings) {
    return new AssignmentTask(
        store,
        RunRecords.of(runs),
        new S3FileStore(standIns.s3()),
        PlatformLogger.inMemory(logs),
        Clock.systemUTC(),
        settings);
  }

  /** Uploads {@code group-assignments/<name>} and names the exact object, as the trigger would. */
  AssignmentObject upload(String name, String content) {
    String key = "group-assignments/" + name;
    String eTag =
        standIns
            .s3()
            .putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content))
            .eTag();
    return new AssignmentObject(
        org,
        bucket,
        key,
        Optional.empty(),
        Optional.of(eTag),
        Optional.of(UUID.randomUUID().toString()));
  }

  AssignmentTask.Result uploadAndRun(String name, String content) {
    return task().run(upload(name, content), "test-task");
  }

  JsonNode report(String name) {
    return Json.tree(text(ReportKeys.report("group-assignments/" + name)));
  }

  String resultsText(String name) {
    return text(ReportKeys.results("group-assignments/" + name));
  }

  /** The results CSV as rows of cells, header first. */
  List<List<String>> results(String name) throws IOException {
    var reader = com.cdp.csv.StrictCsvReader.of(new StringReader(resultsText(name)), 100_000, 20);
    List<List<String>> rows = new ArrayList<>();
    for (var r = reader.next(); r != null; r = reader.next()) {
      if (!r.blank()) {
        rows.add(List.of(r.fields()));
      }
    }
    return rows;
  }

  String text(String key) {
    return standIns
        .s3()
        .getObjectAsBytes(r -> r.bucket(bucket).key(key))
        .asString(StandardCharsets.UTF_8);
  }

  /**
   * Every item of this organization in the groups table except run records, as text: equal
   * snapshots mean nothing changed.
   */
  Map<String, String> snapshot() {
    Map<String, String> items = new TreeMap<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanRequest.Builder scan =
          ScanRequest.builder()
              .tableName(standIns.tableName(Tables.GROUPS))
              .filterExpression("begins_with(pk, :org)")
              .expressionAttributeValues(
                  Map.of(":org", AttributeValue.fromS("ORG#" + org.value() + "#")));
      if (start != null) {
        scan.exclusiveStartKey(start);
      }
      ScanResponse page = standIns.dynamoDb().scan(scan.build());
      for (var item : page.items()) {
        if (!item.get("pk").s().contains("#RUN#")) {
          items.put(
              item.get("pk").s() + " | " + item.get("sk").s(), new TreeMap<>(item).toString());
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return items;
  }

  static String csv(String... rows) {
    return "memberId,tileGroup,action\n" + String.join("\n", rows) + "\n";
  }
}
