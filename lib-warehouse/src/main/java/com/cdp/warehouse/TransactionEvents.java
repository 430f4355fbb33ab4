package com.cdp.warehouse;

import com.cdp.aws.retry.Backoff;
import com.cdp.aws.retry.Retry;
import com.cdp.model.event.Topic;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes {@code account_transactionadded} (CONTRACTS 2) with {@code PutEvents}: at most 10
 * entries a call, failed entries (and throttled calls) retried with backoff. The detail carries the
 * contract's fields plus {@code postedFrom}/{@code postedTo}, the posted-date range of the
 * transactions, which lets consumers find them without scanning the account.
 */
public final class TransactionEvents {
  public static final int MAX_ENTRIES = 10;

  private final EventBridgeClient eventBridge;
  private final String busName;
  private final Backoff backoff;

  public TransactionEvents(EventBridgeClient eventBridge, String busName, Backoff backoff) {
    this.eventBridge = Objects.requireNonNull(eventBridge, "eventBridge");
    this.busName = Objects.requireNonNull(busName, "busName");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * A deterministic event id, so a retried load re-sends the same id and consumers de-duplicate.
   */
  public static String eventId(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\n", parts).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The event detail for one account. */
  public static String detail(OrganizationId org, String eventId, AccountActivity activity) {
    return detail(org, eventId, activity, null);
  }

  /**
   * The event detail for one account, carrying the business flow's {@code transactionId} (when
   * given) so every consumer logs under it.
   */
  public static String detail(
      OrganizationId org, String eventId, AccountActivity activity, String transactionId) {
    ObjectNode detail = Json.object();
    detail.put("organizationId", org.value());
    detail.put("eventId", eventId);
    if (transactionId != null) {
      detail.put("transactionId", transactionId);
    }
    detail.put("memberId", activity.memberId());
    detail.put("accountId", activity.accountId());
    ArrayNode ids = detail.putArray("transactionIds");
    activity.transactionIds().forEach(ids::add);
    detail.put("count", activity.count());
    if (activity.postedFrom() != null) {
      detail.put("postedFrom", activity.postedFrom());
      detail.put("postedTo", activity.postedTo());
    }
    return Json.write(detail);
  }

  /**
   * One account, the event id to announce it with, and the id of the flow it belongs to (may be
   * null).
   */
  public record Announcement(AccountActivity activity, String eventId, String transactionId) {
    public Announcement(AccountActivity activity, String eventId) {
      this(activity, eventId, null);
    }

    /** The same announcement as part of the flow {@code flowId}. */
    public Announcement inFlow(String flowId) {
      return new Announcement(activity, eventId, flowId);
    }
  }

  /**
   * Publishes one event per announcement; returns how many were published.
   *
   * @throws WriteFailedException when some entries still fail after every retry
   */
  public int publish(OrganizationId org, List<Announcement> announcements) {
    List<PutEventsRequestEntry> entries = new ArrayList<>(announcements.size());
    for (Announcement a : announcements) {
      entries.add(
          PutEventsRequestEntry.builder()
              .eventBusName(busName)
              .source(Topic.PLATFORM_SOURCE)
              .detailType(Topic.ACCOUNT_TRANSACTION_ADDED.detailType())
              .detail(detail(org, a.eventId(), a.activity(), a.transactionId()))
              .build());
    }
    for (int from = 0; from < entries.size(); from += MAX_ENTRIES) {
      send(entries.subList(from, Math.min(entries.size(), from + MAX_ENTRIES)));
    }
    return entries.size();
  }

  private void send(List<PutEventsRequestEntry> batch) {
    AtomicReference<List<PutEventsRequestEntry>> pending = new AtomicReference<>(batch);
    try {
      Retry.with(backoff)
          .retryingOn(Retry::transientAwsFailure)
          .run(
              attempt -> {
                List<PutEventsRequestEntry> request = pending.get();
                PutEventsResponse response = eventBridge.putEvents(r -> r.entries(request));
                Integer failedCount = response.failedEntryCount();
                if (failedCount == null || failedCount == 0) {
                  return Retry.Step.done(null);
                }
                List<PutEventsRequestEntry> failed = new ArrayList<>();
                List<PutEventsResultEntry> results = response.entries();
                String lastError = null;
                for (int i = 0; i < request.size(); i++) {
                  PutEventsResultEntry result = i < results.size() ? results.get(i) : null;
                  if (result == null || result.errorCode() != null) {
                    failed.add(request.get(i));
                    if (result != null) {
                      lastError = result.errorCode() + ": " + result.errorMessage();
                    }
                  }
                }
                if (failed.isEmpty()) {
                  return Retry.Step.done(null);
                }
                pending.set(failed);
                return Retry.Step.again(String.valueOf(lastError));
              });
    } catch (Retry.ExhaustedException e) {
      throw new WriteFailedException(
          pending.get().size()
              + " events still failing after "
              + e.attempts()
              + " PutEvents attempts (last error: "
              + e.lastProblem()
              + ")");
    } catch (RuntimeException e) {
      throw BatchWriter.failed("PutEvents", e);
    }
  }
}
