package com.cdp.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.cli.CdpCommand;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.logging.LocalLogStore;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.json.Json;
import com.cdp.testing.RepoRoot;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Messages published through the local platform's logger go through the local delivery stream into
 * the logs bucket and come back, one row each, from {@code ./cdp logs query}.
 */
class LoggingEndToEndTest {
  private static final int WEB = 120;
  private static final int APP = 45;
  private static final int HUB = 35;
  private static final String KEY =
      "logs/environment=local/organizationID=(tcu|demo)/logType=(web|app|agw|hub|connector|container)"
          + "/year=\\d{4}/month=(0[1-9]|1[0-2])/day=(0[1-9]|[12]\\d|3[01])/hour=([01]\\d|2[0-3])/[^/]+\\.gz";

  private static final String TRACE = "42424242-0d4e-4f5a-9b6c-7d8e9f0a1b2c";
  @TempDir static Path dataDir;
  private static final List<String> keys = new ArrayList<>();

  @BeforeAll
  static void publishThroughTheLocalPlatform() throws Exception {
    try (LocalPlatform platform =
        LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of())) {
      PlatformLogger logger = platform.logger();
      for (int i = 0; i < WEB; i++) {
        try (RequestLog log = logger.open(LogType.WEB, i % 3 == 0 ? "demo" : "tcu", "web-" + i)) {
          log.event("request", "GET /accounts", Map.of("status", 200));
          log.put("route", "GET /accounts");
        }
      }
      for (int i = 0; i < APP; i++) {
        try (RequestLog log = logger.open(LogType.APP, "tcu", "app-" + i)) {
          log.event("login", "member signed in").failure("profile", "timeout", Map.of("ms", 3000));
        }
      }
      for (int i = 0; i < HUB; i++) {
        logger
            .open(LogType.HUB, "demo", "hub-" + i)
            .event("call", "cdp-transfer/1/syncTransfers")
            .close();
      }
      // One transaction crossing three services, in this order.
      try (RequestLog log = logger.open(LogType.WEB, "tcu", TRACE)) {
        log.event("receive", "POST /transfers");
      }
      Thread.sleep(5);
      try (RequestLog log = logger.open(LogType.AGW, "tcu", TRACE)) {
        log.event("route", "to connector cdp-transfer");
      }
      Thread.sleep(5);
      try (RequestLog log = logger.open(LogType.HUB, "tcu", TRACE)) {
        log.failure("call", "connector answered 503");
      }
      logger.flush();
    }
    // A second start on the same data directory lists the objects through the S3 API.
    try (LocalPlatform platform =
        LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of())) {
      platform
          .s3()
          .listObjectsV2Paginator(r -> r.bucket(platform.buckets().logs()))
          .contents()
          .stream()
          .map(S3Object::key)
          .filter(k -> !k.endsWith("/"))
          .forEach(keys::add);
    }
  }

  private record Run(int code, String out, String err) {}

  private Run cdp(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = CdpCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private List<JsonNode> query(String sql) {
    Run run = cdp("logs", "query", "--data-dir", dataDir.toString(), "--format", "json", sql);
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    return run.out().lines().map(Json::tree).toList();
  }

  private long count(String sql) {
    return query(sql).get(0).get("n").asLong();
  }

  @Test
  void publishingNMessages_makesExactlyNRowsInLogsQuery() {
    assertThat(count("SELECT count(*) AS n FROM web")).isEqualTo(WEB + 1);
    assertThat(count("SELECT count(*) AS n FROM app")).isEqualTo(APP);
    assertThat(count("SELECT count(*) AS n FROM hub")).isEqualTo(HUB + 1);
    assertThat(count("SELECT count(*) AS n FROM agw")).isEqualTo(1);
    assertThat(count("SELECT count(*) AS n FROM connector")).isZero();
    assertThat(count("SELECT count(*) AS n FROM container")).isZero();
  }

  @Test
  void partitionColumns_areZeroPaddedStringsAndFilterRows() {
    assertThat(count("SELECT count(*) AS n FROM web WHERE organizationID = 'demo'"))
        .isEqualTo(WEB / 3);
    JsonNode row =
        query(
                "SELECT environment, organizationID, logType, year, month, day, hour FROM app LIMIT 1")
            .get(0);
    assertThat(row.get("environment").asText()).isEqualTo("local");
    assertThat(row.get("logType").asText()).isEqualTo("app");
    assertThat(row.get("month").asText()).hasSize(2);
    assertThat(row.get("hour").asText()).hasSize(2);
  }

  @Test
  void eventsAndFields_areQueryableWithTheSameSqlAsAthena() {
    assertThat(
            count(
                "SELECT count(*) AS n FROM app CROSS JOIN UNNEST(events) AS t(e) WHERE e.success = false"))
        .isEqualTo(APP);
    assertThat(count("SELECT count(*) AS n FROM web WHERE fields['route'] = 'GET /accounts'"))
        .isEqualTo(WEB);
    assertThat(count("SELECT count(*) AS n FROM app WHERE success = false")).isEqualTo(APP);
  }

  @Test
  void objectKeys_followTheContractLayout() {
    assertThat(keys).isNotEmpty().allMatch(k -> k.matches(KEY), "matches " + KEY);
    assertThat(keys).noneMatch(k -> k.startsWith("logs-errors/"));
  }

  @Test
  void trace_printsTheTransactionAcrossServicesInTimeOrder() {
    Run run = cdp("logs", "trace", "--data-dir", dataDir.toString(), TRACE);
    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    // A step per service (duration, success), its events indented, then the summary.
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0)).contains("web/tcu").contains(" ok ").endsWith(" ms");
    assertThat(lines.get(1)).startsWith("    ").contains("receive");
    assertThat(lines.get(2)).contains("agw/tcu").endsWith(" ms");
    assertThat(lines.get(3)).startsWith("    ").contains("route");
    assertThat(lines.get(4)).contains("hub/tcu").contains("FAIL");
    assertThat(lines.get(5)).startsWith("    ").contains("FAIL").contains("call");
    assertThat(lines.get(6)).startsWith("summary: 3 steps by 1 services").endsWith("1 failure");
  }

  @Test
  void trace_asJson_givesTheStepsAndTheSummary() {
    Run run = cdp("logs", "trace", "--data-dir", dataDir.toString(), "--format", "json", TRACE);
    assertThat(run.code()).as(run.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode json = com.cdp.model.json.Json.tree(run.out());
    assertThat(json.get("transactionId").asText()).isEqualTo(TRACE);
    assertThat(json.get("steps").findValuesAsText("logType")).containsExactly("web", "agw", "hub");
    assertThat(json.get("summary").get("failures").asInt()).isEqualTo(1);
    assertThat(json.get("summary").get("steps").asInt()).isEqualTo(3);
  }

  @Test
  void trace_ofAnUnknownTransaction_failsWithOneLine() {
    String nobody = "00000000-0000-4000-8000-000000000000";
    Run run = cdp("logs", "trace", "--data-dir", dataDir.toString(), nobody);
    assertThat(run.code()).isNotZero();
    assertThat(run.err().strip()).isEqualTo("cdp: no log messages with transactionId " + nobody);
    Run invalid = cdp("logs", "trace", "--data-dir", dataDir.toString(), "nobody");
    assertThat(invalid.code()).isNotZero();
    assertThat(invalid.err().strip()).startsWith("cdp: not a transactionId").hasLineCount(1);
  }

  @Test
  void sqlErrors_printTheEnginesMessageOnOneLine_neverAStackTrace() {
    for (String bad :
        List.of("SELEC count(*) FROM web", "SELECT * FROM nope", "SELECT nope FROM web")) {
      Run run = cdp("logs", "query", "--data-dir", dataDir.toString(), bad);
      assertThat(run.code()).isNotZero();
      assertThat(run.err().strip().lines()).hasSize(1);
      assertThat(run.err()).startsWith("cdp: ").contains("Error").doesNotContain("\tat ");
    }
  }

  @Test
  void tableFormat_printsAlignedColumnsAndARowCount() {
    Run run =
        cdp(
            "logs",
            "query",
            "--data-dir",
            dataDir.toString(),
            "SELECT organizationID, count(*) AS n FROM web GROUP BY 1 ORDER BY 1");
    assertThat(run.out().lines().toList())
        .containsExactly(
            "organizationID | n",
            "---------------+---",
            "demo           | 40",
            "tcu            | 81",
            "(2 rows)");
  }

  @Test
  void partitionFilters_makeTheLocalEngineReadFewerFiles() {
    try (DuckDbLogEngine engine = DuckDbLogEngine.open(LocalLogStore.directory(dataDir))) {
      long all = engine.filesRead("SELECT count(*) FROM web");
      long demo = engine.filesRead("SELECT count(*) FROM web WHERE organizationID = 'demo'");
      assertThat(all).isEqualTo(keys.stream().filter(k -> k.contains("/logType=web/")).count());
      assertThat(demo).isPositive().isLessThan(all);
    }
  }
}
