package com.cdp.cli.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.AccountOwnership;
import com.cdp.access.SessionService;
import com.cdp.cli.CdpCommand;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.transactions.TransactionsLocal;
import com.cdp.model.Money;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.id.TransactionId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.model.warehouse.WarehouseTransaction;
import com.cdp.testing.RepoRoot;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The transactions API on the local platform, through its public interfaces only: HTTP on the
 * gateway and the {@code ./cdp transactions} command.
 */
class TransactionsEndToEndTest {
  static final OrganizationId ORG = OrganizationId.of("e2e-cu");
  static final MemberId MEMBER = MemberId.of("member-1");
  static final AccountId ACCOUNT = AccountId.of("checking-1");
  static final int COUNT = 30;

  @TempDir static Path dataDir;
  static LocalPlatform platform;
  static String token;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    platform =
        LocalPlatform.start(
            LocalOptions.forTests(dataDir, RepoRoot.find()), List.of(new TransactionsLocal()));
    String table = platform.tableName(Tables.WAREHOUSE);
    List<WriteRequest> writes = new ArrayList<>(AccountOwnership.writes(ORG, MEMBER, ACCOUNT));
    for (int i = 1; i <= COUNT; i++) {
      WarehouseTransaction t =
          new WarehouseTransaction(
              ORG,
              MEMBER,
              ACCOUNT,
              TransactionId.of(String.format("txn-%03d", i)),
              LocalDate.parse("2026-10-01").plusDays(i),
              Optional.empty(),
              Money.parse(i % 5 == 0 ? "250.00" : "-" + i + ".99"),
              i % 5 == 0 ? "Payroll ACME" : "Card purchase " + i,
              Optional.empty(),
              Optional.of(i % 5 == 0 ? TransactionType.CREDIT : TransactionType.DEBIT),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              "test",
              Instant.parse("2026-11-28T00:00:00Z"));
      writes.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(t.toItem()).build()).build());
    }
    for (int i = 0; i < writes.size(); i += 25) {
      List<WriteRequest> batch = writes.subList(i, Math.min(i + 25, writes.size()));
      platform.dynamoDb().batchWriteItem(r -> r.requestItems(java.util.Map.of(table, batch)));
    }
    token =
        new SessionService(
                platform.dynamoDb(), platform.tableName(Tables.SESSIONS), Clock.systemUTC())
            .create(ORG, MEMBER, Duration.ofHours(1))
            .token();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void http_pagesThroughTheAccount_newestFirst_inFullPages() throws Exception {
    List<String> ids = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          Json.tree(
              get(
                      "/accounts/checking-1/transactions?limit=7"
                          + (cursor == null ? "" : "&cursor=" + cursor),
                      token)
                  .body());
      page.get("transactions").forEach(t -> ids.add(t.get("transactionId").asText()));
      sizes.add(page.get("transactions").size());
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);

    assertThat(sizes).containsExactly(7, 7, 7, 7, 2);
    assertThat(ids).hasSize(COUNT).doesNotHaveDuplicates();
    assertThat(ids.get(0)).isEqualTo("txn-030");
    assertThat(ids.get(COUNT - 1)).isEqualTo("txn-001");
  }

  @Test
  void http_refusals_arePreciseJsonErrors() throws Exception {
    HttpResponse<String> noToken = get("/accounts/checking-1/transactions", null);
    HttpResponse<String> otherAccount = get("/accounts/someone-else/transactions", token);
    HttpResponse<String> badLimit = get("/accounts/checking-1/transactions?limit=500", token);
    HttpResponse<String> badCursor = get("/accounts/checking-1/transactions?cursor=v1.x", token);

    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(Json.tree(noToken.body()).get("code").asText()).isEqualTo("session_missing");
    assertThat(otherAccount.statusCode()).isEqualTo(404);
    assertThat(Json.tree(otherAccount.body()).get("code").asText()).isEqualTo("account_not_found");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(Json.tree(badLimit.body()).get("code").asText()).isEqualTo("invalid_limit");
    assertThat(badCursor.statusCode()).isEqualTo(400);
    assertThat(Json.tree(badCursor.body()).get("code").asText()).isEqualTo("invalid_cursor");
  }

  @Test
  void cli_printsAPageAndTheNextCursor_andFollowsIt() {
    Run first = cdp("transactions", "--token", token, "--account", "checking-1", "--limit", "4");
    assertThat(first.exitCode).isZero();
    assertThat(first.out).contains("POSTED").contains("txn-030").contains("txn-027");
    Matcher m = Pattern.compile("nextCursor: (v1\\.\\S+)").matcher(first.out);
    assertThat(m.find()).isTrue();

    Run second =
        cdp(
            "transactions",
            "--token",
            token,
            "--account",
            "checking-1",
            "--limit",
            "4",
            "--cursor",
            m.group(1));
    assertThat(second.out).contains("txn-026").doesNotContain("txn-027");
  }

  @Test
  void cli_withFiltersAndAll_followsEveryCursor() {
    Run run =
        cdp(
            "transactions",
            "--token",
            token,
            "--account",
            "checking-1",
            "--limit",
            "2",
            "--q",
            "payroll acme",
            "--type",
            "credit",
            "--all");

    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("6 transaction(s) in 3 page(s)").contains("250.00");
    assertThat(run.out).doesNotContain("Card purchase");

    Run json =
        cdp(
            "transactions",
            "--token",
            token,
            "--account",
            "checking-1",
            "--limit",
            "10",
            "--type",
            "CREDIT",
            "--json");
    assertThat(json.out.strip())
        .startsWith("{\"transactions\":[")
        .contains("\"amount\":250.00")
        .endsWith("\"nextCursor\":null}");
  }

  @Test
  void cli_onARefusal_exitsNonZeroWithOneLine() {
    Run run = cdp("transactions", "--token", "A".repeat(43), "--account", "checking-1");

    assertThat(run.exitCode).isNotZero();
    assertThat(run.err.strip())
        .isEqualTo("cdp: HTTP 401 session_unknown: the session token is not known");
  }

  private static HttpResponse<String> get(String path, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  record Run(int exitCode, String out, String err) {}

  private static Run cdp(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoint");
    all.add(platform.gatewayUrl().toString());
    CommandLine cli = CdpCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }
}
