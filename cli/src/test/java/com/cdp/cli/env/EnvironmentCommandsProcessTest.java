package com.cdp.cli.env;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.AccountOwnership;
import com.cdp.cli.CdpCommand;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.connectors.ConnectorsLocal;
import com.cdp.local.platform.ingestion.IngestionLocal;
import com.cdp.local.platform.links.LinksLocal;
import com.cdp.local.platform.realtime.RealtimeLocal;
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
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The commands against an environment, with the local platform posing as one: an environment file
 * with the platform's URLs and {@code AWS_ENDPOINT_URL_*} for its stand-ins, the default credential
 * chain, and each command run as a real process. Nothing here uses the local platform's endpoints
 * file: the commands find everything the way they do for dev or prod.
 */
class EnvironmentCommandsProcessTest {
  static final OrganizationId ORG = OrganizationId.of("tcu");
  static final MemberId MEMBER = MemberId.of("M-posing-1");
  static final AccountId ACCOUNT = AccountId.of("A-posing-1");

  @TempDir static Path data;
  @TempDir static Path environments;
  @TempDir static Path work;
  static LocalPlatform platform;
  static Map<String, String> posing;

  @BeforeAll
  static void start() throws Exception {
    platform =
        LocalPlatform.start(
            LocalOptions.forTests(data, RepoRoot.find()),
            List.of(
                new TransactionsLocal(),
                new RealtimeLocal(),
                new LinksLocal(),
                new IngestionLocal(),
                new ConnectorsLocal()));
    platform.ensureOrganization(ORG);
    URI gateway = platform.gatewayUrl();
    Files.writeString(
        environments.resolve("local.json"),
        Json.write(
            Map.of(
                "name",
                "local",
                "region",
                "us-east-1",
                "endpoints",
                Map.of(
                    "transactionsApi", gateway.toString(),
                    "linksApi", gateway.toString(),
                    "realtimeApi", gateway.toString(),
                    "realtimeWebSocket", gateway.toString().replace("http", "ws") + "/realtime",
                    "callConnectorFunction", "call-connector"))));
    Files.copy(
        RepoRoot.find().resolve("infra-cdk/environments/dev.json"),
        environments.resolve("dev.json"));
    Files.copy(
        RepoRoot.find().resolve("infra-cdk/environments/prod.json"),
        environments.resolve("prod.json"));

    posing = new HashMap<>();
    posing.put("CDP_ENV", "local");
    posing.put("CDP_ENVIRONMENTS_DIR", environments.toString());
    // No endpoints file where the commands would look for a running local platform.
    posing.put("CDP_LOCAL_DIR", work.resolve("no-platform-here").toString());
    posing.put("AWS_ACCESS_KEY_ID", "AKIAPOSINGASENV");
    posing.put("AWS_SECRET_ACCESS_KEY", "posing-secret");
    posing.put("AWS_REGION", "us-east-1");
    posing.put(
        "AWS_ENDPOINT_URL_DYNAMODB", platform.dynamoDbTarget().endpoint().orElseThrow().toString());
    posing.put("AWS_ENDPOINT_URL_S3", platform.s3Target().endpoint().orElseThrow().toString());
    posing.put("AWS_ENDPOINT_URL_EVENTBRIDGE", gateway + "/_aws/events");
    posing.put("AWS_ENDPOINT_URL_LAMBDA", gateway.toString());

    List<WriteRequest> writes = new ArrayList<>(AccountOwnership.writes(ORG, MEMBER, ACCOUNT));
    WarehouseTransaction txn =
        new WarehouseTransaction(
            ORG,
            MEMBER,
            ACCOUNT,
            TransactionId.of("posing-txn-1"),
            LocalDate.parse("2026-11-20"),
            Optional.empty(),
            Money.parse("-12.34"),
            "Coffee at the posing cafe",
            Optional.empty(),
            Optional.of(TransactionType.DEBIT),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "test",
            java.time.Instant.parse("2026-11-28T00:00:00Z"));
    writes.add(
        WriteRequest.builder().putRequest(PutRequest.builder().item(txn.toItem()).build()).build());
    platform
        .dynamoDb()
        .batchWriteItem(r -> r.requestItems(Map.of(platform.tableName(Tables.WAREHOUSE), writes)));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void sessionCreate_writesAMarkedSession_andSaysWhichEnvironment() throws Exception {
    Run run = cdp(posing, "session", "create", "--org", "tcu", "--member", MEMBER.value());

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.err).contains("cdp: environment local (us-east-1)");
    String token = run.out.strip();
    var item =
        platform
            .dynamoDb()
            .getItem(
                r ->
                    r.tableName(platform.tableName(Tables.SESSIONS))
                        .key(
                            Map.of(
                                Tables.PK,
                                AttributeValue.fromS(
                                    com.cdp.model.session.SessionToken.hash(token)))))
            .item();
    assertThat(item.get("createdBy").s()).isEqualTo("cli");
    long lifetime =
        Long.parseLong(item.get("expiresAt").n()) - Long.parseLong(item.get("createdAt").n());
    assertThat(lifetime).isLessThanOrEqualTo(TimeUnit.HOURS.toMillis(1));
  }

