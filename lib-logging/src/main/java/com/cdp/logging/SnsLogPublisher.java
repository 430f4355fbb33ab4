package com.cdp.logging;

import com.cdp.aws.retry.Backoff;
import com.cdp.aws.retry.Retry;
import com.cdp.model.config.EnvReader;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

/**
 * Publishes log messages to an SNS topic without ever blocking or failing the caller. {@link
 * #publish} puts the message in a bounded buffer (a full buffer drops and counts it); background
 * sender threads (two by default, so two requests can be in flight) send batches with {@code
 * PublishBatch} (at most 10 messages and 256 KiB per request), retry throttled requests, server
 * errors, unreachable endpoints and the retryable entries of a partially failed batch with
 * exponential backoff and full jitter (the shared {@code Backoff}; the SDK's own retry strategy
 * also applies inside each call), and count what they give up on. An oversized message is trimmed
 * with a visible marker ({@link MessageTrimmer}). {@link #flush} waits until everything handed over
 * so far is delivered or given up on; a Lambda handler calls it (through {@link
 * PlatformLogger#flush()}) before returning, so a frozen container strands nothing.
 */
public final class SnsLogPublisher implements LogPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(SnsLogPublisher.class);

  /** SNS's PublishBatch limit on entries per request. */
  public static final int SNS_MAX_BATCH_MESSAGES = 10;

  /** Sender threads (requests in flight) unless configured. */
  public static final int DEFAULT_SENDERS = 2;

  /** How the publisher buffers, batches and retries. */
  public record Settings(
      int bufferCapacity,
      int maxBatchMessages,
      int maxBatchBytes,
      int maxMessageBytes,
      int maxAttempts,
      Duration backoffBase,
      Duration backoffMax,
      Duration closeTimeout,
      int senders) {
    public Settings {
      check(bufferCapacity, 1, 10_000_000, "bufferCapacity");
      check(maxBatchMessages, 1, SNS_MAX_BATCH_MESSAGES, "maxBatchMessages");
      check(maxBatchBytes, 1024, MessageTrimmer.SNS_MAX_BYTES, "maxBatchBytes");
      check(maxMessageBytes, 1024, maxBatchBytes, "maxMessageBytes");
      check(maxAttempts, 1, 50, "maxAttempts");
      Objects.requireNonNull(backoffBase, "backoffBase");
      Objects.requireNonNull(backoffMax, "backoffMax");
      Objects.requireNonNull(closeTimeout, "closeTimeout");
      check(senders, 1, 16, "senders");
    }

    /** Settings with the default two sender threads. */
    public Settings(
        int bufferCapacity,
        int maxBatchMessages,
        int maxBatchBytes,
        int maxMessageBytes,
        int maxAttempts,
        Duration backoffBase,
        Duration backoffMax,
        Duration closeTimeout) {
      this(
          bufferCapacity,
          maxBatchMessages,
          maxBatchBytes,
          maxMessageBytes,
          maxAttempts,
          backoffBase,
          backoffMax,
          closeTimeout,
          DEFAULT_SENDERS);
    }

    /**
     * 10,000 buffered messages, full batches, 5 attempts, backoff 50 ms doubling up to 2 s, two
     * requests in flight.
     */
    public static Settings defaults() {
      return new Settings(
          10_000,
          SNS_MAX_BATCH_MESSAGES,
          MessageTrimmer.SNS_MAX_BYTES,
          MessageTrimmer.SNS_MAX_BYTES,
          5,
          Duration.ofMillis(50),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5));
    }

    /**
     * The defaults, overridden by {@code LOG_BUFFER_CAPACITY} and {@code LOG_MAX_ATTEMPTS} when
     * set.
     */
    public static Settings fromEnvironment(EnvReader env) {
      Settings d = defaults();
      return d.withBufferCapacity(
              env.integer("LOG_BUFFER_CAPACITY", d.bufferCapacity(), 1, 10_000_000))
          .withMaxAttempts(env.integer("LOG_MAX_ATTEMPTS", d.maxAttempts(), 1, 50))
          .withSenders(env.integer("LOG_SENDERS", d.senders(), 1, 16));
    }

    public Settings withSenders(int threads) {
      return new Settings(
          bufferCapacity,
          maxBatchMessages,
          maxBatchBytes,
          maxMessageBytes,
          maxAttempts,
          backoffBase,
          backoffMax,
          closeTimeout,
          threads);
    }

    public Settings withBufferCapacity(int capacity) {
      return new Settings(
          capacity,
          maxBatchMessages,
          maxBatchBytes,
          maxMessageBytes,
          maxAttempts,
          backoffBase,
          backoffMax,
          closeTimeout,
          senders);
    }

    public Settings withMaxAttempts(int attempts) {
      return new Settings(
          bufferCapacity,
          maxBatchMessages,
          maxBatchBytes,
          maxMessageBytes,
          attempts,
          backoffBase,
          backoffMax,
          closeTimeout,
          senders);
    }

    public Settings withBackoff(Duration base, Duration max) {
      return new Settings(
          bufferCapacity,
          maxBatchMessages,
          maxBatchBytes,
          maxMessageBytes,
          maxAttempts,
          base,
          max,
          closeTimeout,
          senders);
    }

    public Settings withMaxBatchMessages(int messages) {
      return new Settings(
          bufferCapacity,
          messages,
          maxBatchBytes,
          maxMessageBytes,
          maxAttempts,
          backoffBase,
          backoffMax,
          closeTimeout,
          senders);
    }

    private static void check(int value, int min, int max, String name) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + " (got " + value + ")");
      }
    }
  }

  private record Entry(String message, int size, int attempts) {
    /** The UTF-8 size, counted here when the caller did not count it. */
    int bytes() {
      return size >= 0 ? size : MessageTrimmer.utf8Length(message);
    }
  }

  private final SnsClient sns;
  private final String topicArn;
  private final Settings settings;
  private final boolean ownsClient;
  private final Backoff backoff;
  private final BlockingQueue<Entry> queue;
  private final List<Thread> senders = new ArrayList<>();
  private final Object progress = new Object();
  private volatile boolean running = true;
  private volatile boolean stopNow;

  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong trimmed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();

  private SnsLogPublisher(SnsClient sns, String topicArn, Settings settings, boolean ownsClient) {
    this.sns = Objects.requireNonNull(sns, "sns");
    this.topicArn = Objects.requireNonNull(topicArn, "topicArn");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ownsClient = ownsClient;
    this.backoff =
        Backoff.of(settings.backoffBase(), settings.backoffMax(), settings.maxAttempts());
    this.queue = new ArrayBlockingQueue<>(settings.bufferCapacity());
    for (int i = 1; i <= settings.senders(); i++) {
      Thread sender = new Thread(this::sendLoop, "cdp-log-publisher-" + i);
      sender.setDaemon(true);
      senders.add(sender);
    }
  }

  /**
   * Starts a publisher to {@code topicArn}. With {@code ownsClient} the client is closed with the
   * publisher.
   */
  public static SnsLogPublisher start(
      SnsClient sns, String topicArn, Settings settings, boolean ownsClient) {
    SnsLogPublisher publisher = new SnsLogPublisher(sns, topicArn, settings, ownsClient);
    publisher.senders.forEach(Thread::start);
    return publisher;
  }

  /** Starts a publisher with the default settings; the caller keeps ownership of the client. */
  public static SnsLogPublisher start(SnsClient sns, String topicArn) {
    return start(sns, topicArn, Settings.defaults(), false);
  }

  @Override
  public void publish(String json) {
    accepted.incrementAndGet();
    try {
      MessageTrimmer.Result fitted = MessageTrimmer.fit(json, settings.maxMessageBytes());
      if (fitted.trimmed()) {
        trimmed.incrementAndGet();
        LOG.warn(
            "log message of {} bytes trimmed to {} bytes to fit the SNS limit",
            fitted.originalBytes(),
            fitted.bytes());
      }
      if (!running) {
        failed.incrementAndGet();
        warnEvery("publisher closed", failed.get());
        return;
      }
      // The exact size of a short message is counted on a sender thread, not the caller's.
      if (!queue.offer(new Entry(fitted.message(), fitted.bytes(), 0))) {
        long n = dropped.incrementAndGet();
        warnEvery(
            "log buffer full (" + settings.bufferCapacity() + " messages): message dropped", n);
      }
    } catch (RuntimeException e) {
      long n = failed.incrementAndGet();
      warnEvery("cannot buffer a log message: " + e, n);
    }
  }

  @Override
  public void flush(Duration timeout) {
    long target = accepted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (completed() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn(
              "log flush timed out after {} with {} messages pending",
              timeout,
              target - completed());
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(
              progress, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public PublisherStats stats() {
    return new PublisherStats(
        accepted.get(), delivered.get(), trimmed.get(), dropped.get(), failed.get(), retried.get());
  }

  /**
   * Flushes (at most the close timeout), stops the senders and counts what is left as failed. A
   * sender stuck in a request after that stays counted as pending.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    flush(settings.closeTimeout());
    running = false;
    try {
      joinAll(1_000);
      if (senders.stream().anyMatch(Thread::isAlive)) {
        stopNow = true;
        senders.forEach(Thread::interrupt);
        joinAll(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (senders.stream().noneMatch(Thread::isAlive)) {
      int left = queue.size();
      queue.clear();
      if (left > 0) {
        failed.addAndGet(left);
        LOG.warn("{} log messages were still buffered at shutdown and are lost", left);
      }
    }
    signal();
    if (ownsClient) {
      sns.close();
    }
  }

  private void joinAll(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    for (Thread sender : senders) {
      sender.join(Math.max(1, deadline - System.currentTimeMillis()));
    }
  }

  private long completed() {
    return delivered.get() + dropped.get() + failed.get();
  }

  private void signal() {
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  /** One sender: its own retry list, so a backing-off sender does not stall the others. */
  private void sendLoop() {
    ArrayDeque<Entry> retries = new ArrayDeque<>();
    while (!stopNow) {
      List<Entry> batch;
      try {
        batch = nextBatch(retries);
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
        continue;
      }
      if (batch.isEmpty()) {
        if (!running && queue.isEmpty() && retries.isEmpty()) {
          return;
        }
        continue;
      }
      try {
        send(batch, retries);
      } catch (RuntimeException e) {
        failed.addAndGet(batch.size());
        warnEvery("log batch lost: " + e, failed.get());
      }
      signal();
    }
    if (!retries.isEmpty()) {
      failed.addAndGet(retries.size());
      LOG.warn("{} log messages awaiting a retry at shutdown are lost", retries.size());
      retries.clear();
      signal();
    }
  }

  /** Retries first, then buffered messages, within the entry and byte limits of one request. */
  private List<Entry> nextBatch(ArrayDeque<Entry> retries) throws InterruptedException {
    List<Entry> batch = new ArrayList<>(settings.maxBatchMessages());
    int bytes = 0;
    while (!retries.isEmpty() && batch.size() < settings.maxBatchMessages()) {
      int size = retries.peek().bytes();
      if (!batch.isEmpty() && bytes + size > settings.maxBatchBytes()) {
        return batch;
      }
      batch.add(retries.poll());
      bytes += size;
    }
    if (batch.isEmpty()) {
      Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
      if (first == null) {
        return batch;
      }
      batch.add(first);
      bytes = first.bytes();
    }
    // Several senders take from the queue: poll (never peek-then-poll) and keep what does not fit
    // for this sender's next request.
    while (batch.size() < settings.maxBatchMessages()) {
      Entry next = queue.poll();
      if (next == null) {
        break;
      }
      int size = next.bytes();
      if (bytes + size > settings.maxBatchBytes()) {
        retries.addFirst(new Entry(next.message(), size, next.attempts()));
        break;
      }
      batch.add(next);
      bytes += size;
    }
    return batch;
  }

  private void send(List<Entry> batch, ArrayDeque<Entry> retries) {
    List<PublishBatchRequestEntry> entries = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      entries.add(
          PublishBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .message(batch.get(i).message())
              .build());
    }
    PublishBatchResponse response;
    try {
      response =
          sns.publishBatch(
              PublishBatchRequest.builder()
                  .topicArn(topicArn)
                  .publishBatchRequestEntries(entries)
                  .build());
    } catch (SdkException e) {
      if (retryable(e)) {
        retry(batch, e.getMessage(), retries);
      } else {
        failed.addAndGet(batch.size());
        warnEvery(
            "SNS refused a log batch (" + oneLine(e) + "): " + batch.size() + " messages lost",
            failed.get());
      }
      return;
    }
    Set<Integer> answered = new HashSet<>();
    for (PublishBatchResultEntry ok : response.successful()) {
      answered.add(Integer.valueOf(ok.id()));
    }
    delivered.addAndGet(answered.size());
    List<Entry> again = new ArrayList<>();
    String reason = null;
    for (BatchResultErrorEntry error : response.failed()) {
      int index = Integer.parseInt(error.id());
      answered.add(index);
      if (Boolean.TRUE.equals(error.senderFault())) {
        long n = failed.incrementAndGet();
        warnEvery("SNS rejected a log message: " + error.code() + " " + error.message(), n);
      } else {
        again.add(batch.get(index));
        reason = error.code();
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      if (!answered.contains(i)) {
        again.add(batch.get(i));
        reason = "no result for entry";
      }
    }
    if (!again.isEmpty()) {
      retry(again, reason, retries);
    }
  }

  /** Queues entries for another attempt (or fails those out of attempts), then backs off. */
  private void retry(List<Entry> entries, String reason, ArrayDeque<Entry> retries) {
    if (stopNow) {
      retries.addAll(entries);
      return;
    }
    int attempt = 0;
    for (Entry entry : entries) {
      int attempts = entry.attempts() + 1;
      if (attempts >= settings.maxAttempts()) {
        long n = failed.incrementAndGet();
        warnEvery("log message given up after " + attempts + " attempts: " + reason, n);
      } else {
        retries.add(new Entry(entry.message(), entry.bytes(), attempts));
        retried.incrementAndGet();
        attempt = Math.max(attempt, attempts);
      }
    }
    signal();
    if (attempt > 0) {
      sleep(backoff.delay(attempt).toMillis());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Throttling, server errors and client-side failures (unreachable endpoint, timeouts). */
  static boolean retryable(SdkException e) {
    if (Retry.transientAwsFailure(e)) {
      return true;
    }
    // SNS's own: 429 and the throttling codes of the topic's KMS key and of older endpoints.
    if (e instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
      return service.statusCode() == 429
          || "Throttling".equals(code)
          || "ThrottledException".equals(code)
          || "KMSThrottlingException".equals(code)
          || "InternalError".equals(code);
    }
    return false;
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** Warns on the first occurrence and then every 1000th, so a failing endpoint cannot flood. */
  private static void warnEvery(String what, long count) {
    if (count == 1 || count % 1000 == 0) {
      LOG.warn("{} (occurrence {})", what, count);
    }
  }
}
