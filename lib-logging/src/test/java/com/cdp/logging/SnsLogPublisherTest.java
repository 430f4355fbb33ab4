package com.cdp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.model.json.Json;
import com.cdp.testing.sns.FakeSnsServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;

class SnsLogPublisherTest {
  private final FakeSnsServer sns = FakeSnsServer.start();
  private final List<AutoCloseable> open = new ArrayList<>();
  private static final SnsLogPublisher.Settings FAST =
      SnsLogPublisher.Settings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50));

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    sns.close();
  }

  private SnsLogPublisher publisher(URI endpoint, SnsLogPublisher.Settings settings) {
    SnsClient client = AwsClients.build(SnsClient.builder(), AwsTarget.local(endpoint));
    SnsLogPublisher publisher =
        SnsLogPublisher.start(client, FakeSnsServer.topicArn(), settings, true);
    open.add(publisher);
    return publisher;
  }

  private static List<String> messages(int n, int padding) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Json.write(java.util.Map.of("n", i, "pad", "p".repeat(padding))));
    }
    return out;
  }

  @Test
  void flush_afterPublishingN_hasDeliveredAllNInBatchesOfAtMostTen() {
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST);
    List<String> sent = messages(95, 10);
    sent.forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(10));

    assertThat(sns.messages()).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(sns.batchSizes()).allMatch(size -> size >= 1 && size <= 10);
    assertThat(publisher.stats()).isEqualTo(new PublisherStats(95, 95, 0, 0, 0, 0));
  }

  @Test
  void batches_stayWithinTheRequestSizeLimit() {
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST);
    messages(12, 100_000).forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(10));

    assertThat(sns.messageCount()).isEqualTo(12);
    assertThat(sns.batchSizes()).allMatch(size -> size <= 2);
  }

  @Test
  void oversizedMessage_isDeliveredTrimmedWithAMarker_andCounted() {
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST);
    publisher.publish(
        "{\"organizationID\":\"tcu\",\"logType\":\"web\",\"environment\":\"dev\",\"year\":\"2026\","
            + "\"month\":\"11\",\"day\":\"28\",\"hour\":\"10\",\"events\":[{\"description\":\""
            + "x".repeat(300_000)
            + "\"}]}");
    publisher.flush(Duration.ofSeconds(10));

    assertThat(sns.messages()).hasSize(1);
    assertThat(Json.tree(sns.messages().get(0)).get("trimmed").asBoolean()).isTrue();
    assertThat(sns.messages().get(0)).contains(MessageTrimmer.CUT_MARKER);
    assertThat(publisher.stats().trimmed()).isEqualTo(1);
    assertThat(publisher.stats().delivered()).isEqualTo(1);
  }

  @Test
  void throttledRequests_areRetriedWithBackoff_andNothingIsLost() {
    // One sender, and more throttled requests than the SDK's own attempts (3) per call: the first
    // call fails after its attempts and the publisher's retry is exercised.
    sns.throttleNextRequests(4);
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST.withSenders(1));
    List<String> sent = messages(30, 10);
    sent.forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(30));

    assertThat(sns.messages()).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(publisher.stats().delivered()).isEqualTo(30);
    assertThat(publisher.stats().failed()).isZero();
    assertThat(publisher.stats().retried()).isPositive();
  }

  @Test
  void severalSenders_deliverEverythingExactlyOnce() {
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST.withSenders(4));
    List<String> sent = messages(500, 50);
    sent.forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(30));

    assertThat(sns.messages()).hasSize(500);
    assertThat(new HashSet<>(sns.messages())).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(sns.batchSizes()).allMatch(size -> size <= 10);
  }

  @Test
  void serverErrors_areRetried_andNothingIsLost() {
    sns.serverErrorNextRequests(4);
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST);
    messages(10, 10).forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(30));

    assertThat(sns.messageCount()).isEqualTo(10);
    assertThat(publisher.stats().failed()).isZero();
  }

  @Test
  void partiallyFailedBatch_retriesOnlyTheFailedEntries_withoutDuplicates() {
    sns.failNextEntries(3, "InternalError", false);
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST);
    List<String> sent = messages(25, 10);
    sent.forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(10));

    assertThat(sns.messages()).hasSize(25);
    assertThat(new HashSet<>(sns.messages())).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(publisher.stats().retried()).isEqualTo(3);
    assertThat(publisher.stats().delivered()).isEqualTo(25);
  }

  @Test
  void entriesRejectedAsSenderFault_areCountedAsFailed_notRetried() {
    sns.failNextEntries(2, "InvalidParameter", true);
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST);
    messages(10, 10).forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(10));

    assertThat(sns.messageCount()).isEqualTo(8);
    assertThat(publisher.stats()).isEqualTo(new PublisherStats(10, 8, 0, 0, 2, 0));
  }

  @Test
  void unreachableEndpoint_neverThrows_andCountsEveryMessageAsFailedAfterRetries()
      throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SnsLogPublisher publisher =
        publisher(URI.create("http://127.0.0.1:" + closedPort), FAST.withMaxAttempts(2));
    messages(7, 10).forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(30));

    PublisherStats stats = publisher.stats();
    assertThat(stats.delivered()).isZero();
    assertThat(stats.failed()).isEqualTo(7);
    assertThat(stats.pending()).isZero();
    assertThat(stats.lost()).isEqualTo(7);
  }

  @Test
  void fullBuffer_dropsAndCountsInsteadOfBlockingOrThrowing() {
    sns.delayEachRequest(Duration.ofMillis(300));
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST.withBufferCapacity(5));
    messages(200, 10).forEach(publisher::publish);
    publisher.flush(Duration.ofSeconds(30));

    PublisherStats stats = publisher.stats();
    assertThat(stats.accepted()).isEqualTo(200);
    assertThat(stats.droppedBufferFull()).isPositive();
    assertThat(stats.delivered() + stats.droppedBufferFull()).isEqualTo(200);
    assertThat(sns.messageCount()).isEqualTo(stats.delivered());
  }

  @Test
  void close_whileTheEndpointKeepsFailing_countsWhatIsLeftAsFailed() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SnsLogPublisher.Settings patient =
        new SnsLogPublisher.Settings(
            100,
            10,
            MessageTrimmer.SNS_MAX_BYTES,
            MessageTrimmer.SNS_MAX_BYTES,
            50,
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofMillis(300));
    SnsClient client =
        AwsClients.build(
            SnsClient.builder(), AwsTarget.local(URI.create("http://127.0.0.1:" + closedPort)));
    SnsLogPublisher publisher =
        SnsLogPublisher.start(client, FakeSnsServer.topicArn(), patient, true);
    messages(15, 10).forEach(publisher::publish);
    publisher.close();

    PublisherStats stats = publisher.stats();
    assertThat(stats.failed()).isEqualTo(15);
    assertThat(stats.pending()).isZero();
    publisher.publish("{}");
    assertThat(publisher.stats().failed()).isEqualTo(16);
  }

  @Test
  void platformLogger_flushBeforeReturning_leavesNothingBuffered() {
    SnsLogPublisher publisher = publisher(sns.endpoint(), FAST);
    PlatformLogger logger = new PlatformLogger(publisher, "dev", "fn", java.time.Clock.systemUTC());
    for (int i = 0; i < 3; i++) {
      try (RequestLog log = logger.open(LogType.WEB, "tcu", "txn-" + i)) {
        log.event("handled", "request " + i);
      }
    }
    logger.flush();

    assertThat(sns.messageCount()).isEqualTo(3);
    assertThat(logger.stats().pending()).isZero();
  }
}
