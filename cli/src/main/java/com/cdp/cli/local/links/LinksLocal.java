package com.cdp.cli.local.links;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.cli.local.HttpHandler;
import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.LocalService;
import com.cdp.links.ApiKeys;
import com.cdp.links.CodeSource;
import com.cdp.links.LinkCache;
import com.cdp.links.LinkService;
import com.cdp.links.LinkStore;
import com.cdp.links.ShortHosts;
import com.cdp.links.UrlShortenerHandler;
import com.cdp.links.VisitCounter;
import com.cdp.model.cursor.SignedCursors;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The URL shortener on the local platform: the production {@link UrlShortenerHandler} behind {@code
 * POST /links} (any host) and {@code GET /{code}} (only for {@code localhost} and {@code
 * *.localhost} hosts, so it never shadows other routes). The short domain is {@code localhost} on
 * the gateway port ({@code http://tcu.localhost:4510/CODE}); the organizations are those with a
 * data-delivery bucket; the API-key pepper is a local secret. At start it makes sure a valid API
 * key for the CLI ({@code ./cdp shorten}) is stored in {@code .cdp-local/links/cli-api-key}.
 */
public final class LinksLocal implements LocalService {
  /** The local secret the API-key hashes are keyed with. */
  public static final String PEPPER_SECRET = "api-key-pepper";

  /** The CLI's API key, relative to the data directory (readable by its owner only). */
  public static final Path CLI_KEY_FILE = Path.of("links", "cli-api-key");

  /** The service name the CLI's key is issued to. */
  public static final String CLI_SERVICE = "cdp-cli";

  public static final String SHORT_DOMAIN = "localhost";

  /** The local secret {@code GET /links} cursors are signed with. */
  public static final String CURSOR_SECRET = "links-cursor-key";

  private LocalPlatform platform;
  private ApiKeys apiKeys;
  private LinkStore store;
  private VisitCounter visits;
  private volatile UrlShortenerHandler handler;
  private final Clock cacheClock;

  public LinksLocal() {
    this(Clock.systemUTC());
  }

  /** With the clock the redirect cache ages its entries by (tests move it instead of sleeping). */
  public LinksLocal(Clock cacheClock) {
    this.cacheClock = cacheClock;
  }

  @Override
  public String name() {
    return "links";
  }

  @Override
  public void start(LocalPlatform platform) {
    this.platform = platform;
    String table = platform.tableName(Tables.LINKS);
    store = new LinkStore(platform.dynamoDb(), table);
    apiKeys =
        new ApiKeys(
            platform.dynamoDb(), table, platform.secrets().get(PEPPER_SECRET), Clock.systemUTC());
    visits = new VisitCounter(store);
    ensureCliKey(platform.dataDir().resolve(CLI_KEY_FILE));
    HttpHandler lazy = this::handle;
    for (Triggers.Route route : Triggers.ROUTES) {
      if (!route.function().equals(Triggers.Functions.URL_SHORTENER)) {
        continue;
      }
      if (route.path().equals("/{code}")) {
        platform.gateway().route(route, LinksLocal::isShortHost, lazy);
      } else {
        platform.gateway().route(route, lazy);
      }
    }
  }

  /** {@code localhost} and its subdomains: where local short links live. */
  static boolean isShortHost(String host) {
    return host.equals(SHORT_DOMAIN) || host.endsWith("." + SHORT_DOMAIN);
  }

  private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    return handler().handle(event);
  }

  /** Built on first use: short URLs carry the gateway's port, known only once it listens. */
  UrlShortenerHandler handler() {
    UrlShortenerHandler h = handler;
    if (h == null) {
      synchronized (this) {
        h = handler;
        if (h == null) {
          if (platform.gateway().port() <= 0) {
            throw new IllegalStateException("the local gateway is not listening yet");
          }
          LinkService service =
              new LinkService(
                  store,
                  apiKeys,
                  this::hasDataDeliveryBucket,
                  new ShortHosts(SHORT_DOMAIN, "http", platform.gateway().port()),
                  CodeSource.secureRandom(CodeSource.DEFAULT_LENGTH),
                  visits,
                  Clock.systemUTC(),
                  new LinkService.Options(
                      new LinkCache(
                          cacheClock, LinkCache.DEFAULT_MAX_AGE, LinkCache.DEFAULT_MAX_ENTRIES),
                      Optional.of(
                          new SignedCursors(
                              platform.secrets().get(CURSOR_SECRET),
                              Clock.systemUTC(),
                              Duration.ofHours(1))),
                      Map.of()));
          h = new UrlShortenerHandler(service, platform.logger());
          handler = h;
        }
      }
    }
    return h;
  }

  /** The local organization directory: an organization exists when its bucket does. */
  private boolean hasDataDeliveryBucket(com.cdp.model.id.OrganizationId org) {
    try {
      platform.s3().headBucket(r -> r.bucket(platform.buckets().dataDelivery(org)));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Keeps the stored CLI key if it still verifies; otherwise issues and stores a new one. */
  private void ensureCliKey(Path file) {
    try {
      // A key stored before key scopes existed is replaced: the CLI's key acts for every org.
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

  /** The visit counter (tests wait on it). */
  public VisitCounter visits() {
    return visits;
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

  @Override
  public void close() {
    if (visits != null) {
      visits.close();
    }
  }
}
