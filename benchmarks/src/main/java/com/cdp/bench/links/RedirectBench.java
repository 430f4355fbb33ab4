package com.cdp.bench.links;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.links.ApiKeys;
import com.cdp.links.CodeSource;
import com.cdp.links.LinkCache;
import com.cdp.links.LinkScope;
import com.cdp.links.LinkService;
import com.cdp.links.LinkStore;
import com.cdp.links.ShortHosts;
import com.cdp.links.UrlShortenerHandler;
import com.cdp.links.VisitCounter;
import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.platform.links.LinksLocal;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Redirect latency (p50/p99) and throughput of {@code GET /{code}} on the local platform, against
 * the limit: a fixed 302 answered by a trivial route on the same gateway, measured in the same run
 * with the same HTTP client. The redirect path is the production handler: host check, DynamoDB
 * {@code GetItem} on dynalite unless the link is in the container's {@link LinkCache} (a hot link),
 * expiry check, the visit count handed to the background counter, an {@code app} request log and
 * its flush.
 *
 * <p>Since the links flow runs from the template (links14), {@code GET /{code}} goes from the
 * gateway to the url-shortener function's own JVM (its {@code -lambda.jar} on the local Runtime
 * API), whose DynamoDB calls pass the IAM front door; the in-process rows below call the same
 * handler without that hop, so their difference is the local runtime's and the front door's cost.
 *
 * <p>The two sides run in interleaved one-second slices ({@code seconds} of each), so load from
 * other processes weighs on both alike; the same GetItem straight to dynalite is reported too.
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * com.cdp.bench.links.RedirectBench [seconds=5] [concurrency=1,8] [links=50]}.
 */
public final class RedirectBench {
  private static final String FIXED_PATH = "/_bench/fixed";

