package com.cdp.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.model.warehouse.WarehouseTransaction;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How the pager reads DynamoDB (dynalite): reading on past short results, and what it costs. */
@ExtendWith(StandInsExtension.class)
class TransactionPagerTest {
  private final TestWarehouse warehouse;
  private final StandIns standIns;
  private final OrganizationId org = TestIds.org();
  private final MemberId member = MemberId.of("m-1");
  private final AccountId account = AccountId.of("a-1");

  TransactionPagerTest(StandIns standIns) {
    this.standIns = standIns;
    this.warehouse = new TestWarehouse(standIns);
  }

  /** {@code count} transactions, one per id, newest = highest index; {@code rare} every n-th. */
  private void load(int count, int rareEvery, int descriptionLength) {
    List<WarehouseTransaction> txns = new ArrayList<>();
    LocalDate start = LocalDate.parse("2020-01-01");
    for (int i = 0; i < count; i++) {
      boolean rare = i % rareEvery == 0;
      txns.add(
          TestWarehouse.txn(
              org,
              member,
              account,
              String.format("t%05d", i),
              start.plusDays(i / 10).toString(),
              "-1.00",
              "x".repeat(descriptionLength - 4) + (rare ? "rare" : "comm"),
              rare ? TransactionType.INTEREST : TransactionType.DEBIT));
    }
    warehouse.put(txns);
  }

  private TransactionPager pager(TransactionPager.ReadSizing sizing) {
    return new TransactionPager(standIns.dynamoDb(), warehouse.table, sizing);
  }

  @Test
  void read_withoutFilters_takesOneQueryEvaluatingLimitPlusOne() {
    load(100, 1000, 20);

    TransactionPager.Page page =
        pager(TransactionPager.ReadSizing.ADAPTIVE)
            .read(org, account, TransactionFilter.NONE, 10, TransactionPager.Resume.START);

    assertThat(page.transactions()).hasSize(10);
    assertThat(page.transactions().get(0).transactionId().value()).isEqualTo("t00099");
    assertThat(page.stats().calls()).isEqualTo(1);
    assertThat(page.stats().evaluated()).isEqualTo(11);
    assertThat(page.nextPosition()).contains(page.transactions().get(9).sk());
  }

  @Test
  void read_whenOnlyTheOldestItemsMatch_readsOnUntilThePageIsFull() {
    load(60, 1000, 20); // only t00000 is "rare"
    warehouse.put(
        List.of(
            TestWarehouse.txn(
                org, member, account, "old-1", "2019-12-30", "1", "rare one", TransactionType.FEE),
            TestWarehouse.txn(
                org,
                member,
                account,
                "old-2",
                "2019-12-31",
                "1",
                "rare two",
                TransactionType.FEE)));
    TransactionFilter rare = TransactionFilter.NONE.withText("rare");
    TransactionPager naive = pager(TransactionPager.ReadSizing.MISSING_ONLY);

    TransactionPager.Page first = naive.read(org, account, rare, 2, TransactionPager.Resume.START);

    assertThat(first.transactions())
        .extracting(t -> t.transactionId().value())
        .containsExactly("t00000", "old-2");
    assertThat(first.stats().calls()).isGreaterThan(1);
    assertThat(first.stats().evaluated()).isEqualTo(62);
    TransactionPager.Page second =
        naive.read(org, account, rare, 2, new TransactionPager.Resume(first.nextPosition(), 0, 0));
    assertThat(second.transactions())
        .extracting(t -> t.transactionId().value())
        .containsExactly("old-1");
    assertThat(second.nextPosition()).isEmpty();
  }

  @Test
  void read_acrossTheOneMegabyteQueryCap_stillFillsThePage() {
    // ~2,600 items of ~530 bytes: more than 1 MB, so one unbounded Query cannot see them all.
    load(2600, 1000, 500); // rare: t00000, t01000, t02000
    TransactionFilter rare = TransactionFilter.NONE.withType(TransactionType.INTEREST);

    TransactionPager.Page page =
        pager(TransactionPager.ReadSizing.UNBOUNDED)
            .read(org, account, rare, 3, TransactionPager.Resume.START);

    assertThat(page.transactions())
        .extracting(t -> t.transactionId().value())
        .containsExactly("t02000", "t01000", "t00000");
    assertThat(page.stats().calls()).as("the 1 MB cap split the read").isGreaterThan(1);
    assertThat(page.stats().evaluated()).isEqualTo(2600);
    assertThat(page.nextPosition()).isEmpty();
  }

  @Test
  void read_adaptively_atOnePercentSelectivity_needsFewQueriesAndCarriesTheHint() {
    load(3000, 100, 20);
    TransactionFilter rare = TransactionFilter.NONE.withText("rare");
    TransactionPager adaptive = pager(TransactionPager.ReadSizing.ADAPTIVE);

    TransactionPager.Page first =
        adaptive.read(org, account, rare, 10, TransactionPager.Resume.START);
    TransactionPager.Page second =
        adaptive.read(
            org,
            account,
            rare,
            10,
            new TransactionPager.Resume(
                first.nextPosition(), first.hintEvaluated(), first.hintMatched()));

    assertThat(first.transactions()).hasSize(10);
    assertThat(second.transactions()).hasSize(10);
    assertThat(first.stats().calls()).isLessThanOrEqualTo(5);
    assertThat(second.stats().calls())
        .as("the cursor's hint sizes the first read")
        .isLessThanOrEqualTo(2);
    // Reading only what is missing would take about 90 Queries per page here (see BENCHMARKS.md).
    assertThat(first.hintMatched()).isBetween(10L, 40L);
  }

  @Test
  void read_ofAnAccountWithoutTransactions_isOneEmptyPage() {
    TransactionPager.Page page =
        pager(TransactionPager.ReadSizing.ADAPTIVE)
            .read(
                org,
                AccountId.of("empty"),
                TransactionFilter.NONE.withText("x"),
                25,
                TransactionPager.Resume.START);

    assertThat(page.transactions()).isEmpty();
    assertThat(page.nextPosition()).isEqualTo(Optional.empty());
    assertThat(page.stats().calls()).isEqualTo(1);
  }
}
