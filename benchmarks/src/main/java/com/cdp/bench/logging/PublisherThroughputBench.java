package com.cdp.bench.logging;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.PublisherStats;
import com.cdp.logging.RequestLog;
import com.cdp.logging.SnsLogPublisher;
import com.cdp.testing.sns.FakeSnsServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * Publisher throughput (messages/s) against an SNS-compatible local endpoint ({@link
 * FakeSnsServer}: the Query protocol over HTTP), for {@link SnsLogPublisher} (callers hand messages
 * over; background senders batch: one, then the default two) and for a plain {@code PublishBatch}
 * loop of 10 messages per request on the caller's thread, the same messages to the same endpoint,
 * in the same run. Each side runs a warm-up round, then {@code rounds} measured rounds; the median
 * is printed.
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * com.cdp.bench.logging.PublisherThroughputBench [messages] [rounds]}
 */
public final class PublisherThroughputBench {
  private PublisherThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> payload = messages(messages);
    int bytes = payload.stream().mapToInt(String::length).sum() / messages;
    try (FakeSnsServer sns = FakeSnsServer.start(2).keepMessages(false);
        SnsClient client = AwsClients.build(SnsClient.builder(), AwsTarget.local(sns.endpoint()))) {
      System.out.printf(
          "messages per round: %d (~%d bytes each), endpoint %s%n",
          messages, bytes, sns.endpoint());
      List<Double> plain = new ArrayList<>();
      List<Double> oneSender = new ArrayList<>();
      List<Double> defaults = new ArrayList<>();
      for (int round = 0; round <= rounds; round++) {
        sns.reset();
        double x = plainLoop(client, payload);
        check(sns, messages);
        sns.reset();
        double y = snsLogPublisher(client, payload, 1);
        check(sns, messages);
        sns.reset();
        double z = snsLogPublisher(client, payload, SnsLogPublisher.DEFAULT_SENDERS);
        check(sns, messages);
        if (round > 0) {
          plain.add(x);
          oneSender.add(y);
          defaults.add(z);
        }
        System.out.printf(
            "%s round %d: plain PublishBatch loop %.0f msg/s, SnsLogPublisher 1 sender %.0f msg/s,"
                + " %d senders (default) %.0f msg/s%n",
            round == 0 ? "warm-up" : "measured", round, x, y, SnsLogPublisher.DEFAULT_SENDERS, z);
      }
      double p = median(plain);
      double one = median(oneSender);
      double d = median(defaults);
      System.out.printf(
          "RESULT plain PublishBatch loop %.0f msg/s | SnsLogPublisher 1 sender %.0f msg/s (x%.2f)"
              + " | %d senders %.0f msg/s (x%.2f)%n",
          p, one, one / p, SnsLogPublisher.DEFAULT_SENDERS, d, d / p);
    }
  }

  private static double plainLoop(SnsClient client, List<String> payload) {
    long start = System.nanoTime();
    for (int i = 0; i < payload.size(); i += 10) {
      List<PublishBatchRequestEntry> entries = new ArrayList<>(10);
      for (int j = i; j < Math.min(i + 10, payload.size()); j++) {
        entries.add(
            PublishBatchRequestEntry.builder()
                .id(Integer.toString(j - i))
                .message(payload.get(j))
                .build());
      }
      client.publishBatch(
          r -> r.topicArn(FakeSnsServer.topicArn()).publishBatchRequestEntries(entries));
    }
    return payload.size() / seconds(start);
  }

  private static double snsLogPublisher(SnsClient client, List<String> payload, int senders) {
    SnsLogPublisher publisher =
        SnsLogPublisher.start(
            client,
            FakeSnsServer.topicArn(),
            SnsLogPublisher.Settings.defaults()
                .withBufferCapacity(payload.size())
                .withSenders(senders),
            false);
    long start = System.nanoTime();
    payload.forEach(publisher::publish);
    publisher.flush(Duration.ofMinutes(5));
    double rate = payload.size() / seconds(start);
    PublisherStats stats = publisher.stats();
    publisher.close();
    if (stats.delivered() != payload.size()) {
      throw new IllegalStateException("publisher delivered " + stats);
    }
    return rate;
  }

  private static void check(FakeSnsServer sns, int expected) {
    if (sns.messageCount() != expected) {
      throw new IllegalStateException(
          "endpoint received " + sns.messageCount() + " of " + expected);
    }
  }

  /** Realistic messages: what PlatformLogger writes for a request with three events. */
  static List<String> messages(int n) {
    List<String> out = new ArrayList<>(n);
    CapturingPublisher capture = new CapturingPublisher(out);
    PlatformLogger logger =
        new PlatformLogger(capture, "dev", "cdp-dev-get-transactions", Clock.systemUTC());
    for (int i = 0; i < n; i++) {
      try (RequestLog log = logger.open(LogType.APP, i % 2 == 0 ? "tcu" : "demo", null)) {
        log.event("verify", "session verified", Map.of("member", "m-" + i));
        log.event(
            "query", "loaded 25 transactions", Map.of("accountId", "000123456789", "limit", 25));
        log.event("respond", "200", Map.of("status", 200));
        log.put("route", "GET /accounts/{accountId}/transactions");
      }
    }
    return out;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  private record CapturingPublisher(List<String> out) implements com.cdp.logging.LogPublisher {
    @Override
    public void publish(String json) {
      out.add(json);
    }

    @Override
    public void flush(Duration timeout) {}

    @Override
    public PublisherStats stats() {
      return new PublisherStats(out.size(), out.size(), 0, 0, 0);
    }
  }
}
