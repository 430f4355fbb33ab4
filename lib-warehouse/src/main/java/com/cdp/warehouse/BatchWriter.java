package com.cdp.warehouse;

import com.cdp.aws.retry.Backoff;
import com.cdp.aws.retry.Retry;
import com.cdp.model.table.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes items with {@code BatchWriteItem}: 25 items a call, several calls in flight, {@code
 * UnprocessedItems} and throttling retried with exponential backoff and jitter. Items with the same
 * key are written once (the last one wins), so a batch never holds duplicate keys and re-writing is
 * idempotent. Thread-safe; one per container.
 */
public final class BatchWriter implements AutoCloseable {
  public static final int MAX_BATCH = 25;

  private final DynamoDbClient dynamoDb;
  private final ExecutorService pool;
  private final int concurrency;
  private final Backoff backoff;
  private final AtomicLong retries = new AtomicLong();

  public BatchWriter(DynamoDbClient dynamoDb, int concurrency, Backoff backoff) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.concurrency = concurrency;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "batch-writer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public int concurrency() {
    return concurrency;
  }

  /** Retried calls so far (throttled calls and calls that left items unprocessed). */
  public long retries() {
    return retries.get();
  }

  /**
   * Writes every item (pk/sk keyed) to the table; returns the number of distinct items written.
   *
   * @throws WriteFailedException when some items could not be written after every retry
   */
  public int write(String table, List<Map<String, AttributeValue>> items) {
    Map<String, Map<String, AttributeValue>> distinct = new LinkedHashMap<>();
    for (Map<String, AttributeValue> item : items) {
      distinct.put(item.get(Tables.PK).s() + '\u0000' + item.get(Tables.SK).s(), item);
    }
    return write(table, distinct, item -> item);
  }

  /**
   * Writes one item per distinct key, building each item only when its batch is formed, so the
   * caller's item building overlaps the calls already in flight. Returns the number written.
   *
   * @param distinct sources keyed by their item's primary key (one per key)
   * @throws WriteFailedException when some items could not be written after every retry
   */
  public <T> int write(
      String table,
      Map<String, T> distinct,
      java.util.function.Function<? super T, Map<String, AttributeValue>> toItem) {
    List<Future<?>> futures = new ArrayList<>();
    List<WriteRequest> batch = new ArrayList<>(MAX_BATCH);
    for (T source : distinct.values()) {
      batch.add(
          WriteRequest.builder()
              .putRequest(PutRequest.builder().item(toItem.apply(source)).build())
              .build());
      if (batch.size() == MAX_BATCH) {
        List<WriteRequest> full = batch;
        futures.add(pool.submit(() -> writeBatch(table, full)));
        batch = new ArrayList<>(MAX_BATCH);
      }
    }
    if (!batch.isEmpty()) {
      List<WriteRequest> last = batch;
      futures.add(pool.submit(() -> writeBatch(table, last)));
    }
    RuntimeException failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new WriteFailedException("batch write failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WriteFailedException("interrupted while writing", e);
      }
    }
    if (failure != null) {
      throw failure instanceof WriteFailedException w
          ? w
          : new WriteFailedException("batch write failed: " + failure.getMessage(), failure);
    }
    return distinct.size();
  }

  /**
   * Runs conditional updates, {@link #concurrency()} in flight, retrying throttling and server
   * errors like the batches. An update whose condition fails is not an error (the item already
   * holds newer data); returns how many updates were applied.
   *
   * @throws WriteFailedException when an update still fails after every retry
   */
  public int update(
      List<software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest> updates) {
    List<Future<Boolean>> futures = new ArrayList<>(updates.size());
    for (software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u : updates) {
      futures.add(pool.submit(() -> updateOne(u)));
    }
    int applied = 0;
    RuntimeException failure = null;
    for (Future<Boolean> f : futures) {
      try {
        if (f.get()) {
          applied++;
        }
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof WriteFailedException w
                  ? w
                  : new WriteFailedException("UpdateItem failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WriteFailedException("interrupted while writing", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return applied;
  }

  private boolean updateOne(software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u) {
    try {
      return retry()
          .run(
              attempt -> {
                try {
                  dynamoDb.updateItem(u);
                  return Retry.Step.done(true);
                } catch (
                    software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException
                        e) {
                  return Retry.Step.done(false);
                }
              });
    } catch (Retry.ExhaustedException e) {
      throw new WriteFailedException(
          "UpdateItem still failing after " + e.attempts() + " attempts", e.getCause());
    } catch (RuntimeException e) {
      throw failed("UpdateItem", e);
    }
  }

  private void writeBatch(String table, List<WriteRequest> batch) {
    AtomicReference<Map<String, List<WriteRequest>>> pending =
        new AtomicReference<>(Map.of(table, List.copyOf(batch)));
    try {
      retry()
          .run(
              attempt -> {
                BatchWriteItemResponse response =
                    dynamoDb.batchWriteItem(r -> r.requestItems(pending.get()));
                Map<String, List<WriteRequest>> unprocessed = response.unprocessedItems();
                if (unprocessed == null || unprocessed.isEmpty() || count(unprocessed) == 0) {
                  return Retry.Step.done(null);
                }
                pending.set(unprocessed);
                return Retry.Step.again(count(unprocessed) + " items still unprocessed");
              });
    } catch (Retry.ExhaustedException e) {
      throw new WriteFailedException(
          e.getCause() == null
              ? count(pending.get())
                  + " items still unprocessed after "
                  + e.attempts()
                  + " BatchWriteItem attempts"
              : "BatchWriteItem still failing after " + e.attempts() + " attempts",
          e.getCause());
    } catch (RuntimeException e) {
      throw failed("BatchWriteItem", e);
    }
  }

  /** The shared retry loop: DynamoDB's transient failures, with this writer's backoff. */
  private Retry retry() {
    return Retry.with(backoff).retryingOn(BatchWriter::retryable).onRetry(retries::incrementAndGet);
  }

  /** A failure no retry would cure (or an interrupt while backing off). */
  static WriteFailedException failed(String call, RuntimeException e) {
    if (e instanceof WriteFailedException w) {
      return w;
    }
    if (e instanceof IllegalStateException && Thread.currentThread().isInterrupted()) {
      return new WriteFailedException("interrupted while backing off", e);
    }
    return new WriteFailedException(call + " failed: " + e.getMessage(), e);
  }

  private static int count(Map<String, List<WriteRequest>> requests) {
    return requests.values().stream().mapToInt(List::size).sum();
  }

  /** Throttling, server errors and transport failures are worth retrying; the rest is a bug. */
  static boolean retryable(RuntimeException e) {
    if (e instanceof SdkClientException) {
      return true;
    }
    if (e instanceof ProvisionedThroughputExceededException
        || e instanceof RequestLimitExceededException) {
      return true;
    }
    if (e instanceof DynamoDbException d) {
      if (d.isThrottlingException() || d.statusCode() >= 500) {
        return true;
      }
      String code = d.awsErrorDetails() == null ? null : d.awsErrorDetails().errorCode();
      return "ProvisionedThroughputExceededException".equals(code)
          || "RequestLimitExceeded".equals(code)
          || "ThrottlingException".equals(code);
    }
    return false;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
