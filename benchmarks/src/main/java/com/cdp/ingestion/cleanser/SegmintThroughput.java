package com.cdp.ingestion.cleanser;

import com.cdp.aws.retry.Backoff;
import com.cdp.local.platform.ingestion.SegmintSimulator;
import com.cdp.model.json.Json;
import com.cdp.warehouse.mock.MockTransactions;
import com.opencsv.CSVReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * Segmint cleansing against the local simulator (a bare Jetty serving {@link SegmintSimulator}), in
 * one run:
 *
 * <ol>
 *   <li>throughput: the cleanser's client at the configured concurrency with its cache off (every
 *       transaction one call), against raw {@code HttpClient} calls of the same bodies at the same
 *       concurrency (the baseline), in alternating rounds; also the client at the local rate limit;
 *   <li>calls per 1,000 transactions of a {@code ./cdp mock-transactions} file, cleansed account by
 *       account as the events arrive, with the container's cache.
 * </ol>
 *
 * It lives in the cleanser's package to build the package-private client directly. Usage:
 *
 * <pre>
 * java -cp ... com.cdp.ingestion.cleanser.SegmintThroughput [transactions] [concurrency] [rounds]
 *     [localRequestsPerSecond] [members] [days]
 * </pre>
 */
public final class SegmintThroughput {
  private static final String SECRET = SegmintSimulator.credentialsJson("bench-secret");

  private SegmintThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int localRate = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    int members = args.length > 4 ? Integer.parseInt(args[4]) : 100;
    int days = args.length > 5 ? Integer.parseInt(args[5]) : 30;

