package com.cdp.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.SessionService;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.session.Session;
import com.cdp.model.table.Tables;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.model.warehouse.WarehouseTransaction;
import com.cdp.testing.MutableClock;
import com.cdp.testing.SharedStandIns;
import com.cdp.testing.StandIns;
import com.cdp.testing.TestIds;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Paging against dynalite for random transaction sets and random filter combinations: the pages,
 * concatenated, are exactly the filtered list in the API's order; every page but the last holds
 * exactly {@code limit} items; a cursor is null only on the last page; and transactions added
 * between page requests never duplicate or hide the items already paged past.
 */
class PagingPropertiesTest {
  private static final LocalDate BASE = LocalDate.parse("2026-03-01");
  private static final List<String> WORDS =
      List.of("Coffee", "COFFEE shop", "grocery", "Rent", "payroll", "Café", "ÄRGER", "e-shop");

  private final StandIns standIns = SharedStandIns.get();
  private final TestWarehouse warehouse = new TestWarehouse(standIns);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
  private final PlatformLogger logger = PlatformLogger.inMemory(new InMemoryLogPublisher());

  /** One generated transaction (organization, member and account are added per try). */
  record Spec(String id, int day, long cents, TransactionType type, String description) {
    WarehouseTransaction toTransaction(OrganizationId org, MemberId member, AccountId account) {
      return TestWarehouse.txn(
          org,
          member,
          account,
          id,
          BASE.plusDays(day).toString(),
          BigDecimal.valueOf(cents, 2).toPlainString(),
          description,
          type);
    }
  }

  /** One generated filter combination, kept as the query parameters a client would send. */
  record FilterSpec(
      Integer fromDay,
      Integer toDay,
      Long minCents,
      Long maxCents,
      TransactionType type,
      String q) {
    Map<String, String> params() {
      Map<String, String> p = new LinkedHashMap<>();
      if (fromDay != null) p.put("from", BASE.plusDays(fromDay).toString());
      if (toDay != null) p.put("to", BASE.plusDays(toDay).toString());
      if (minCents != null) p.put("minAmount", BigDecimal.valueOf(minCents, 2).toPlainString());
      if (maxCents != null) p.put("maxAmount", BigDecimal.valueOf(maxCents, 2).toPlainString());
      if (type != null) p.put("type", type.name().toLowerCase(java.util.Locale.ROOT));
      if (q != null) p.put("q", q);
      return p;
    }

    TransactionFilter filter() {
      return ListingQuery.parse(params()).filter();
    }
  }

  @Property(tries = 40)
  void concatenatedPages_equalTheFilteredSortedList_withFullPagesButTheLast(
      @ForAll("transactionSets") List<Spec> specs,
      @ForAll("filters") FilterSpec filterSpec,
      @ForAll @IntRange(min = 1, max = 7) int limit,
      @ForAll TransactionPager.ReadSizing sizing) {
    Account a = newAccount(sizing);
    List<WarehouseTransaction> all = a.store(specs);
    TransactionFilter filter = filterSpec.filter();
    List<String> expected =
        all.stream()
            .filter(t -> TestWarehouse.matches(filter, t))
            .sorted(TestWarehouse.API_ORDER)
            .map(t -> t.transactionId().value())
            .toList();

    List<List<TransactionView>> pages = a.pageThrough(filterSpec.params(), limit, null);

    assertPagesAreExact(pages, expected, limit);
  }

  @Property(tries = 30)
  void transactionsAddedBetweenPages_neverDuplicateOrHideItemsAlreadyPagedPast(
      @ForAll("transactionSets") List<Spec> before,
      @ForAll("transactionSets") List<Spec> added,
      @ForAll("filters") FilterSpec filterSpec,
      @ForAll @IntRange(min = 1, max = 5) int limit) {
    Account a = newAccount(TransactionPager.ReadSizing.ADAPTIVE);
    List<WarehouseTransaction> original = a.store(before);
    TransactionFilter filter = filterSpec.filter();

    TransactionsService.Listing first = a.page(filterSpec.params(), limit, null);
    Set<String> taken = new HashSet<>();
    original.forEach(t -> taken.add(t.transactionId().value()));
    // New transactions with fresh ids (ids are unique per account), anywhere in the order.
    List<WarehouseTransaction> inserted =
        a.store(added.stream().filter(s -> !taken.contains(s.id())).toList());
    List<List<TransactionView>> rest =
        first.nextCursor() == null
            ? List.of()
            : a.pageThrough(filterSpec.params(), limit, first.nextCursor());

    List<String> firstIds = ids(List.of(first.transactions()));
    // After the first page, the listing continues strictly below the last item it returned:
    // every matching item below that position (old or new) appears once; items added above it
    // belong to a fresh first page and never show up.
    String position =
        firstIds.isEmpty()
            ? null
            : original.stream()
                .filter(t -> t.transactionId().value().equals(firstIds.get(firstIds.size() - 1)))
                .findFirst()
                .orElseThrow()
                .sk();
    List<String> expectedRest =
        first.nextCursor() == null
            ? List.of()
            : Stream.concat(original.stream(), inserted.stream())
                .filter(t -> TestWarehouse.matches(filter, t))
                .filter(t -> t.sk().compareTo(position) < 0)
                .sorted(TestWarehouse.API_ORDER)
                .map(t -> t.transactionId().value())
                .toList();
    List<String> expectedFirst =
        original.stream()
            .filter(t -> TestWarehouse.matches(filter, t))
            .sorted(TestWarehouse.API_ORDER)
            .limit(limit)
            .map(t -> t.transactionId().value())
            .toList();

    assertThat(firstIds).isEqualTo(expectedFirst);
    if (!expectedRest.isEmpty()) {
      assertPagesAreExact(rest, expectedRest, limit);
    } else {
      assertThat(ids(rest)).isEmpty();
    }
    List<String> everything = new ArrayList<>(firstIds);
    everything.addAll(ids(rest));
    assertThat(everything).doesNotHaveDuplicates();
  }

