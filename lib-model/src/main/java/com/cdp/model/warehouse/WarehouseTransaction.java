package com.cdp.model.warehouse;

import com.cdp.model.Money;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.id.TransactionId;
import com.cdp.model.table.Tables;
import com.cdp.model.table.WarehouseKeys;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A transaction as stored in the warehouse, shared by the writers (loader, platform-announced
 * transactions, cleanser) and the readers (transactions API). {@code postedDate} is the calendar
 * date the credit union reported; {@code postedAt} keeps the original text when it had a time.
 *
 * <p>Stored attributes: {@code pk, sk, organizationId, memberId, accountId, transactionId,
 * postedDate, postedAt?, amount (N), description, searchText (lower-cased description, for
 * case-insensitive filtering), runningBalance? (N), type?, checkNumber?, merchantCategoryCode?,
 * merchantName?, category? (set by the cleanser), source, loadedAt, enrichment? (a map, {@link
 * MerchantEnrichment}, set by the cleanser when Segmint cleansed the description)}.
 */
public record WarehouseTransaction(
    OrganizationId organization,
    MemberId member,
    AccountId account,
    TransactionId transactionId,
    LocalDate postedDate,
    Optional<String> postedAt,
    Money amount,
    String description,
    Optional<Money> runningBalance,
    Optional<TransactionType> type,
    Optional<String> checkNumber,
    Optional<String> merchantCategoryCode,
    Optional<String> merchantName,
    Optional<String> category,
    String source,
    Instant loadedAt,
    Optional<MerchantEnrichment> enrichment) {

  public WarehouseTransaction {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(postedDate, "postedDate");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(loadedAt, "loadedAt");
    postedAt = postedAt == null ? Optional.empty() : postedAt;
    runningBalance = runningBalance == null ? Optional.empty() : runningBalance;
    type = type == null ? Optional.empty() : type;
    checkNumber = checkNumber == null ? Optional.empty() : checkNumber;
    merchantCategoryCode = merchantCategoryCode == null ? Optional.empty() : merchantCategoryCode;
    merchantName = merchantName == null ? Optional.empty() : merchantName;
    category = category == null ? Optional.empty() : category;
    enrichment = enrichment == null ? Optional.empty() : enrichment;
  }

  /** A transaction without enrichment (as the loaders write it). */
  public WarehouseTransaction(
      OrganizationId organization,
      MemberId member,
      AccountId account,
      TransactionId transactionId,
      LocalDate postedDate,
      Optional<String> postedAt,
      Money amount,
      String description,
      Optional<Money> runningBalance,
      Optional<TransactionType> type,
      Optional<String> checkNumber,
      Optional<String> merchantCategoryCode,
      Optional<String> merchantName,
      Optional<String> category,
      String source,
      Instant loadedAt) {
    this(
        organization,
        member,
        account,
        transactionId,
        postedDate,
        postedAt,
        amount,
        description,
        runningBalance,
        type,
        checkNumber,
        merchantCategoryCode,
        merchantName,
        category,
        source,
        loadedAt,
        Optional.empty());
  }

  public String pk() {
    return WarehouseKeys.accountPk(organization, account);
  }

  public String sk() {
    return WarehouseKeys.transactionSk(postedDate, transactionId);
  }

  public Map<String, AttributeValue> toItem() {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(Tables.PK, AttributeValue.fromS(pk()));
    item.put(Tables.SK, AttributeValue.fromS(sk()));
    item.put("organizationId", AttributeValue.fromS(organization.value()));
    item.put("memberId", AttributeValue.fromS(member.value()));
    item.put("accountId", AttributeValue.fromS(account.value()));
    item.put("transactionId", AttributeValue.fromS(transactionId.value()));
    item.put("postedDate", AttributeValue.fromS(postedDate.toString()));
    postedAt.ifPresent(v -> item.put("postedAt", AttributeValue.fromS(v)));
    item.put("amount", AttributeValue.fromN(amount.toPlainString()));
    item.put("description", AttributeValue.fromS(description));
    item.put("searchText", AttributeValue.fromS(description.toLowerCase(Locale.ROOT)));
    runningBalance.ifPresent(
        v -> item.put("runningBalance", AttributeValue.fromN(v.toPlainString())));
    type.ifPresent(v -> item.put("type", AttributeValue.fromS(v.name())));
    checkNumber.ifPresent(v -> item.put("checkNumber", AttributeValue.fromS(v)));
    merchantCategoryCode.ifPresent(v -> item.put("merchantCategoryCode", AttributeValue.fromS(v)));
    merchantName.ifPresent(v -> item.put("merchantName", AttributeValue.fromS(v)));
    category.ifPresent(v -> item.put("category", AttributeValue.fromS(v)));
    item.put("source", AttributeValue.fromS(source));
    item.put("loadedAt", AttributeValue.fromS(loadedAt.toString()));
    enrichment.ifPresent(v -> item.put(MerchantEnrichment.ATTRIBUTE, v.toAttribute()));
    return item;
  }

  public static WarehouseTransaction fromItem(Map<String, AttributeValue> item) {
    return new WarehouseTransaction(
        OrganizationId.of(s(item, "organizationId")),
        MemberId.of(s(item, "memberId")),
        AccountId.of(s(item, "accountId")),
        TransactionId.of(s(item, "transactionId")),
        LocalDate.parse(s(item, "postedDate")),
        opt(item, "postedAt"),
        new Money(new BigDecimal(item.get("amount").n())),
        s(item, "description"),
        Optional.ofNullable(item.get("runningBalance")).map(v -> new Money(new BigDecimal(v.n()))),
        opt(item, "type").map(TransactionType::valueOf),
        opt(item, "checkNumber"),
        opt(item, "merchantCategoryCode"),
        opt(item, "merchantName"),
        opt(item, "category"),
        s(item, "source"),
        Instant.parse(s(item, "loadedAt")),
        Optional.ofNullable(
            MerchantEnrichment.fromAttribute(item.get(MerchantEnrichment.ATTRIBUTE))));
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.s() == null) {
      throw new IllegalStateException("warehouse item " + item.get(Tables.PK) + " lacks " + name);
    }
    return v.s();
  }

  private static Optional<String> opt(Map<String, AttributeValue> item, String name) {
    return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
  }
}
