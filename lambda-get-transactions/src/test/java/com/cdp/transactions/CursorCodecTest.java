package com.cdp.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.Money;
import com.cdp.model.ValidationException;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.warehouse.TransactionType;
import com.cdp.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CursorCodecTest {
  private static final OrganizationId ORG = OrganizationId.of("tcu");
  private static final AccountId ACCOUNT = AccountId.of("acct-1");
  private static final String KEY_A = "a".repeat(43);
  private static final String KEY_B = "b".repeat(43);
  private static final String KEY_C = "c".repeat(43);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
  private final TransactionFilter filter =
      TransactionFilter.NONE.withType(TransactionType.FEE).withText("Coffee");
  private final CursorCodec codec =
      new CursorCodec(CursorKeyRing.fixed(CursorKeys.of(KEY_A), clock), clock, Duration.ofHours(1));

  private String issue() {
    return codec.issue("2026-11-01#txn-9", ORG, ACCOUNT, filter, 120, 12);
  }

  @Test
  void verify_ofAnIssuedCursor_returnsItsPositionAndHint() {
    Cursor cursor = codec.verify(issue(), ORG, ACCOUNT, filter);

    assertThat(cursor.position()).isEqualTo("2026-11-01#txn-9");
    assertThat(cursor.evaluated()).isEqualTo(120);
    assertThat(cursor.matched()).isEqualTo(12);
    assertThat(cursor.expiresAt()).isEqualTo(Instant.parse("2026-11-28T11:00:00Z"));
  }

  @Test
  void issue_producesAUrlSafeToken() {
    assertThat(issue()).matches("[A-Za-z0-9._-]+").doesNotContain("=").hasSizeLessThan(300);
  }

  @Test
  void verify_withFiltersThatDifferOnlyInSpelling_accepts() {
    // q is case-insensitive and the type is case-insensitive: the same filter set.
    TransactionFilter sameFilters =
        ListingQuery.parse(java.util.Map.of("type", "fee", "q", "COFFEE")).filter();

    assertThat(codec.verify(issue(), ORG, ACCOUNT, sameFilters).position())
        .isEqualTo("2026-11-01#txn-9");
  }

  @Test
  void verify_everyTruncation_isRefusedAsInvalid() {
    String token = issue();
    for (int length = 0; length < token.length(); length++) {
      String truncated = token.substring(0, length);
      assertThatThrownBy(() -> codec.verify(truncated, ORG, ACCOUNT, filter))
          .as("truncated to %d characters", length)
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.code()).isEqualTo("invalid_cursor"));
    }
  }

  @Test
  void verify_everySingleCharacterChange_isRefusedAsInvalid() {
    String token = issue();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < token.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c == token.charAt(i)) {
          continue;
        }
        String changed = token.substring(0, i) + c + token.substring(i + 1);
        try {
          codec.verify(changed, ORG, ACCOUNT, filter);
          accepted.add(changed);
        } catch (ValidationException e) {
          assertThat(e.code()).isEqualTo("invalid_cursor");
        }
      }
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void verify_aPayloadReSignedWithAnotherKey_isRefusedAsInvalid() {
    CursorCodec forger =
        new CursorCodec(
            CursorKeyRing.fixed(CursorKeys.of(KEY_B), clock), clock, Duration.ofHours(1));
    String forged = forger.issue("2026-11-01#txn-9", ORG, ACCOUNT, filter, 1, 1);
    // Even with our key id pasted in, the MAC does not verify.
    String keyId = issue().split("\\.")[1];
    String[] parts = forged.split("\\.");
    String withOurKeyId = parts[0] + "." + keyId + "." + parts[2] + "." + parts[3];

    assertCode(() -> codec.verify(forged, ORG, ACCOUNT, filter), "invalid_cursor");
    assertCode(() -> codec.verify(withOurKeyId, ORG, ACCOUNT, filter), "invalid_cursor");
  }

  @Test
  void verify_garbageAndOversizedInput_isRefusedAsInvalid() {
    for (String garbage :
        List.of("", "abc", "v1...", "v2.aaaaaaaa.e30." + "A".repeat(43), "x".repeat(5000))) {
      assertCode(() -> codec.verify(garbage, ORG, ACCOUNT, filter), "invalid_cursor");
    }
  }

  @Test
  void verify_afterExpiry_isRefusedAsExpired() {
    String token = issue();
    clock.advance(Duration.ofHours(1));

    assertCode(() -> codec.verify(token, ORG, ACCOUNT, filter), "cursor_expired");
  }

  @Test
  void verify_justBeforeExpiry_accepts() {
    String token = issue();
    clock.advance(Duration.ofMinutes(59));

    assertThat(codec.verify(token, ORG, ACCOUNT, filter).position()).isEqualTo("2026-11-01#txn-9");
  }

  @Test
  void verify_forAnotherAccount_isRefusedAsMismatch() {
    assertCode(() -> codec.verify(issue(), ORG, AccountId.of("acct-2"), filter), "cursor_mismatch");
  }

  @Test
  void verify_forTheSameAccountIdInAnotherOrganization_isRefusedAsMismatch() {
    assertCode(
        () -> codec.verify(issue(), OrganizationId.of("other-cu"), ACCOUNT, filter),
        "cursor_mismatch");
  }

  @Test
  void verify_withOtherFilters_isRefusedAsMismatch() {
    List<TransactionFilter> others =
        List.of(
            TransactionFilter.NONE,
            filter.withText("coffe"),
            filter.withType(TransactionType.DEBIT),
            filter.withFrom(LocalDate.parse("2026-01-01")),
            filter.withTo(LocalDate.parse("2026-12-31")),
            filter.withMinAmount(Money.parse("0")),
            filter.withMaxAmount(Money.parse("10")));
    String token = issue();
    for (TransactionFilter other : others) {
      assertCode(() -> codec.verify(token, ORG, ACCOUNT, other), "cursor_mismatch");
    }
  }

  @Test
  void verify_afterRotation_acceptsCursorsOfThePreviousKeyButNotOfOlderOnes() {
    AtomicReference<CursorKeys> keys = new AtomicReference<>(CursorKeys.of(KEY_A));
    CursorKeyRing ring = new CursorKeyRing(keys::get, clock);
    CursorCodec rotating = new CursorCodec(ring, clock, Duration.ofHours(2));
    String signedWithA = rotating.issue("2026-11-01#t", ORG, ACCOUNT, filter, 0, 0);

    keys.set(new CursorKeys(CursorKey.fromSecret(KEY_B), List.of(CursorKey.fromSecret(KEY_A))));
    clock.advance(CursorKeyRing.REFRESH);
    String signedWithB = rotating.issue("2026-11-01#t", ORG, ACCOUNT, filter, 0, 0);

    assertThat(signedWithB.split("\\.")[1]).isNotEqualTo(signedWithA.split("\\.")[1]);
    assertThat(rotating.verify(signedWithA, ORG, ACCOUNT, filter).position())
        .isEqualTo("2026-11-01#t");

    keys.set(new CursorKeys(CursorKey.fromSecret(KEY_C), List.of(CursorKey.fromSecret(KEY_B))));
    clock.advance(CursorKeyRing.REFRESH);

    assertCode(() -> rotating.verify(signedWithA, ORG, ACCOUNT, filter), "invalid_cursor");
    assertThat(rotating.verify(signedWithB, ORG, ACCOUNT, filter).position())
        .isEqualTo("2026-11-01#t");
  }

  @Test
  void verify_ofACursorSignedWithAKeyNotLoadedYet_reloadsTheKeysOnce() {
    AtomicReference<CursorKeys> keys = new AtomicReference<>(CursorKeys.of(KEY_A));
    AtomicInteger loads = new AtomicInteger();
    CursorKeyRing ring =
        new CursorKeyRing(
            () -> {
              loads.incrementAndGet();
              return keys.get();
            },
            clock);
    CursorCodec stale = new CursorCodec(ring, clock, Duration.ofHours(1));
    stale.issue("2026-11-01#t", ORG, ACCOUNT, filter, 0, 0);
    // Another container already signs with the rotated key.
    CursorCodec fresh =
        new CursorCodec(
            CursorKeyRing.fixed(
                new CursorKeys(CursorKey.fromSecret(KEY_B), List.of(CursorKey.fromSecret(KEY_A))),
                clock),
            clock,
            Duration.ofHours(1));
    String signedWithB = fresh.issue("2026-11-01#t", ORG, ACCOUNT, filter, 0, 0);
    keys.set(new CursorKeys(CursorKey.fromSecret(KEY_B), List.of(CursorKey.fromSecret(KEY_A))));
    clock.advance(CursorKeyRing.MIN_RELOAD_GAP.plusSeconds(1));

    assertThat(stale.verify(signedWithB, ORG, ACCOUNT, filter).position())
        .isEqualTo("2026-11-01#t");
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void keyRing_whenAReloadFails_keepsTheCachedKeysAndReportsTheFailure() {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CursorKeyRing ring =
        new CursorKeyRing(
            () -> {
              if (failure.get() != null) {
                throw failure.get();
              }
              return CursorKeys.of(KEY_A);
            },
            clock);
    String id = ring.signingKey().id();
    failure.set(new IllegalStateException("secrets manager unavailable"));
    clock.advance(CursorKeyRing.REFRESH);

    assertThat(ring.signingKey().id()).isEqualTo(id);
    assertThat(ring.takeReloadFailure())
        .hasValueSatisfying(m -> assertThat(m).contains("unavailable"));
    assertThat(ring.takeReloadFailure()).isEmpty();
  }

  @Test
  void cursorKey_fromAShortSecret_isRefused() {
    assertThatThrownBy(() -> CursorKey.fromSecret("short"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least 32");
  }

  @Test
  void cursorKey_toString_neverShowsTheSecret() {
    assertThat(CursorKey.fromSecret(KEY_A).toString()).doesNotContain("aaaa");
  }

  private static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