  @Test
  void sessionCreate_longerThanAnHour_isRefusedOutsideTheLocalPlatform() throws Exception {
    Run run = cdp(posing, "session", "create", "--org", "tcu", "--member", "M1", "--ttl", "2h");

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err).contains("at most 1h");
  }

  @Test
  void transactions_listenAndEvents_reachTheEnvironmentsApis() throws Exception {
    String token =
        cdp(posing, "session", "create", "--org", "tcu", "--member", MEMBER.value()).out.strip();
    Map<String, String> withToken = new HashMap<>(posing);
    withToken.put("CDP_SESSION_TOKEN", token);

    Run page = cdp(posing, "transactions", "--token", token, "--account", ACCOUNT.value());
    assertThat(page.exit).as(page.err).isZero();
    assertThat(page.out).contains("posing-txn-1").contains("-12.34");

    Process listen =
        start(
            withToken,
            "listen",
            "--topic",
            "account_balanceupdated",
            "--count",
            "1",
            "--max-reconnect-delay",
            "PT1S");
    try {
      // Publish until the listener (which needs a moment to connect and subscribe) prints it.
      String detail =
          "{\"organizationId\":\"tcu\",\"eventId\":\"posing-%d\",\"memberId\":\""
              + MEMBER.value()
              + "\",\"accountId\":\""
              + ACCOUNT.value()
              + "\",\"balance\":10.00,\"updatedAt\":\"2026-11-28T00:00:00Z\"}";
      for (int i = 0; i < 30 && listen.isAlive(); i++) {
        Run put =
            cdp(
                posing,
                "events",
                "put",
                "--detail-type",
                "account_balanceupdated",
                "--source",
                "cdp.platform",
                "--detail",
                String.format(detail, i));
        assertThat(put.exit).as(put.err).isZero();
        listen.waitFor(1, TimeUnit.SECONDS);
      }
      assertThat(listen.waitFor(10, TimeUnit.SECONDS)).isTrue();
      String printed = new String(listen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(printed).contains("\"topic\":\"account_balanceupdated\"");
      assertThat(listen.exitValue()).isZero();
    } finally {
      listen.destroyForcibly();
    }
  }

  @Test
  void upload_putsTheFileInTheOrganizationsBucketOfTheEnvironment() throws Exception {
    Path file = work.resolve("posing.csv");
    Files.writeString(
        file,
        "memberId,accountId,transactionId,postedDate,amount,description\n"
            + "M-up-1,A-up-1,t-1,2026-11-27,-1.00,Test row\n");

    Run run = cdp(posing, "upload", "--org", "tcu", "transactions", file.toString());

    assertThat(run.exit).as(run.err).isZero();
    String bucket = platform.buckets().dataDelivery(ORG);
    assertThat(run.out).contains("s3://" + bucket + "/transactions/posing.csv");
    assertThat(
            platform
                .s3()
                .headObject(r -> r.bucket(bucket).key("transactions/posing.csv"))
                .contentLength())
        .isPositive();
  }

  @Test
  void shortenAndHubRun_useTheEnvironmentsApiAndFunction() throws Exception {
    Map<String, String> withKey = new HashMap<>(posing);
    withKey.put("CDP_API_KEY", Files.readString(data.resolve(LinksLocal.CLI_KEY_FILE)).strip());

    Run shorten = cdp(withKey, "shorten", "https://example.com/statement", "--org", "tcu");
    assertThat(shorten.exit).as(shorten.err).isZero();
    assertThat(shorten.out).containsPattern("http://tcu\\.localhost:\\d+/\\S+");

    Run noKey = cdp(posing, "shorten", "https://example.com/x");
    assertThat(noKey.exit).isEqualTo(1);
    assertThat(noKey.err).contains("API key is required for local");

    Run hub = cdp(posing, "hub", "run", "tcu-sync-transfers");
    assertThat(hub.exit).as(hub.err).isZero();
    assertThat(hub.out).contains("syncTransfers");
  }

  @Test
  void failures_areOneLineNamingTheEnvironmentAndEndpoint() throws Exception {
    Map<String, String> unreachable = new HashMap<>(posing);
    unreachable.put("CDP_ENV", "dev");
    unreachable.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1");

    Run dev = cdp(unreachable, "session", "create", "--org", "tcu", "--member", "M1");

    assertThat(dev.exit).isEqualTo(1);
    assertThat(dev.err).contains("cdp: environment dev (us-east-1)");
    List<String> errors = dev.err.lines().filter(l -> !l.contains("environment dev")).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("cdp: [dev] ").contains("127.0.0.1:1");

    Map<String, String> noCredentials = new HashMap<>(unreachable);
    noCredentials.remove("AWS_ACCESS_KEY_ID");
    noCredentials.remove("AWS_SECRET_ACCESS_KEY");
    noCredentials.put("AWS_CONFIG_FILE", work.resolve("none").toString());
    noCredentials.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("none").toString());
    noCredentials.put("AWS_EC2_METADATA_DISABLED", "true");
    Run missing = cdp(noCredentials, "session", "create", "--org", "tcu", "--member", "M1");
    assertThat(missing.exit).isEqualTo(1);
    assertThat(missing.err).contains("cdp: [dev] ").contains("no AWS credentials found");

    Map<String, String> prod = new HashMap<>(posing);
    prod.put("CDP_ENV", "prod");
    Run refused = cdp(prod, "session", "create", "--org", "tcu", "--member", "M1");
    assertThat(refused.exit).isEqualTo(1);
    assertThat(refused.err.strip())
        .isEqualTo("cdp: refusing to act on production environment prod without --production");
  }

  @Test
  void logsQuery_forAnEnvironment_goesToItsAthenaWorkgroup() throws Exception {
    Map<String, String> athena = new HashMap<>(posing);
    athena.put("AWS_ENDPOINT_URL_ATHENA", "http://127.0.0.1:1");

    Run run = cdp(athena, "logs", "query", "SELECT 1");

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err.lines().filter(l -> l.startsWith("cdp: [local]")).toList())
        .singleElement()
        .asString()
        .contains("127.0.0.1:1");
  }

  record Run(int exit, String out, String err) {}

  static Run cdp(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("cdp " + String.join(" ", args) + " did not finish");
    }
    return new Run(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        Files.readString(errFile(p)));
  }

  static final Map<Process, Path> ERR = new java.util.concurrent.ConcurrentHashMap<>();

  static Path errFile(Process p) {
    return ERR.get(p);
  }

  static Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CdpCommand.class.getName());
    command.addAll(List.of(args));
    Path err = Files.createTempFile(work, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("CDP_"));
    builder.environment().put("CDP_HOME", RepoRoot.find().toString());
    builder.environment().putAll(env);
    Process p = builder.start();
    ERR.put(p, err);
    return p;
  }
}
