package com.cdp.testing.faults;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Fault injection for DynamoDB writes without a fake: wraps a real client (pointing at dynalite)
 * and, on {@code BatchWriteItem}, deterministically throttles some calls (throwing {@link
 * ProvisionedThroughputExceededException} without writing) and writes only part of others,
 * returning the rest as {@code UnprocessedItems}, as DynamoDB does under load. Every other
 * operation goes straight to the real client.
 */
public final class DynamoDbFaults {
  /** Counters of what was injected. */
  public static final class Stats {
    public final AtomicLong calls = new AtomicLong();
    public final AtomicLong throttled = new AtomicLong();
    public final AtomicLong partial = new AtomicLong();
    public final AtomicLong unprocessedItems = new AtomicLong();
  }

  private DynamoDbFaults() {}

  /**
   * Every {@code throttleEvery}-th BatchWriteItem call is throttled; every {@code partialEvery}-th
   * of the others writes only the first half of its items (0 disables either fault).
   */
  public static DynamoDbClient batchWriteFaults(
      DynamoDbClient real, int throttleEvery, int partialEvery, Stats stats) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("batchWriteItem")
              && args != null
              && args.length == 1
              && args[0] != null) {
            BatchWriteItemRequest request =
                args[0] instanceof BatchWriteItemRequest r ? r : build(args[0]);
            long n = stats.calls.incrementAndGet();
            if (throttleEvery > 0 && n % throttleEvery == 0) {
              stats.throttled.incrementAndGet();
              throw ProvisionedThroughputExceededException.builder()
                  .message("injected throttling")
                  .statusCode(400)
                  .build();
            }
            if (partialEvery > 0 && n % partialEvery == 0) {
              return partial(real, request, stats);
            }
            return real.batchWriteItem(request);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (DynamoDbClient)
        Proxy.newProxyInstance(
            DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, handler);
  }

  @SuppressWarnings("unchecked")
  private static BatchWriteItemRequest build(Object consumer) {
    BatchWriteItemRequest.Builder builder = BatchWriteItemRequest.builder();
    ((Consumer<BatchWriteItemRequest.Builder>) consumer).accept(builder);
    return builder.build();
  }

  private static BatchWriteItemResponse partial(
      DynamoDbClient real, BatchWriteItemRequest request, Stats stats) {
    Map<String, List<WriteRequest>> written = new LinkedHashMap<>();
    Map<String, List<WriteRequest>> left = new LinkedHashMap<>();
    request
        .requestItems()
        .forEach(
            (table, writes) -> {
              int half = writes.size() / 2;
              if (half > 0) {
                written.put(table, new ArrayList<>(writes.subList(0, half)));
              }
              left.put(table, new ArrayList<>(writes.subList(half, writes.size())));
            });
    if (!written.isEmpty()) {
      real.batchWriteItem(r -> r.requestItems(written));
    }
    stats.partial.incrementAndGet();
    stats.unprocessedItems.addAndGet(left.values().stream().mapToLong(List::size).sum());
    return BatchWriteItemResponse.builder().unprocessedItems(left).build();
  }
}
