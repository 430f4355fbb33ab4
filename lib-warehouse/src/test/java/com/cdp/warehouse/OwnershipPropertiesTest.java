package com.cdp.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.access.AccountOwnership;
import com.cdp.aws.retry.Backoff;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.testing.SharedStandIns;
import com.cdp.testing.StandIns;
import com.cdp.testing.TestIds;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Ownership against dynalite: whatever files arrive, in whatever order (a re-delivered or late file
 * included), exactly the members the files name for an account may read it — every member named
 * within {@link AccountOwnership#UNLISTED_GRACE} of the account's newest listing, and nobody else.
 */
class OwnershipPropertiesTest {
  private static final LocalDate BASE = LocalDate.parse("2026-09-01");
  private static final List<String> MEMBERS = List.of("M1", "M2", "M3", "M4");
  private static final List<String> ACCOUNTS = List.of("A1", "A2");

  private final StandIns standIns = SharedStandIns.get();

  /** One file row as far as ownership is concerned: who, which account, posted when. */
  record Row(String member, String account, int day) {}

  @Provide
  Arbitrary<List<List<Row>>> files() {
    Arbitrary<Row> row =
        Combinators.combine(
                Arbitraries.of(MEMBERS),
                Arbitraries.of(ACCOUNTS),
                Arbitraries.integers().between(0, 90))
            .as(Row::new);
    return row.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 60)
  void anyInterleavingOfFiles_letsExactlyTheNamedOwnersRead(
      @ForAll("files") List<List<Row>> files, @ForAll long seed) {
    OrganizationId org = TestIds.org();
    String table = standIns.tableName(Tables.WAREHOUSE);
    List<List<Row>> deliveries = new ArrayList<>(files);
    Random random = new Random(seed);
    // Some files are delivered twice (S3 and EventBridge deliver at least once), in any order.
    for (List<Row> f : files) {
      if (random.nextBoolean()) {
        deliveries.add(f);
      }
    }
    Collections.shuffle(deliveries, random);
    try (BatchWriter writer = new BatchWriter(standIns.dynamoDb(), 4, Backoff.immediate(5))) {
      TransactionWritePath path = new TransactionWritePath(writer, noEvents(), table);
      for (List<Row> file : deliveries) {
        AccountActivities activities = new AccountActivities();
        int n = 0;
        for (Row r : file) {
          activities.add(
              new TransactionRow(
                  r.member(),
                  r.account(),
                  "T" + n++,
                  BASE.plusDays(r.day()).toString(),
                  null,
                  "-1.00",
                  "X",
                  null,
                  null,
                  null,
                  null));
        }
        path.writeOwnership(org, activities.list());
      }
    }

    for (String account : ACCOUNTS) {
      Set<String> expected = expectedOwners(files, account);
      Set<String> readers = new TreeSet<>();
      for (String member : MEMBERS) {
        if (AccountOwnership.owns(
            standIns.dynamoDb(), table, org, MemberId.of(member), AccountId.of(account))) {
          readers.add(member);
        }
      }
      assertThat(readers).as("readers of %s after %s", account, deliveries).isEqualTo(expected);
    }
  }

  /**
   * The documented rule, computed from the files alone: each member's newest listing of the
   * account; owners are those listed within the grace of the newest listing of anyone.
   */
  private static Set<String> expectedOwners(List<List<Row>> files, String account) {
    Map<String, LocalDate> newest = new HashMap<>();
    for (List<Row> f : files) {
      for (Row r : f) {
        if (r.account().equals(account)) {
          newest.merge(r.member(), BASE.plusDays(r.day()), (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    }
    Set<String> owners = new TreeSet<>();
    LocalDate latest = newest.values().stream().max(LocalDate::compareTo).orElse(null);
    newest.forEach(
        (member, on) -> {
          if (!on.isBefore(latest.minus(AccountOwnership.UNLISTED_GRACE))) {
            owners.add(member);
          }
        });
    return owners;
  }

  private static TransactionEvents noEvents() {
    return new TransactionEvents(
        new software.amazon.awssdk.services.eventbridge.EventBridgeClient() {
          @Override
          public String serviceName() {
            return "events";
          }

          @Override
          public void close() {}
        },
        "bus",
        Backoff.immediate(1));
  }
}
