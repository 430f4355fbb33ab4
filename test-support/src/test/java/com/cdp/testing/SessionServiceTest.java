package com.cdp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.access.SessionService;
import com.cdp.model.ValidationException;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.session.SessionToken;
import com.cdp.model.session.SessionVerification;
import com.cdp.model.session.SessionVerification.Reason;
import com.cdp.model.table.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Sessions against dynalite, through the same DynamoDB client production uses. */
@ExtendWith(StandInsExtension.class)
class SessionServiceTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-28T10:00:00Z"));
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
  private final StandIns standIns;
  private final SessionService sessions;

  SessionServiceTest(StandIns standIns) {
    this.standIns = standIns;
    this.sessions =
        new SessionService(standIns.dynamoDb(), standIns.tableName(Tables.SESSIONS), clock);
  }

  @Test
  void create_thenVerify_returnsTheSessionsMember() {
    OrganizationId org = TestIds.org();
    SessionService.Created created = sessions.create(org, MemberId.of("m-1"), Duration.ofHours(1));

    SessionVerification result = sessions.verify(created.token());

    assertThat(result)
        .isInstanceOfSatisfying(
            SessionVerification.Valid.class,
            v -> {
              assertThat(v.session().organization()).isEqualTo(org);
              assertThat(v.session().member()).isEqualTo(MemberId.of("m-1"));
              assertThat(v.session().expiresAt()).isEqualTo(Instant.parse("2026-11-28T11:00:00Z"));
            });
  }

  @Test
  void create_tokenIs256BitUrlSafe_andOnlyItsHashIsStored() {
    SessionService.Created created =
        sessions.create(TestIds.org(), MemberId.of("m-1"), Duration.ofHours(1));

    assertThat(created.token()).matches("[A-Za-z0-9_-]{43}");
    Map<String, AttributeValue> stored =
        standIns
            .dynamoDb()
            .getItem(
                r ->
                    r.tableName(standIns.tableName(Tables.SESSIONS))
                        .key(
                            Map.of("pk", AttributeValue.fromS(SessionToken.hash(created.token())))))
            .item();
    assertThat(stored).isNotEmpty();
    assertThat(stored.values().toString()).doesNotContain(created.token());
    assertThat(created.toString()).doesNotContain(created.token());
  }

  @Test
  void verify_afterExpiry_isRefusedAsExpiredEvenBeforeTtlDeletesIt() {
    SessionService.Created created =
        sessions.create(TestIds.org(), MemberId.of("m-1"), Duration.ofMinutes(5));
    now.set(now.get().plus(Duration.ofMinutes(5)));

    assertThat(sessions.verify(created.token()))
        .isEqualTo(new SessionVerification.Refused(Reason.EXPIRED));
  }

  @Test
  void verify_unknownMalformedOrMissingToken_isRefusedWithTheReason() {
    assertThat(sessions.verify(SessionToken.generate()))
        .isEqualTo(new SessionVerification.Refused(Reason.UNKNOWN));
    assertThat(sessions.verify("not a token"))
        .isEqualTo(new SessionVerification.Refused(Reason.MALFORMED));
    assertThat(sessions.verify("")).isEqualTo(new SessionVerification.Refused(Reason.MISSING));
    assertThat(sessions.verify(null)).isEqualTo(new SessionVerification.Refused(Reason.MISSING));
  }

  @Test
  void create_withTtlOutOfBounds_isRejected() {
    assertThatThrownBy(() -> sessions.create(TestIds.org(), MemberId.of("m"), Duration.ofDays(8)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("session ttl must be between");
    assertThatThrownBy(
            () -> sessions.create(TestIds.org(), MemberId.of("m"), Duration.ofSeconds(5)))
        .isInstanceOf(ValidationException.class);
  }
}