  public static void main(String[] args) throws Exception {
    // Java resolves "localhost" (not *.localhost); the gateway listens on IPv4 only.
    System.setProperty("java.net.preferIPv4Stack", "true");
    Map<String, String> options = new java.util.HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "5"));
    int[] concurrencies =
        Arrays.stream(options.getOrDefault("concurrency", "1,8").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int linkCount = Integer.parseInt(options.getOrDefault("links", "50"));

    Path dir = Files.createTempDirectory("redirect-bench");
    LinksLocal links = new LinksLocal();
    LocalService fixed =
        new LocalService() {
          @Override
          public String name() {
            return "bench-fixed-302";
          }

          @Override
          public void start(LocalPlatform platform) {
            platform
                .gateway()
                .route(
                    new Triggers.Route("bench", "GET", FIXED_PATH),
                    event ->
                        APIGatewayV2HTTPResponse.builder()
                            .withStatusCode(302)
                            .withHeaders(
                                Map.of(
                                    "Location", "https://example.com/fixed",
                                    "Cache-Control", "no-store"))
                            .build());
          }
        };
    try (LocalPlatform platform =
        LocalPlatform.start(LocalOptions.forTests(dir, repoRoot()), List.of(links, fixed))) {
      int port = platform.gateway().port();
      String apiKey = Files.readString(dir.resolve(LinksLocal.CLI_KEY_FILE)).strip();
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      List<URI> shortUrls = new ArrayList<>();
      for (int i = 0; i < linkCount; i++) {
        HttpResponse<String> created =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/links"))
                    .header("content-type", "application/json")
                    .header("x-api-key", apiKey)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"url\":\"https://example.com/target/" + i + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
          throw new IllegalStateException("could not create a link: " + created.body());
        }
        shortUrls.add(URI.create(Json.tree(created.body()).path("shortUrl").asText()));
      }
      List<URI> fixedUrls = List.of(URI.create("http://localhost:" + port + FIXED_PATH));

      System.out.printf(
          "redirect bench: %d links, %d interleaved 1 s slices per side, %d cores, JDK %s, load"
              + " average %s%n",
          linkCount,
          seconds,
          Runtime.getRuntime().availableProcessors(),
          Runtime.version(),
          loadAverage());
      // Warm up both paths (JIT, connection pools, dynalite's LevelDB cache).
      slice(http, fixedUrls, 2, Duration.ofSeconds(2));
      slice(http, shortUrls, 2, Duration.ofSeconds(2));
      for (int c : concurrencies) {
        // Interleaved one-second slices, so a busy machine weighs on both sides alike.
        List<long[]> baseSamples = new ArrayList<>();
        List<long[]> redirectSamples = new ArrayList<>();
        double baseSeconds = 0;
        double redirectSeconds = 0;
        for (int round = 0; round < seconds; round++) {
          Slice b = slice(http, fixedUrls, c, Duration.ofSeconds(1));
          Slice r = slice(http, shortUrls, c, Duration.ofSeconds(1));
          baseSamples.add(b.samples());
          baseSeconds += b.seconds();
          redirectSamples.add(r.samples());
          redirectSeconds += r.seconds();
        }
        Result base = Result.of(baseSamples, baseSeconds);
        Result redirect = Result.of(redirectSamples, redirectSeconds);
        System.out.printf(
            Locale.ROOT,
            "concurrency %d%n  fixed 302  : %s%n  GET /{code}: %s%n  ratio      : p50 x%.2f, p99 x%.2f, throughput %.0f%% of the fixed 302%n",
            c,
            base,
            redirect,
            redirect.p50() / base.p50(),
            redirect.p99() / base.p99(),
            100.0 * redirect.perSecond() / base.perSecond());
      }
      // Where the time goes: the same GetItem the handler makes, straight to dynalite.
      LinkStore store = new LinkStore(platform.dynamoDb(), platform.tableName(Tables.LINKS));
      // The in-process handler's own counter (the platform's function counts in its JVM).
      VisitCounter visits = new VisitCounter(store);
      List<String> codes = shortUrls.stream().map(u -> u.getPath().substring(1)).toList();
      Result getItem = timed(codes, Duration.ofSeconds(seconds), c -> store.get(LinkScope.BARE, c));
      System.out.printf("GetItem alone, in-process (1 client): %s%n", getItem);
      // The production handler called in-process (no HTTP), with the platform's logger: without
      // the cache (every redirect reads) and with it (what a hot link costs).
      for (boolean cached : new boolean[] {false, true}) {
        UrlShortenerHandler handler =
            new UrlShortenerHandler(
                new LinkService(
                    store,
                    new ApiKeys(
                        platform.dynamoDb(),
                        platform.tableName(Tables.LINKS),
                        platform.secrets().get(LinksLocal.PEPPER_SECRET),
                        Clock.systemUTC()),
                    org -> true,
                    new ShortHosts(LinksLocal.SHORT_DOMAIN, "http", port),
                    CodeSource.secureRandom(CodeSource.DEFAULT_LENGTH),
                    visits,
                    Clock.systemUTC(),
                    new LinkService.Options(
                        cached
                            ? new LinkCache(
                                Clock.systemUTC(),
                                LinkCache.DEFAULT_MAX_AGE,
                                LinkCache.DEFAULT_MAX_ENTRIES)
                            : LinkCache.disabled(Clock.systemUTC()),
                        Optional.empty(),
                        Map.of())),
                platform.logger());
        Result inProcess =
            timed(
                codes,
                Duration.ofSeconds(seconds),
                c -> {
                  var response =
                      handler.handle(
                          APIGatewayV2HTTPEvent.builder()
                              .withRouteKey("GET /{code}")
                              .withRawPath("/" + c)
                              .withPathParameters(Map.of("code", c))
                              .withRequestContext(
                                  APIGatewayV2HTTPEvent.RequestContext.builder()
                                      .withDomainName(LinksLocal.SHORT_DOMAIN)
                                      .build())
                              .build());
                  if (response.getStatusCode() != 302) {
                    throw new IllegalStateException(c + " answered " + response.getStatusCode());
                  }
                });
        System.out.printf(
            "handler, in-process (1 client, %s): %s%n",
            cached ? "cache   " : "no cache", inProcess);
      }
      visits.awaitIdle(Duration.ofSeconds(30));
      System.out.printf(
          "in-process visit counter: %d visits written, %d lost; load average at the end %s%n",
          visits.written(), visits.lost(), loadAverage());
      visits.close();
    }
  }

  record Slice(long[] samples, double seconds) {}

  record Result(long requests, double perSecond, double p50, double p99) {
    static Result of(List<long[]> slices, double seconds) {
      long[] merged = slices.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return new Result(
          merged.length,
          merged.length / seconds,
          merged[(int) (merged.length * 0.50)] / 1e6,
          merged[Math.min(merged.length - 1, (int) (merged.length * 0.99))] / 1e6);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%7d requests, %8.0f req/s, p50 %6.3f ms, p99 %6.3f ms",
          requests,
          perSecond,
          p50,
          p99);
    }
  }

  /** {@code clients} threads each sending requests back to back for {@code duration}. */
  static Slice slice(HttpClient http, List<URI> urls, int clients, Duration duration)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + duration.toNanos();
    long started = System.nanoTime();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      int offset = t;
      futures.add(
          pool.submit(
              () -> {
                long[] samples = new long[1 << 12];
                int n = 0;
                int i = offset;
                while (System.nanoTime() < end) {
                  URI uri = urls.get(i++ % urls.size());
                  long t0 = System.nanoTime();
                  HttpResponse<Void> r =
                      http.send(
                          HttpRequest.newBuilder(uri).GET().build(),
                          HttpResponse.BodyHandlers.discarding());
                  long t1 = System.nanoTime();
                  if (r.statusCode() != 302) {
                    throw new IllegalStateException(uri + " answered " + r.statusCode());
                  }
                  if (n == samples.length) {
                    samples = Arrays.copyOf(samples, n * 2);
                  }
                  samples[n++] = t1 - t0;
                }
                return Arrays.copyOf(samples, n);
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      all.add(f.get());
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    return new Slice(all.stream().flatMapToLong(Arrays::stream).toArray(), elapsed);
  }

  /** One caller running {@code call} back to back over the codes for {@code duration}. */
  static Result timed(
      List<String> codes, Duration duration, java.util.function.Consumer<String> call) {
    long[] samples = new long[1 << 12];
    int n = 0;
    long started = System.nanoTime();
    long end = started + duration.toNanos();
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      call.accept(codes.get(n % codes.size()));
      long t1 = System.nanoTime();
      if (n == samples.length) {
        samples = Arrays.copyOf(samples, n * 2);
      }
      samples[n++] = t1 - t0;
    }
    return Result.of(List.of(Arrays.copyOf(samples, n)), (System.nanoTime() - started) / 1e9);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("package.json"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run from inside the repository (node_modules is needed)");
  }
}
