package com.cdp.warehouse;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The activities of many accounts, keyed and ordered by account id. Every row's member is listed as
 * an owner of its account (a joint account is listed under several members); the event's {@code
 * memberId} is the member of the first row that named the account.
 */
public final class AccountActivities {
  private final Map<String, AccountActivity> byAccount = new TreeMap<>();

  public void add(TransactionRow row) {
    byAccount
        .computeIfAbsent(row.accountId(), a -> new AccountActivity(a, row.memberId()))
        .add(row.transactionId(), row.postedDate());
    byAccount.get(row.accountId()).listOwner(row.memberId(), row.postedDate());
  }

  public void merge(AccountActivity activity) {
    AccountActivity mine = byAccount.get(activity.accountId());
    if (mine == null) {
      AccountActivity copy = new AccountActivity(activity.accountId(), activity.memberId());
      copy.merge(activity);
      byAccount.put(activity.accountId(), copy);
    } else {
      mine.merge(activity);
    }
  }

  public List<AccountActivity> list() {
    return new ArrayList<>(byAccount.values());
  }

  public int size() {
    return byAccount.size();
  }

  public byte[] toJson() {
    return Json.writeBytes(byAccount.values());
  }

  public static List<AccountActivity> fromJson(byte[] json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<List<AccountActivity>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable account summary", e);
    }
  }
}
