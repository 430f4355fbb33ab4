package com.cdp.cli.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.ingestion.IngestionLocal;
import com.cdp.local.platform.ingestion.SegmintSimulator;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.warehouse.MerchantEnrichment;
import com.cdp.testing.RepoRoot;
import com.cdp.warehouse.mock.MockTransactions;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The cleanser's real Segmint client against the local Segmint simulator, driven only through the
 * platform's public interfaces: a file put with the S3 API, results read from the warehouse.
 */
class SegmintEndToEndTest {
  /**
   * An organization the local environment configures (infra-cdk/environments/local.json): only
   * those get the template's bucket, notification and grants, so the functions may read and write
   * its files (IAM is enforced).
   */
  private static final OrganizationId DEMO = OrganizationId.of("demo");

  /**
   * Per test (not static), as is the platform: every test starts on an empty warehouse, so the
   * exact counts see only what the test itself uploaded, though all tests use {@link #DEMO}.
   */
  @TempDir Path dataDir;

  private LocalPlatform platform;
  private IngestionLocal ingestion;

  @BeforeEach
  void start() {
    ingestion = new IngestionLocal();
    platform =
        LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of(ingestion));
  }

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private void upload(OrganizationId org, String name, String csv) throws InterruptedException {
    String bucket = platform.ensureOrganization(org);
    platform
        .s3()
        .putObject(
            r -> r.bucket(bucket).key("transactions/" + name),
            RequestBody.fromBytes(csv.getBytes(StandardCharsets.UTF_8)));
    assertThat(platform.awaitIdle(Duration.ofSeconds(120))).as("platform idle").isTrue();
  }

  private List<Map<String, AttributeValue>> items(OrganizationId org) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    platform
        .dynamoDb()
        .scanPaginator(
            ScanRequest.builder()
                .tableName(platform.tableName(Tables.WAREHOUSE))
                .consistentRead(true)
                .build())
        .items()
        .forEach(
            i -> {
              if (i.containsKey("transactionId")
                  && org.value().equals(i.get("organizationId").s())) {
                out.add(i);
              }
            });
    return out;
  }

  private static String mockFile(int members, long seed) {
    StringWriter text = new StringWriter();
    MockTransactions.write(
        new MockTransactions.Options(members, 2, 5, seed, 0, LocalDate.parse("2026-11-27")), text);
    return text.toString();
  }

  @Test
  void mockFile_isCleansedBySegmint_keepsDescriptions_andRepeatsCostNoCall() throws Exception {
    OrganizationId org = DEMO;
    String csv = mockFile(6, 7);
    upload(org, "nightly.csv", csv);

    List<Map<String, AttributeValue>> items = items(org);
    assertThat(items).hasSize(csv.split("\r\n").length - 1);
    assertThat(items).allSatisfy(i -> assertThat(i).containsKeys("merchantName", "category"));
    assertThat(items)
        .as("descriptions unchanged (as written to the CSV, quotes doubled)")
        .allSatisfy(i -> assertThat(csv).contains(i.get("description").s().replace("\"", "\"\"")));

    Set<String> distinct = new HashSet<>();
    for (Map<String, AttributeValue> i : items) {
      MerchantEnrichment e = MerchantEnrichment.fromAttribute(i.get(MerchantEnrichment.ATTRIBUTE));
      String description = i.get("description").s();
      distinct.add(
          description
              + "|"
              + s(i, "merchantCategoryCode")
              + "|"
              + i.get("amount").n().startsWith("-"));
      assertThat(e).as(description).isNotNull();
      assertThat(e.source()).isEqualTo("segmint");
      if (description.contains("STARBUCKS")) {
        assertThat(i.get("merchantName").s()).isEqualTo("STARBUCKS");
        assertThat(e.category1()).isEqualTo("COFFEE SHOPS");
        assertThat(e.category2()).isEqualTo("FOOD & DINING");
        assertThat(e.logoUrl()).endsWith("starbucks.svg");
        assertThat(e.city()).isEqualTo("SEATTLE");
        assertThat(e.matchType()).isEqualTo("SIMILAR");
        assertThat(i.get("category").s()).isEqualTo("Dining");
      }
      if (description.contains("PAYROLL")) {
        assertThat(e.matchType()).isEqualTo("NO_MATCH");
        assertThat(i.get("merchantName").s()).isEqualTo("Acme Corp Payroll");
      }
    }
    SegmintSimulator segmint = ingestion.segmint();
    assertThat(segmint.tokenRequests()).isEqualTo(1);
    // One call per distinct request (description, MCC, debit/credit), and the file does repeat
    // descriptions (the payroll line, for one).
    assertThat(segmint.cleanseRequests()).isEqualTo(distinct.size());
    assertThat(distinct.size()).isLessThan(items.size());
  }

  @Test
  void revokedToken_and429Burst_midway_areRecoveredFrom_withoutLosingEnrichment() throws Exception {
    OrganizationId org = DEMO;
    upload(org, "first.csv", mockFile(2, 1));
    SegmintSimulator segmint = ingestion.segmint();
    assertThat(segmint.tokenRequests()).isEqualTo(1);

    segmint.expireTokens();
    assertThat(post("/_simulator/throttle?requests=3&retryAfter=1", null, "").statusCode())
        .isEqualTo(200);
    upload(org, "second.csv", mockFile(2, 2));

    assertThat(segmint.tokenRequests()).as("one new token after the 401").isEqualTo(2);
    List<Map<String, AttributeValue>> items = items(org);
    assertThat(items).allSatisfy(i -> assertThat(i).containsKey(MerchantEnrichment.ATTRIBUTE));
  }

  private HttpResponse<String> post(String path, String authorization, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + SegmintSimulator.PATH + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void simulator_speaksTheDocumentedApi_andRefusesWhatSegmintRefuses() throws Exception {
    String secret =
        Json.tree(platform.secrets().get(SegmintSimulator.CREDENTIALS_SECRET))
            .path("clientSecret")
            .asText();
    String good =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (SegmintSimulator.CLIENT_ID + ":" + secret).getBytes(StandardCharsets.UTF_8));
    String bad =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (SegmintSimulator.CLIENT_ID + ":nope").getBytes(StandardCharsets.UTF_8));
    assertThat(post("/auth/v1/token?grant_type=token", bad, "").statusCode()).isEqualTo(401);
    assertThat(post("/auth/v1/token", good, "").statusCode()).isEqualTo(400);
    HttpResponse<String> token = post("/auth/v1/token?grant_type=token", good, "");
    assertThat(token.statusCode()).isEqualTo(200);
    String bearer = "Bearer " + Json.tree(token.body()).path("access_token").asText();
    assertThat(Json.tree(token.body()).path("expires_in").asLong()).isPositive();

    String cleanse =
        "/v2/partners/" + SegmintSimulator.PARTNER_ID + "/merchants/cleanse-transaction/";
    String sample =
        "{\"merchantDescription\":\"SHELL OIL               CHICAGO     ILUS\",\"mcc\":\"5541\"}";
    assertThat(post(cleanse, "Bearer not-a-token", sample).statusCode()).isEqualTo(401);
    assertThat(
            post("/v2/partners/someone-else/merchants/cleanse-transaction/", bearer, sample)
                .statusCode())
        .isEqualTo(403);
    assertThat(post(cleanse, bearer, "{\"mcc\":\"5541\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> answer = post(cleanse, bearer, sample);
    assertThat(answer.statusCode()).isEqualTo(200);
    var json = Json.tree(answer.body());
    assertThat(json.path("matchType").asText()).isEqualTo("SIMILAR");
    assertThat(json.at("/matchDetail/cleansed").asText()).isEqualTo("SHELL OIL");
    assertThat(json.at("/matchDetail/category1/classification").asText()).isEqualTo("GAS STATIONS");
    assertThat(
            Json.tree(post(cleanse, bearer, "{\"merchantDescription\":\"ZZZ\"}").body())
                .path("matchType")
                .asText())
        .isEqualTo("NO_MATCH");

    segmint429(bearer, cleanse, sample);
  }

  private void segmint429(String bearer, String cleanse, String sample) throws Exception {
    ingestion.segmint().throttleNext(2, 7);
    HttpResponse<String> first = post(cleanse, bearer, sample);
    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("retry-after")).contains("7");
    assertThat(post(cleanse, bearer, sample).statusCode()).isEqualTo(429);
    assertThat(post(cleanse, bearer, sample).statusCode()).isEqualTo(200);
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? "" : v.s();
  }
}
