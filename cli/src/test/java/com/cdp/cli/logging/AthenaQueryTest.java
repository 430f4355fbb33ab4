package com.cdp.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.cli.CdpCommand;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./cdp logs query --athena}: start, poll, page through results, against a fake Athena. */
class AthenaQueryTest {
  private static final String T1 = "11111111-0d4e-4f5a-9b6c-7d8e9f0a1b2c";

  private HttpServer server;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger polls = new AtomicInteger();
  private volatile String finalState = "SUCCEEDED";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    JsonNode body =
        Json.tree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    requests.add(Json.object().put("target", target).set("body", body));
    String response =
        switch (target) {
          case "AmazonAthena.StartQueryExecution" -> "{\"QueryExecutionId\":\"q-1\"}";
          case "AmazonAthena.GetQueryExecution" ->
              polls.incrementAndGet() < 3
                  ? execution("RUNNING", null)
                  : execution(
                      finalState,
                      finalState.equals("FAILED")
                          ? "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved"
                          : null);
          case "AmazonAthena.GetQueryResults" ->
              body.hasNonNull("NextToken")
                  ? page(List.of("tcu", "3"), null, false)
                  : page(List.of("demo", "5"), "page-2", true);
          case "AmazonAthena.StopQueryExecution" -> "{}";
          default -> "{}";
        };
    byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String execution(String state, String error) {
    return "{\"QueryExecution\":{\"QueryExecutionId\":\"q-1\",\"StatementType\":\"DML\",\"Status\":{\"State\":\""
        + state
        + "\""
        + (error == null
            ? ""
            : ",\"StateChangeReason\":\""
                + error
                + "\",\"AthenaError\":{\"ErrorMessage\":\""
                + error
                + "\"}")
        + "}}}";
  }

  private static String page(List<String> row, String next, boolean header) {
    String data =
        "{\"Data\":[{\"VarCharValue\":\""
            + row.get(0)
            + "\"},{\"VarCharValue\":\""
            + row.get(1)
            + "\"}]}";
    String headerRow =
        "{\"Data\":[{\"VarCharValue\":\"organizationID\"},{\"VarCharValue\":\"n\"}]},";
    return "{\"ResultSet\":{\"Rows\":["
        + (header ? headerRow : "")
        + data
        + "],\"ResultSetMetadata\":{\"ColumnInfo\":[{\"Name\":\"organizationid\",\"Label\":\"organizationID\",\"Type\":\"varchar\"},"
        + "{\"Name\":\"n\",\"Label\":\"n\",\"Type\":\"bigint\"}]}}"
        + (next == null ? "" : ",\"NextToken\":\"" + next + "\"")
        + "}";
  }

  private String[] args(String sql) {
    return new String[] {
      "logs",
      "query",
      "--athena",
      "--workgroup",
      "cdp-dev-logs",
      "--format",
      "csv",
      "--athena-endpoint",
      "http://127.0.0.1:" + server.getAddress().getPort(),
      sql
    };
  }

  @Test
  void athenaQuery_startsInTheWorkgroup_pollsUntilDone_andPagesThroughAllRows() {
    StringWriter out = new StringWriter();
    CommandLine cli = CdpCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    int code = cli.execute(args("SELECT organizationID, count(*) AS n FROM web GROUP BY 1"));

    assertThat(code).isZero();
    assertThat(out.toString().lines().toList())
        .containsExactly("organizationID,n", "demo,5", "tcu,3");
    JsonNode start = requests.get(0).get("body");
    assertThat(requests.get(0).get("target").asText())
        .isEqualTo("AmazonAthena.StartQueryExecution");
    assertThat(start.get("WorkGroup").asText()).isEqualTo("cdp-dev-logs");
    assertThat(start.get("QueryExecutionContext").get("Database").asText())
        .isEqualTo("cdp_dev_logs");
    assertThat(start.get("QueryString").asText()).startsWith("SELECT organizationID");
    assertThat(polls.get()).isEqualTo(3);
    assertThat(
            requests.stream()
                .filter(r -> r.get("target").asText().equals("AmazonAthena.GetQueryResults")))
        .hasSize(2);
  }

  @Test
  void failedAthenaQuery_printsAthenasMessageOnOneLine() {
    finalState = "FAILED";
    StringWriter err = new StringWriter();
    CommandLine cli = CdpCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args("SELECT nope FROM web"));

    assertThat(code).isNotZero();
    assertThat(err.toString().strip())
        .isEqualTo(
            "cdp: query failed: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved");
  }

  @Test
  void athenaWithoutWorkgroup_isRefusedWithAReason() {
    StringWriter err = new StringWriter();
    CommandLine cli = CdpCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("logs", "query", "--athena", "SELECT 1")).isNotZero();
    assertThat(err.toString()).contains("--athena needs --workgroup");
  }

  @Test
  void athenaTrace_needsADayRange_andFiltersOnThePartitionsOfThoseDays() {
    StringWriter err = new StringWriter();
    CommandLine cli = CdpCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    assertThat(
            cli.execute(
                "logs",
                "trace",
                "--athena",
                "--workgroup",
                "cdp-dev-logs",
                "--athena-endpoint",
                endpoint,
                T1))
        .isNotZero();
    assertThat(err.toString()).contains("--athena needs --from");

    finalState = "FAILED";
    CdpCommand.commandLine()
        .execute(
            "logs",
            "trace",
            "--athena",
            "--workgroup",
            "cdp-dev-logs",
            "--athena-endpoint",
            endpoint,
            "--from",
            "2026-11-27",
            "--to",
            "2026-11-28",
            T1);
    String sql = requests.get(0).get("body").get("QueryString").asText();
    assertThat(sql)
        .contains("m.transactionId = '" + T1 + "'")
        .contains(
            "(m.year = '2026' AND m.month = '11' AND m.day = '27') OR (m.year = '2026' AND m.month = '11' AND m.day = '28')")
        .contains("FROM \"container\" m LEFT JOIN UNNEST(m.events) AS t(e) ON true");
  }
}
