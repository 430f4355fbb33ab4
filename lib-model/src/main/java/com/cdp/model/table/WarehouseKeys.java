package com.cdp.model.table;

import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.id.TransactionId;
import java.time.LocalDate;

/**
 * Key formats of the warehouse table, shared by the writers (loader) and readers (transactions API,
 * realtime). Every key starts with the organization, so identifiers that collide across
 * organizations never meet.
 *
 * <ul>
 *   <li>transaction: {@code pk=ORG#o#ACCT#a}, {@code sk=yyyy-MM-dd#transactionId} (sorted by posted
 *       date; a reload overwrites the same item)
 *   <li>member owns account: {@code pk=ORG#o#MEMBER#m}, {@code sk=ACCT#a}
 *   <li>account's owners (a set: joint accounts): {@code pk=ORG#o#ACCT#a#OWNER}, {@code
 *       sk=OWNER#m}, one item per owner; the legacy single-owner item {@code sk=OWNER} (attribute
 *       memberId) is honoured only while no {@code OWNER#} item exists (see AccountOwnership)
 * </ul>
 */
public final class WarehouseKeys {
  public static final String OWNER_SK = "OWNER";

  private WarehouseKeys() {}

  public static String accountPk(OrganizationId org, AccountId account) {
    return "ORG#" + org.value() + "#ACCT#" + account.value();
  }

  public static String transactionSk(LocalDate postedDate, TransactionId transaction) {
    return postedDate + "#" + transaction.value();
  }

  /** The transaction id part of a transaction sort key. */
  public static String transactionIdOf(String sk) {
    return sk.substring(sk.indexOf('#') + 1);
  }

  public static String memberPk(OrganizationId org, MemberId member) {
    return "ORG#" + org.value() + "#MEMBER#" + member.value();
  }

  public static String memberAccountSk(AccountId account) {
    return "ACCT#" + account.value();
  }

  /** Sort key of one owner of an account (under {@link #ownerPk}). */
  public static String ownerSk(MemberId member) {
    return OWNER_SK + "#" + member.value();
  }

  public static String ownerPk(OrganizationId org, AccountId account) {
    return accountPk(org, account) + "#OWNER";
  }
}
