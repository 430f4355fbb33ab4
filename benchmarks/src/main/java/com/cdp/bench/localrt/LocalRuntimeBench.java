package com.cdp.bench.localrt;

import com.cdp.local.platform.LocalOptions;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.runtime.FunctionPool;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.local.template.CloudAssembly;
import com.cdp.local.template.LocalTemplate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The template-driven local runtime's numbers (docs/BENCHMARKS.md, "Local runtime"):
 *
 * <ol>
 *   <li>added latency of a warm invoke through the local Runtime API: a no-op handler in its own
 *       JVM via the function pool vs the same handler called in-process, p50/p90 of N calls each;
 *       and the same no-op behind a route of an HTTP API on the gateway (an HTTP request from a
 *       client, the payload 2.0 event, the pool, the mapped response) vs the handler given that
 *       event in-process;
 *   <li>cold start of every function of the synthesized local template as seen locally: launch of
 *       its JVM to the answer of its first invocation (an empty event {}: every handler answers it,
 *       mostly with its validation error, after its full init), then one warm invocation;
 *   <li>RSS of the whole platform (this JVM with the in-process stand-ins, dynalite, and every
 *       function's JVM) with every function warm.
 * </ol>
 *
 * <pre>java -cp $CP com.cdp.bench.localrt.LocalRuntimeBench "$PWD" 500</pre>
 */
public final class LocalRuntimeBench {
  private LocalRuntimeBench() {}

  public static void main(String[] args) throws Exception {
    Path repoRoot = Path.of(args[0]).toAbsolutePath();
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Path assembly = repoRoot.resolve("infra-cdk/target/cdk-local");
    if (CloudAssembly.ensure(repoRoot, assembly)) {
      System.out.println("synthesized the local template");
    }
    Path data = Files.createTempDirectory("localrt-bench");
    // As ./cdp local starts it (every area), with the assembly already synthesized.
    long t0 = System.nanoTime();
    try (LocalPlatform platform = LocalPlatform.start(LocalOptions.forTests(data, repoRoot))) {
      System.out.printf(
          "platform ready (template read, stand-ins, every area, gateway): %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      FunctionPool pool = platform.functions();
      warmLatency(pool, platform, data, n);
      coldStarts(platform);
      rss();
    }
  }

  private static void warmLatency(FunctionPool pool, LocalPlatform platform, Path data, int n)
      throws IOException, InterruptedException {
    LocalTemplate.Function noop = NoopHandler.function(data, "Noop", "noop");
    byte[] payload = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
    NoopHandler direct = new NoopHandler();
    // The no-op behind a route of an HTTP API, served by the gateway as the template's APIs are
    // (TemplateHttpApis): request -> payload 2.0 event -> pool -> answer -> response.
    LocalTemplate.Api api =
        new LocalTemplate.Api(
            "NoopApi",
            "noop-api",
            "HTTP",
            Optional.empty(),
            List.of(new LocalTemplate.Route("GET /noop/{id}", noop.arn(), Optional.of("2.0"))),
            List.of());
    platform
        .gateway()
        .httpApis(
            new com.cdp.local.platform.TemplateHttpApis(
                List.of(api), (arn, event) -> pool.invokeSync(noop, event)));
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    java.net.http.HttpRequest get =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(platform.gatewayUrl() + "/noop/42?x=1"))
            .build();
    // The baseline of the gateway path: the same handler given the same event in-process.
    byte[] event =
        com.cdp.local.api.HttpPayloads.event(
                new com.cdp.local.api.HttpPayloads.Request(
                    "GET",
                    "/noop/42",
                    "x=1",
                    Map.of("host", List.of("127.0.0.1")),
                    new byte[0],
                    "HTTP/1.1",
                    "127.0.0.1",
                    "127.0.0.1"),
                new com.cdp.local.api.HttpApiRouter.Match(api.routes().get(0), Map.of("id", "42")),
                "noop-api",
                "r",
                java.time.Instant.now())
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 200; i++) {
      pool.invoke(noop, payload); // warm-up: JIT on both sides
      callDirect(direct, payload);
      viaGateway(http, get);
      callDirect(direct, event);
    }
    long[] viaPool = new long[n];
    long[] inProcess = new long[n];
    long[] gateway = new long[n];
    long[] inProcessEvent = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      InvocationResult r = pool.invoke(noop, payload);
      viaPool[i] = System.nanoTime() - t0;
      if (r.failed()) {
        throw new IllegalStateException("noop failed: " + r.payloadText());
      }
      long t1 = System.nanoTime();
      callDirect(direct, payload);
      inProcess[i] = System.nanoTime() - t1;
      long t2 = System.nanoTime();
      viaGateway(http, get);
      gateway[i] = System.nanoTime() - t2;
      long t3 = System.nanoTime();
      callDirect(direct, event);
      inProcessEvent[i] = System.nanoTime() - t3;
    }
    Arrays.sort(viaPool);
    Arrays.sort(inProcess);
    Arrays.sort(gateway);
    Arrays.sort(inProcessEvent);
    System.out.printf(
        "warm HTTP round trip through the gateway route, %d calls: p50 %.3f ms p90 %.3f ms;"
            + " the handler on the same event in-process p50 %.4f ms p90 %.4f ms; added p50"
            + " %.3f ms%n",
        n,
        gateway[n / 2] / 1e6,
        gateway[n * 9 / 10] / 1e6,
        inProcessEvent[n / 2] / 1e6,
        inProcessEvent[n * 9 / 10] / 1e6,
        (gateway[n / 2] - inProcessEvent[n / 2]) / 1e6);
    double p50Pool = viaPool[n / 2] / 1e6;
    double p50Direct = inProcess[n / 2] / 1e6;
    System.out.printf(
        "warm invoke, %d calls: via Runtime API p50 %.3f ms p90 %.3f ms; in-process p50 %.4f ms"
            + " p90 %.4f ms; added p50 %.3f ms%n",
        n,
        p50Pool,
        viaPool[n * 9 / 10] / 1e6,
        p50Direct,
        inProcess[n * 9 / 10] / 1e6,
        p50Pool - p50Direct);
  }

  private static void viaGateway(java.net.http.HttpClient http, java.net.http.HttpRequest get)
      throws IOException, InterruptedException {
    java.net.http.HttpResponse<byte[]> response =
        http.send(get, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    // The no-op echoes the event, which has no statusCode: API Gateway's simple shape, 200.
    if (response.statusCode() != 200 || response.body().length == 0) {
      throw new IllegalStateException("the gateway route answered " + response.statusCode());
    }
  }

  private static void callDirect(NoopHandler handler, byte[] payload) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(payload), out, null);
    if (out.size() != payload.length) {
      throw new IllegalStateException("noop changed the payload");
    }
  }

  private static void coldStarts(LocalPlatform platform) {
    FunctionPool pool = platform.functions();
    System.out.println(
        "| function | jar (MB) | cold: launch to first answer (ms) | warm (ms) | answer |");
    System.out.println("|---|---|---|---|---|");
    List<String> failures = new ArrayList<>();
    for (LocalTemplate.Function declared : platform.template().functions()) {
      LocalTemplate.Function f = platform.function(declared.name());
      byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
      long t0 = System.nanoTime();
      InvocationResult cold = pool.invoke(f, payload);
      long coldMs = (System.nanoTime() - t0) / 1_000_000;
      long t1 = System.nanoTime();
      InvocationResult warm = pool.invoke(f, payload);
      long warmMs = (System.nanoTime() - t1) / 1_000_000;
      String answer = cold.payloadText().replace('|', '/');
      System.out.printf(
          "| %s | %.1f | %d | %d | %s |%n",
          f.module().orElse(f.name()),
          f.code().map(LocalRuntimeBench::sizeMb).orElse(0.0),
          coldMs,
          warmMs,
          (cold.failed() ? "error: " : "ok: ")
              + answer.substring(0, Math.min(90, answer.length())));
      if (pool.pids(f).isEmpty()) {
        failures.add(f.name());
      }
      if (!warm.failed() && cold.failed()) {
        failures.add(f.name() + " (cold failed, warm ok)");
      }
    }
    if (!failures.isEmpty()) {
      System.out.println("not warm after the run: " + failures);
    }
  }

  private static double sizeMb(Path p) {
    try {
      return Files.size(p) / 1e6;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void rss() {
    long self = rssKb(ProcessHandle.current().pid());
    long children = 0;
    int count = 0;
    for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
      long kb = rssKb(child.pid());
      if (kb > 0) {
        children += kb;
        count++;
      }
    }
    System.out.printf(
        "RSS with every function warm: platform JVM %d MB + %d child processes (function JVMs,"
            + " dynalite) %d MB = %d MB%n",
        self / 1024, count, children / 1024, (self + children) / 1024);
  }

  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended
    }
    return 0;
  }
}
