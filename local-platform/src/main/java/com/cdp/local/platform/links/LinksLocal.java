package com.cdp.local.platform.links;

import com.cdp.links.ApiKeys;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.platform.TemplateHttpApis;
import com.cdp.model.table.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

/**
 * The URL shortener on the local platform, from the template: the routes of the template's HTTP
 * APIs that invoke the url-shortener function ({@code POST /links}, {@code GET /links...} on the
 * gateway's own host and the short-link domains; {@code GET /{code}} only on the short-link domains
 * {@code localhost} and {@code *.localhost}, as the template's API mappings say), served on the
 * gateway ({@link TemplateHttpApis}) by that function running from its {@code -lambda.jar} in the
 * platform's function pool with the template's environment: short URLs are {@code
 * http://tcu.localhost:PORT/CODE} (the local environment's {@code SHORT_URL_ORIGIN} names the
 * gateway), organizations are the environment's ({@code tcu}, {@code demo}), and the API-key pepper
 * and cursor key are the template's generated secrets. At start it makes sure a valid API key for
 * the CLI ({@code ./cdp shorten}) is stored in {@code .cdp-local/links/cli-api-key}.
 */
public final class LinksLocal implements LocalService {
  /** The template function this area runs. */
  static final String FUNCTION = "url-shortener";

  /** The template's secret the API-key hashes are keyed with (the CLI issues keys with it too). */
  public static final String PEPPER_SECRET = "cdp/local/api-key-pepper";

  /** The CLI's API key, relative to the data directory (readable by its owner only). */
  public static final Path CLI_KEY_FILE = Path.of("links", "cli-api-key");

  /** The service name the CLI's key is issued to. */
  public static final String CLI_SERVICE = "cdp-cli";

  public static final String SHORT_DOMAIN = "localhost";

  /** The template's secret {@code GET /links} cursors are signed with (the cold-start harness). */
  public static final String CURSOR_SECRET = "cdp/local/links-cursor-key";

  @Override
  public String name() {
    return "links";
  }

  @Override
  public void start(LocalPlatform platform) {
    ApiKeys apiKeys =
        new ApiKeys(
            platform.dynamoDb(),
            platform.tableName(Tables.LINKS),
            platform.secrets().get(PEPPER_SECRET),
            Clock.systemUTC());
    ensureCliKey(apiKeys, platform.dataDir().resolve(CLI_KEY_FILE));
    platform.gateway().httpApis(TemplateHttpApis.ofFunction(platform, FUNCTION));
  }

  @Override
  public List<String> templateFunctions() {
    return List.of(FUNCTION);
  }

  /** Keeps the stored CLI key if it still verifies; otherwise issues and stores a new one. */
  private static void ensureCliKey(ApiKeys apiKeys, Path file) {
    try {
      // A key stored before key scopes existed, or under another pepper (the pepper was a local
      // secret before the template's), is replaced: the CLI's key acts for every org.
      if (Files.isRegularFile(file)
          && apiKeys
              .verify(Files.readString(file, StandardCharsets.US_ASCII).strip())
              .filter(k -> k.scope().allOrganizations())
              .isPresent()) {
        return;
      }
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "cli-api-key", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on non-POSIX file systems
      }
      Files.writeString(
          tmp, apiKeys.issue(CLI_SERVICE, ApiKeys.Scope.ALL).key(), StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the CLI's API key in " + file, e);
    }
  }

  @Override
  public List<String> hints(LocalPlatform platform) {
    int port = platform.gateway().port();
    return List.of(
        "shorten:  ./cdp shorten https://example.com --org tcu   (prints http://tcu.localhost:"
            + port
            + "/CODE)",
        "          curl -i http://tcu.localhost:"
            + port
            + "/CODE   (302; 403 expired; 404 unknown)");
  }
}