    SegmintSimulator simulator = new SegmintSimulator(() -> SECRET, Clock.systemUTC());
    Server server = new Server(0);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(simulator.servlet()), SegmintSimulator.PATH + "/*");
    server.setHandler(context);
    server.start();
    try {
      URI base =
          URI.create(
              "http://127.0.0.1:"
                  + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                  + SegmintSimulator.PATH);
      List<TransactionCleanser.Input> file = mockFile(members, days);
      List<TransactionCleanser.Input> inputs = new ArrayList<>();
      for (int i = 0; inputs.size() < n; i++) {
        TransactionCleanser.Input t = file.get(i % file.size());
        inputs.add(
            new TransactionCleanser.Input(
                "b" + i, t.description(), t.amount(), t.merchantCategoryCode(), t.type()));
      }
      System.out.printf(
          "throughput: %d transactions, concurrency %d, cache off, %d rounds%n",
          n, concurrency, rounds);
      // warm-up (JIT, connections)
      client(base, concurrency, 1e6, 0).cleanse(inputs.subList(0, Math.min(1000, n)));
      raw(base, inputs.subList(0, Math.min(1000, n)), concurrency);

      List<Double> ratios = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        double clientRate;
        double rawRate;
        if (r % 2 == 0) {
          clientRate = timeClient(base, inputs, concurrency, 1e6);
          rawRate = raw(base, inputs, concurrency);
        } else {
          rawRate = raw(base, inputs, concurrency);
          clientRate = timeClient(base, inputs, concurrency, 1e6);
        }
        ratios.add(clientRate / rawRate);
        System.out.printf(
            "round %d: client %.0f tx/s, raw HTTP %.0f calls/s, ratio %.2f%n",
            r + 1, clientRate, rawRate, clientRate / rawRate);
      }
      ratios.sort(Double::compare);
      System.out.printf("median ratio client/raw: %.2f%n", ratios.get(ratios.size() / 2));
      int limited = Math.min(n, localRate * 5);
      double atLimit = timeClient(base, inputs.subList(0, limited), concurrency, localRate);
      System.out.printf(
          "client at the local rate limit (%d/s), %d transactions: %.0f tx/s (%.2f of the limit)%n",
          localRate, limited, atLimit, atLimit / localRate);

      // Calls per 1,000 transactions of a mock file, account by account (one event each).
      Map<String, List<TransactionCleanser.Input>> byAccount = new LinkedHashMap<>();
      for (TransactionCleanser.Input t : file) {
        byAccount
            .computeIfAbsent(t.id().substring(0, t.id().indexOf('|')), k -> new ArrayList<>())
            .add(t);
      }
      SegmintCleanser cached = client(base, concurrency, 1e6, 20_000);
      long before = simulator.cleanseRequests();
      long perEvent = 0;
      for (List<TransactionCleanser.Input> account : byAccount.values()) {
        cached.cleanse(account);
        Set<String> distinctInEvent = new HashSet<>();
        account.forEach(t -> distinctInEvent.add(SegmintCleanser.request(t).json()));
        perEvent += distinctInEvent.size();
      }
      long calls = simulator.cleanseRequests() - before;
      Set<String> distinct = new HashSet<>();
      Set<String> descriptions = new HashSet<>();
      for (TransactionCleanser.Input t : file) {
        distinct.add(SegmintCleanser.request(t).json());
        descriptions.add(t.description());
      }
      System.out.printf(
          "mock file: %d members, %d days: %d transactions, %d accounts (events), %d distinct"
              + " descriptions, %d distinct requests%n",
          members, days, file.size(), byAccount.size(), descriptions.size(), distinct.size());
      System.out.printf(
          "Segmint calls: %d = %.1f per 1,000 transactions (no cache: 1,000; cache per event"
              + " only: %.1f)%n",
          calls, calls * 1000.0 / file.size(), perEvent * 1000.0 / file.size());
      cached.close();
    } finally {
      server.stop();
    }
  }

  private static SegmintCleanser client(URI base, int concurrency, double rate, int cache) {
    return new SegmintCleanser(
        new SegmintClient(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
            new SegmintClient.Settings(
                base,
                SegmintSimulator.PARTNER_ID,
                rate,
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                new Backoff(
                    Duration.ofMillis(200),
                    Duration.ofSeconds(5),
                    6,
                    d -> Thread.sleep(d.toMillis()))),
            SegmintClient.CredentialsSource.fixed(
                new SegmintClient.Credentials(SegmintSimulator.CLIENT_ID, "bench-secret")),
            Clock.systemUTC()),
        concurrency,
        cache);
  }

  private static double timeClient(
      URI base, List<TransactionCleanser.Input> inputs, int concurrency, double rate) {
    try (SegmintCleanser cleanser = client(base, concurrency, rate, 0)) {
      long start = System.nanoTime();
      int out = cleanser.cleanse(inputs).size();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (out != inputs.size()) {
        throw new IllegalStateException("cleansed " + out + " of " + inputs.size());
      }
      return inputs.size() / seconds;
    }
  }

  /** The baseline: the same bodies posted with a plain HttpClient, one token, same concurrency. */
  private static double raw(URI base, List<TransactionCleanser.Input> inputs, int concurrency)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (SegmintSimulator.CLIENT_ID + ":bench-secret")
                        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> tokenAnswer =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/auth/v1/token?grant_type=token"))
                .header("authorization", basic)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String token = Json.tree(tokenAnswer.body()).path("access_token").asText();
    URI cleanse =
        URI.create(
            base
                + "/v2/partners/"
                + SegmintSimulator.PARTNER_ID
                + "/merchants/cleanse-transaction/");
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < inputs.size();
                    i = next.getAndIncrement()) {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(cleanse)
                              .header("content-type", "application/json")
                              .header("authorization", "Bearer " + token)
                              .POST(
                                  HttpRequest.BodyPublishers.ofString(
                                      SegmintCleanser.request(inputs.get(i)).json()))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + r.statusCode());
                  }
                  Json.tree(r.body());
                }
                return null;
              }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return inputs.size() / seconds;
  }

  /** The mock file's rows as cleanser inputs; ids are {@code account|transactionId}. */
  private static List<TransactionCleanser.Input> mockFile(int members, int days) throws Exception {
    StringWriter text = new StringWriter();
    MockTransactions.write(
        new MockTransactions.Options(members, 2, days, 42, 0, LocalDate.parse("2026-11-27")), text);
    List<TransactionCleanser.Input> out = new ArrayList<>();
    try (CSVReader csv = new CSVReader(new StringReader(text.toString()))) {
      String[] header = csv.readNext();
      List<String> names = List.of(header);
      String[] row;
      while ((row = csv.readNext()) != null) {
        String mcc = row[names.indexOf("merchantCategoryCode")];
        out.add(
            new TransactionCleanser.Input(
                row[names.indexOf("accountId")] + "|" + row[names.indexOf("transactionId")],
                row[names.indexOf("description")],
                row[names.indexOf("amount")],
                mcc.isEmpty() ? null : mcc,
                row[names.indexOf("type")]));
      }
    }
    return out;
  }
}
