package com.cdp.warehouse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a load added to one account: the member of its first row, the members the load listed as its
 * owners (with the newest posted date each was listed on: joint accounts have several), how many
 * transactions, the first {@link #MAX_IDS} of their ids and the posted-date range. Becomes one
 * {@code account_transactionadded} event and the account's ownership records. Mutable accumulator;
 * not thread-safe.
 */
public final class AccountActivity {
  /** Ids listed in one event; {@code count} always has the full number. */
  public static final int MAX_IDS = 100;

  private final String accountId;
  private final String memberId;
  private final List<String> transactionIds;
  private int count;
  private String postedFrom;
  private String postedTo;
  private final Map<String, String> owners = new TreeMap<>();

  public AccountActivity(String accountId, String memberId) {
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    this.memberId = Objects.requireNonNull(memberId, "memberId");
    this.transactionIds = new ArrayList<>();
  }

  @JsonCreator
  AccountActivity(
      @JsonProperty("accountId") String accountId,
      @JsonProperty("memberId") String memberId,
      @JsonProperty("transactionIds") List<String> transactionIds,
      @JsonProperty("count") int count,
      @JsonProperty("postedFrom") String postedFrom,
      @JsonProperty("postedTo") String postedTo,
      @JsonProperty("owners") Map<String, String> owners) {
    this(accountId, memberId);
    if (owners != null) {
      owners.forEach(this::listOwner);
    } else if (postedTo != null) {
      // A summary written before owners were listed: its member was the account's only owner.
      listOwner(memberId, postedTo);
    }
    if (transactionIds != null) {
      this.transactionIds.addAll(
          transactionIds.subList(0, Math.min(MAX_IDS, transactionIds.size())));
    }
    this.count = count;
    this.postedFrom = postedFrom;
    this.postedTo = postedTo;
  }

  public void add(String transactionId, String postedDate) {
    count++;
    if (transactionIds.size() < MAX_IDS && !transactionIds.contains(transactionId)) {
      transactionIds.add(transactionId);
    }
    widen(postedDate, postedDate);
  }

  /**
   * Records that the organization's data named {@code member} as an owner of the account on {@code
   * postedDate} (keeps the newest date per member).
   */
  public void listOwner(String member, String postedDate) {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(postedDate, "postedDate");
    owners.merge(member, postedDate, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }

  /** Adds another chunk's activity for the same account. */
  public void merge(AccountActivity other) {
    if (!other.accountId.equals(accountId)) {
      throw new IllegalArgumentException("cannot merge activities of different accounts");
    }
    count += other.count;
    for (String id : other.transactionIds) {
      if (transactionIds.size() >= MAX_IDS) {
        break;
      }
      if (!transactionIds.contains(id)) {
        transactionIds.add(id);
      }
    }
    if (other.postedFrom != null) {
      widen(other.postedFrom, other.postedTo);
    }
    other.owners.forEach(this::listOwner);
  }

  private void widen(String from, String to) {
    if (postedFrom == null || from.compareTo(postedFrom) < 0) {
      postedFrom = from;
    }
    if (postedTo == null || to.compareTo(postedTo) > 0) {
      postedTo = to;
    }
  }

  @JsonProperty
  public String accountId() {
    return accountId;
  }

  @JsonProperty
  public String memberId() {
    return memberId;
  }

  @JsonProperty
  public List<String> transactionIds() {
    return List.copyOf(transactionIds);
  }

  @JsonProperty
  public int count() {
    return count;
  }

  @JsonProperty
  public String postedFrom() {
    return postedFrom;
  }

  @JsonProperty
  public String postedTo() {
    return postedTo;
  }

  /** The members listed as owners, each with the newest posted date it was listed on. */
  @JsonProperty
  public Map<String, String> owners() {
    return Map.copyOf(owners);
  }
}
