package com.cdp.cli.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.cli.CdpCommand;
import com.cdp.cli.EndpointsFile;
import com.cdp.cli.LocalEndpoints;
import com.cdp.links.LinkScope;
import com.cdp.links.LinkStore;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.platform.links.LinksLocal;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import com.cdp.testing.RawHttp;
import com.cdp.testing.RepoRoot;
import com.cdp.testing.TestIds;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short links end to end on the local platform, from the template: the CLI, HTTP and Host-routed
 * redirects, served by the url-shortener function running from its {@code -lambda.jar} with the
 * local environment's configuration (organizations {@code tcu} and {@code demo}). The redirect
 * cache's 30-second window is covered where its clock can be moved: {@code
 * UrlShortenerHandlerTest.cachedRedirect_showsAChangeFromAnotherContainer_within30Seconds...}.
 */
class LinksLocalTest {
  @TempDir static Path dataDir;
  static LocalPlatform platform;
  static LinksLocal links = new LinksLocal();

  // The local environment's organizations (the function's ORGANIZATIONS, from local.json).
  static OrganizationId org = OrganizationId.of("tcu");
  static OrganizationId second = OrganizationId.of("demo");
  static int port;

  @BeforeAll
  static void start() throws Exception {
    LocalService probe =
        new LocalService() {
          @Override
          public String name() {
            return "probe";
          }

          @Override
          public void start(LocalPlatform p) {
            p.gateway()
                .route(
                    new Triggers.Route("probe", "GET", "/probe"),
                    event -> {
                      var response =
                          new com.amazonaws.services.lambda.runtime.events
                              .APIGatewayV2HTTPResponse();
                      response.setStatusCode(200);
                      response.setBody("{\"probe\":true}");
                      return response;
                    });
          }
        };
    platform =
        LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of(links, probe));
    platform.ensureOrganization(org);
    port = platform.gateway().port();
    EndpointsFile.write(
        new LocalEndpoints(
            platform.gatewayUrl(),
            platform.s3Target().endpoint().orElseThrow(),
            platform.dynamoDbTarget().endpoint().orElseThrow()),
        dataDir,
        ProcessHandle.current().pid());
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  /**
   * Waits until the link's stored visit count reaches {@code expected} (the function writes counts
   * off the redirect path, within half a second), then returns the count.
   */
  private static long awaitVisits(LinkScope scope, String code, long expected) throws Exception {
    LinkStore store = new LinkStore(platform.dynamoDb(), platform.tableName(Tables.LINKS));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long visits;
    do {
      visits = store.get(scope, code).orElseThrow().visits();
      if (visits >= expected) {
        return visits;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return visits;
  }

  private static String[] cdp(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = CdpCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {String.valueOf(code), out.toString().strip(), err.toString().strip()};
  }

  private static HttpResponse<String> postLink(String apiKey, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/links"))
                .header("content-type", "application/json")
                .header("x-api-key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shorten_printsAnOrganizationShortUrl_thatRedirectsOnlyOnThatHost() throws Exception {
    String[] result =
        cdp(
            "shorten",
            "--data-dir",
            dataDir.toString(),
            "https://example.com/statement?id=42",
            "--org",
            org.value(),
            "--expires-in-days",
            "3");

    assertThat(result[0]).as(result[2]).isEqualTo("0");
    String shortUrl = result[1];
    assertThat(shortUrl)
        .matches("http://" + org.value() + "\\.localhost:" + port + "/[0-9A-Za-z]{8}");
    String code = shortUrl.substring(shortUrl.lastIndexOf('/') + 1);

    // curl -i -H 'Host: ORG.localhost' http://127.0.0.1:PORT/CODE
    RawHttp.Response redirect = RawHttp.get(port, org.value() + ".localhost:" + port, "/" + code);
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("https://example.com/statement?id=42");

    assertThat(RawHttp.get(port, "localhost:" + port, "/" + code).status()).isEqualTo(404);
    assertThat(RawHttp.get(port, "other-org.localhost", "/" + code).status()).isEqualTo(404);
    // Not a short-link host: the route does not answer at all.
    RawHttp.Response elsewhere = RawHttp.get(port, "127.0.0.1:" + port, "/" + code);
    assertThat(elsewhere.status()).isEqualTo(404);
    assertThat(elsewhere.body()).contains("Not Found");
  }

  @Test
  void shorten_withoutOrg_redirectsOnTheBareLocalhost() throws Exception {
    String[] result = cdp("shorten", "--data-dir", dataDir.toString(), "http://example.org/");
    assertThat(result[0]).as(result[2]).isEqualTo("0");
    assertThat(result[1]).startsWith("http://localhost:" + port + "/");
    String code = result[1].substring(result[1].lastIndexOf('/') + 1);

    RawHttp.Response redirect = RawHttp.get(port, "localhost:" + port, "/" + code);

    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("http://example.org/");
  }

  @Test
  void shorten_refusals_areOneLineErrors() {
    String[] badUrl = cdp("shorten", "--data-dir", dataDir.toString(), "ftp://example.com/x");
    assertThat(badUrl[0]).isEqualTo("1");
    assertThat(badUrl[2]).startsWith("cdp: HTTP 400 invalid_url: only http and https URLs");

    String[] unknownOrg =
        cdp(
            "shorten",
            "--data-dir",
            dataDir.toString(),
            "https://example.com",
            "--org",
            "no-such-org");
    assertThat(unknownOrg[0]).isEqualTo("1");
    assertThat(unknownOrg[2]).startsWith("cdp: HTTP 400 unknown_organization: ");

    String[] badKey =
        cdp(
            "shorten",
            "--data-dir",
            dataDir.toString(),
            "https://example.com",
            "--api-key",
            "nope");
    assertThat(badKey[2]).startsWith("cdp: HTTP 401 invalid_api_key: ");
  }

  @Test
  void apiKeys_createListRevoke_throughTheCli() throws Exception {
    String[] created =
        cdp(
            "api-keys",
            "create",
            "--data-dir",
            dataDir.toString(),
            "--service",
            "statements",
            "--all-organizations");
    assertThat(created[0]).as(created[2]).isEqualTo("0");
    String key = created[1];
    assertThat(key).matches("cdpk_[0-9A-Za-z]{12}_[0-9A-Za-z]{32}");
    String id = key.substring(5, 17);
    assertThat(postLink(key, "{\"url\":\"https://example.com/k\"}").statusCode()).isEqualTo(201);

    String[] listed = cdp("api-keys", "list", "--data-dir", dataDir.toString());
    assertThat(listed[1]).contains(id).contains("statements").doesNotContain(key.substring(18));

    assertThat(cdp("api-keys", "revoke", "--data-dir", dataDir.toString(), id)[0]).isEqualTo("0");
    HttpResponse<String> refused = postLink(key, "{\"url\":\"https://example.com/k\"}");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(cdp("api-keys", "revoke", "--data-dir", dataDir.toString(), "AAAAAAAAAAAA")[2])
        .isEqualTo("cdp: no API key with id AAAAAAAAAAAA");
  }

  @Test
  void customSlug_onTwoOrganizationHosts_andTakenSlug() throws Exception {
    String key = Files.readString(dataDir.resolve(LinksLocal.CLI_KEY_FILE)).strip();
    String slug = "card-" + TestIds.suffix();
    String body =
        "{\"url\":\"https://example.com/card\",\"slug\":\"" + slug + "\",\"organizationId\":";

    assertThat(postLink(key, body + "\"" + org + "\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> taken = postLink(key, body + "\"" + org + "\"}");
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(Json.tree(taken.body()).path("code").asText()).isEqualTo("slug_taken");
    assertThat(postLink(key, body + "\"" + second + "\"}").statusCode()).isEqualTo(201);

    assertThat(RawHttp.get(port, second + ".localhost", "/" + slug).status()).isEqualTo(302);
  }

  @Test
  void redirectRoute_neverShadowsOtherRoutes_offTheShortLinkHosts() throws Exception {
    // On the short-link domains only the short-link API answers (its API mapping, as in AWS);
    // on the gateway's own host /{code} is not served, so every other route stays reachable.
    RawHttp.Response probe = RawHttp.get(port, "127.0.0.1:" + port, "/probe");
    assertThat(probe.status()).isEqualTo(200);
    assertThat(probe.body()).contains("probe");
  }

  @Test
  void visits_areCounted() throws Exception {
    String[] result = cdp("shorten", "--data-dir", dataDir.toString(), "https://example.com/v");
    String code = result[1].substring(result[1].lastIndexOf('/') + 1);
    RawHttp.get(port, "localhost", "/" + code);
    RawHttp.get(port, "localhost", "/" + code);

    assertThat(awaitVisits(LinkScope.BARE, code, 2)).isEqualTo(2);
  }

  @Test
  void theCliKey_isStoredOwnerOnly_andSurvivesARestartCheck() throws Exception {
    Path file = dataDir.resolve(LinksLocal.CLI_KEY_FILE);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(file).strip()).matches("cdpk_[0-9A-Za-z]{12}_[0-9A-Za-z]{32}");
  }

  // --- issue 13 item 3: keys scoped to organizations, through the CLI

  @Test
  void apiKeys_scopedToAnOrganization_mayNotCreateForAnother_andAScopeIsRequired()
      throws Exception {
    OrganizationId other = second;
    String[] noScope =
        cdp("api-keys", "create", "--data-dir", dataDir.toString(), "--service", "sms");
    assertThat(noScope[0]).isNotEqualTo("0");
    String[] created =
        cdp(
            "api-keys",
            "create",
            "--data-dir",
            dataDir.toString(),
            "--service",
            "sms",
            "--org",
            org.value());
    assertThat(created[0]).as(created[2]).isEqualTo("0");
    String key = created[1];

    HttpResponse<String> own =
        postLink(key, "{\"url\":\"https://example.com\",\"organizationId\":\"" + org + "\"}");
    HttpResponse<String> foreign =
        postLink(key, "{\"url\":\"https://example.com\",\"organizationId\":\"" + other + "\"}");

    assertThat(own.statusCode()).isEqualTo(201);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(Json.tree(foreign.body()).path("code").asText())
        .isEqualTo("organization_not_allowed");
    String id = key.substring(5, 17);
    assertThat(cdp("api-keys", "list", "--data-dir", dataDir.toString())[1])
        .contains(id + "  sms")
        .contains("[" + org.value() + "]");
    String[] rescoped =
        cdp(
            "api-keys",
            "scope",
            "--data-dir",
            dataDir.toString(),
            id,
            "--org",
            org.value(),
            "--org",
            other.value());
    assertThat(rescoped[0]).as(rescoped[2]).isEqualTo("0");
    assertThat(
            postLink(key, "{\"url\":\"https://example.com\",\"organizationId\":\"" + other + "\"}")
                .statusCode())
        .isEqualTo(201);
  }

  // --- issue 19: the lifecycle through the CLI (links client) and the local gateway

  @Test
  void lifecycle_createExtendRevoke_then410_throughTheCli() throws Exception {
    String dir = dataDir.toString();
    String[] shortened =
        cdp(
            "shorten",
            "--data-dir",
            dir,
            "https://example.com/life",
            "--org",
            org.value(),
            "--expires-in-days",
            "2");
    assertThat(shortened[0]).as(shortened[2]).isEqualTo("0");
    String code = shortened[1].substring(shortened[1].lastIndexOf('/') + 1);
    assertThat(RawHttp.get(port, org + ".localhost", "/" + code).status()).isEqualTo(302);

    String[] extended =
        cdp("links", "extend", "--data-dir", dir, code, "--org", org.value(), "--days", "30");
    assertThat(extended[0]).as(extended[2]).isEqualTo("0");
    assertThat(extended[1]).contains("status:     active").contains("https://example.com/life");
    String[] shown = cdp("links", "show", "--data-dir", dir, code, "--org", org.value());
    assertThat(shown[1]).contains("visits:     ");

    String[] revoked = cdp("links", "revoke", "--data-dir", dir, code, "--org", org.value());
    assertThat(revoked[0]).as(revoked[2]).isEqualTo("0");
    assertThat(revoked[1]).contains("status:     revoked");
    RawHttp.Response gone = RawHttp.get(port, org + ".localhost", "/" + code);
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.body()).contains("link_revoked").contains("revoked");

    String[] again =
        cdp(
            "shorten",
            "--data-dir",
            dir,
            "https://evil.example",
            "--org",
            org.value(),
            "--slug",
            code);
    assertThat(again[2]).startsWith("cdp: HTTP 409 slug_taken: ");
    String[] unknown = cdp("links", "show", "--data-dir", dir, "NoSuchCode1", "--org", org.value());
    assertThat(unknown[2]).startsWith("cdp: HTTP 404 not_found: ");
  }

  @Test
  void listStatsAndQr_throughTheCli() throws Exception {
    OrganizationId listed = org;
    String dir = dataDir.toString();
    // Other tests make links in the same organization: this one lists the links of its own key.
    String[] lister =
        cdp(
            "api-keys",
            "create",
            "--data-dir",
            dir,
            "--service",
            "lister",
            "--org",
            listed.value());
    assertThat(lister[0]).as(lister[2]).isEqualTo("0");
    String listerId = lister[1].substring(5, 17);
    for (int i = 0; i < 3; i++) {
      String[] made =
          cdp(
              "shorten",
              "--data-dir",
              dir,
              "https://example.com/l" + i,
              "--org",
              listed.value(),
              "--api-key",
              lister[1]);
      assertThat(made[0]).as(made[2]).isEqualTo("0");
    }
    String[] page1 =
        cdp(
            "links",
            "list",
            "--data-dir",
            dir,
            "--org",
            listed.value(),
            "--created-by",
            listerId,
            "--limit",
            "2");
    assertThat(page1[0]).as(page1[2]).isEqualTo("0");
    assertThat(page1[1]).contains("next page: --cursor ");
    String cursor = page1[1].substring(page1[1].indexOf("--cursor ") + 9).strip();
    String[] page2 =
        cdp(
            "links",
            "list",
            "--data-dir",
            dir,
            "--org",
            listed.value(),
            "--created-by",
            listerId,
            "--cursor",
            cursor);
    assertThat(page2[1]).doesNotContain("next page");
    assertThat((page1[1] + page2[1]).split("https://example.com/l")).hasSize(4);

    String code = page2[1].lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
    RawHttp.get(port, listed + ".localhost", "/" + code);
    assertThat(awaitVisits(LinkScope.of(listed), code, 1)).isEqualTo(1);
    String[] stats = cdp("links", "stats", "--data-dir", dir, code, "--org", listed.value());
    assertThat(stats[1]).contains("total       1");

    Path png = dataDir.resolve("qr.png");
    String[] qr =
        cdp(
            "links",
            "qr",
            "--data-dir",
            dir,
            code,
            "--org",
            listed.value(),
            "--out",
            png.toString());
    assertThat(qr[0]).as(qr[2]).isEqualTo("0");
    assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
    Path svg = dataDir.resolve("qr.svg");
    cdp(
        "links",
        "qr",
        "--data-dir",
        dir,
        code,
        "--org",
        listed.value(),
        "--format",
        "svg",
        "--out",
        svg.toString());
    assertThat(Files.readString(svg)).startsWith("<svg");
  }

  @Test
  void expiredLink_answers403SayingSo_whileTheLinkBeforeItsExpiryRedirects() throws Exception {
    String[] shortened =
        cdp(
            "shorten",
            "--data-dir",
            dataDir.toString(),
            "https://example.com/old",
            "--org",
            second.value(),
            "--expires-in-days",
            "10");
    assertThat(shortened[0]).as(shortened[2]).isEqualTo("0");
    String code = shortened[1].substring(shortened[1].lastIndexOf('/') + 1);
    String[] fresh =
        cdp(
            "shorten",
            "--data-dir",
            dataDir.toString(),
            "https://example.com/new",
            "--org",
            org.value());
    String freshCode = fresh[1].substring(fresh[1].lastIndexOf('/') + 1);
    // Ten days later, written as data: the link's expiry is moved into the past (not yet visited,
    // so no container caches it).
    assertThat(
            new LinkStore(platform.dynamoDb(), platform.tableName(Tables.LINKS))
                .extend(
                    LinkScope.of(second),
                    code,
                    java.time.Instant.now().minus(Duration.ofMinutes(1))))
        .isTrue();

    RawHttp.Response expired = RawHttp.get(port, second + ".localhost", "/" + code);
    assertThat(expired.status()).isEqualTo(403);
    assertThat(expired.body()).contains("expired");
    assertThat(RawHttp.get(port, org + ".localhost", "/" + freshCode).status()).isEqualTo(302);
  }

  @Test
  void theFunction_readsAndWritesTheLinksTableAsItsTemplateRole_withNoDenial() throws Exception {
    String[] result = cdp("shorten", "--data-dir", dataDir.toString(), "https://example.com/iam");
    assertThat(result[0]).as(result[2]).isEqualTo("0");
    String code = result[1].substring(result[1].lastIndexOf('/') + 1);
    assertThat(RawHttp.get(port, "localhost", "/" + code).status()).isEqualTo(302);

    var door = platform.frontDoor().orElseThrow();
    String table =
        "arn:aws:dynamodb:us-east-1:000000000000:table/" + platform.tableName(Tables.LINKS);
    assertThat(door.accessLog().used())
        .extracting(u -> u.action() + " " + u.resource())
        .contains("dynamodb:PutItem " + table, "dynamodb:GetItem " + table);
    assertThat(door.accessLog().deniedCount()).as(String.join("\n", door.denialReport())).isZero();
  }
}