  private static void assertPagesAreExact(
      List<List<TransactionView>> pages, List<String> expected, int limit) {
    assertThat(ids(pages)).doesNotHaveDuplicates().isEqualTo(expected);
    for (int i = 0; i < pages.size() - 1; i++) {
      assertThat(pages.get(i)).as("page %d of %d", i + 1, pages.size()).hasSize(limit);
    }
    List<TransactionView> last = pages.get(pages.size() - 1);
    if (expected.isEmpty()) {
      assertThat(pages).hasSize(1);
    } else {
      assertThat(last)
          .as("the last page is never empty")
          .isNotEmpty()
          .hasSizeLessThanOrEqualTo(limit);
    }
  }

  private static List<String> ids(List<List<TransactionView>> pages) {
    return pages.stream().flatMap(List::stream).map(TransactionView::transactionId).toList();
  }

  private Account newAccount(TransactionPager.ReadSizing sizing) {
    OrganizationId org = TestIds.org();
    MemberId member = MemberId.of("m-" + TestIds.suffix());
    AccountId account = AccountId.of("a-" + TestIds.suffix());
    warehouse.own(org, member, account);
    TransactionsService service =
        new TransactionsService(
            new SessionService(standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), clock),
            AccountAccess.ownership(standIns.dynamoDb(), warehouse.table),
            new TransactionPager(standIns.dynamoDb(), warehouse.table, sizing),
            new CursorCodec(
                CursorKeyRing.fixed(CursorKeys.of("k".repeat(40)), clock),
                clock,
                Duration.ofHours(1)));
    Session session =
        new Session("s", org, member, clock.instant(), clock.instant().plus(Duration.ofHours(1)));
    return new Account(org, member, account, service, session);
  }

  private final class Account {
    final OrganizationId org;
    final MemberId member;
    final AccountId account;
    final TransactionsService service;
    final Session session;

    Account(
        OrganizationId org,
        MemberId member,
        AccountId account,
        TransactionsService service,
        Session session) {
      this.org = org;
      this.member = member;
      this.account = account;
      this.service = service;
      this.session = session;
    }

    List<WarehouseTransaction> store(List<Spec> specs) {
      List<WarehouseTransaction> ts =
          specs.stream().map(s -> s.toTransaction(org, member, account)).toList();
      warehouse.put(ts);
      return ts;
    }

    TransactionsService.Listing page(Map<String, String> filter, int limit, String cursor) {
      Map<String, String> params = new LinkedHashMap<>(filter);
      params.put("limit", String.valueOf(limit));
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      try (RequestLog log = logger.open(LogType.APP, org.value(), null)) {
        return service.list(session, account.value(), params, log);
      }
    }

    List<List<TransactionView>> pageThrough(Map<String, String> filter, int limit, String cursor) {
      List<List<TransactionView>> pages = new ArrayList<>();
      String next = cursor;
      do {
        TransactionsService.Listing listing = page(filter, limit, next);
        pages.add(listing.transactions());
        next = listing.nextCursor();
        assertThat(pages.size()).as("paging terminates").isLessThan(200);
      } while (next != null);
      return pages;
    }
  }

  @Provide
  Arbitrary<List<Spec>> transactionSets() {
    // Printable ids that include the characters around the sort-key separator ('#', '$', ' ').
    Arbitrary<String> ids =
        Arbitraries.strings()
            .withChars("!#$ -_aZz09~")
            .ofMinLength(1)
            .ofMaxLength(4)
            .filter(s -> !s.startsWith(" ") && !s.endsWith(" "));
    Arbitrary<Spec> spec =
        Combinators.combine(
                ids,
                Arbitraries.integers().between(0, 9),
                Arbitraries.longs().between(-5000, 5000),
                Arbitraries.of(TransactionType.class).injectNull(0.3),
                Arbitraries.of(WORDS)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(3)
                    .map(w -> String.join(" ", w)))
            .as(Spec::new);
    return spec.list().ofMaxSize(40).uniqueElements(Spec::id);
  }

  @Provide
  Arbitrary<FilterSpec> filters() {
    Arbitrary<Integer> day = Arbitraries.integers().between(-1, 11).injectNull(0.6);
    Arbitrary<Long> cents = Arbitraries.longs().between(-6000, 6000).injectNull(0.6);
    Arbitrary<TransactionType> type = Arbitraries.of(TransactionType.class).injectNull(0.75);
    Arbitrary<String> q =
        Arbitraries.of("coffee", "COF", "Shop", "é", "är", "zzz", "e s", "-", "caf")
            .injectNull(0.6);
    return Combinators.combine(day, day, cents, cents, type, q)
        .as(
            (f, t, min, max, ty, text) -> {
              Integer from = f;
              Integer to = t;
              if (from != null && to != null && from > to) {
                from = t;
                to = f;
              }
              Long lo = min;
              Long hi = max;
              if (lo != null && hi != null && lo > hi) {
                lo = max;
                hi = min;
              }
              return new FilterSpec(from, to, lo, hi, ty, text);
            });
  }
}
