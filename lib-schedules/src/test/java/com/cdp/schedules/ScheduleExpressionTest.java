package com.cdp.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.ValidationException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  private static Instant next(String expression, String after) {
    return ScheduleExpression.parse(expression).next(at(after), at("2026-01-01T00:00:00Z"), UTC);
  }

  @Test
  void rate_firesWholePeriodsAfterTheAnchor() {
    ScheduleExpression rate = ScheduleExpression.parse("rate(15 minutes)");
    Instant anchor = at("2026-11-28T10:00:00Z");
    assertThat(rate.next(anchor, anchor, UTC)).isEqualTo(at("2026-11-28T10:15:00Z"));
    assertThat(rate.next(at("2026-11-28T10:14:59Z"), anchor, UTC))
        .isEqualTo(at("2026-11-28T10:15:00Z"));
    assertThat(rate.next(at("2026-11-28T10:15:00Z"), anchor, UTC))
        .isEqualTo(at("2026-11-28T10:30:00Z"));
    assertThat(rate.next(at("2026-11-28T09:00:00Z"), anchor, UTC))
        .isEqualTo(at("2026-11-28T10:15:00Z"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rate(1 minutes)",
        "rate(5 minute)",
        "rate(0 minutes)",
        "rate(5 seconds)",
        "rate(five minutes)",
        "every 5 minutes",
        "cron(0 6 * * *)",
        "cron(0 6 * * * *)",
        "cron(0 6 ? * ? *)",
        "cron(60 6 * * ? *)",
        "cron(0 24 * * ? *)",
        "cron(0 6 32 * ? *)",
        "cron(0 6 ? * 8 *)",
        "cron(0 6 ? * MON#6 *)",
        "cron(0 6 * 13 ? *)",
        "cron(0 6 5-1 * ? *)",
        "cron(0 6 * * ? 1969)",
        "cron(0 6 ,1 * ? *)"
      })
  void parse_rejectsWhatEventBridgeRejects(String expression) {
    assertThatThrownBy(() -> ScheduleExpression.parse(expression))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.code()).isIn("invalid_schedule_expression"));
  }

  @ParameterizedTest(name = "{0} after {1} -> {2}")
  @CsvSource({
    "cron(* * * * ? *),      2026-11-28T10:00:30Z, 2026-11-28T10:01:00Z",
    "cron(0 6 * * ? *),      2026-11-28T05:59:00Z, 2026-11-28T06:00:00Z",
    "cron(0 6 * * ? *),      2026-11-28T06:00:00Z, 2026-11-29T06:00:00Z",
    "cron(0/15 * * * ? *),   2026-11-28T10:16:00Z, 2026-11-28T10:30:00Z",
    "'cron(5,35 8-9 * * ? *)', 2026-11-28T09:40:00Z, 2026-11-29T08:05:00Z",
    // 2026-11-28 is a Saturday: the next weekday is Monday the 30th.
    "cron(0 9 ? * MON-FRI *), 2026-11-28T10:00:00Z, 2026-11-30T09:00:00Z",
    "cron(0 9 ? * 2-6 *),    2026-11-28T10:00:00Z, 2026-11-30T09:00:00Z",
    "cron(0 0 L * ? *),      2026-02-01T00:00:00Z, 2026-02-28T00:00:00Z",
    "cron(0 0 L * ? *),      2028-02-01T00:00:00Z, 2028-02-29T00:00:00Z",
    // The first Monday of December 2026 is the 7th.
    "cron(0 12 ? * 2#1 *),   2026-11-28T00:00:00Z, 2026-12-07T12:00:00Z",
    // The last Friday of November 2026 is the 27th; of December the 25th.
    "cron(0 12 ? * 6L *),    2026-11-28T00:00:00Z, 2026-12-25T12:00:00Z",
    // 2026-11-15 is a Sunday: 15W fires on Monday the 16th.
    "cron(0 12 15W * ? *),   2026-11-01T00:00:00Z, 2026-11-16T12:00:00Z",
    // The last day of January 2027 is a Sunday: LW is Friday the 29th.
    "cron(0 12 LW * ? *),    2027-01-01T00:00:00Z, 2027-01-29T12:00:00Z",
    "cron(0 0 1 JAN ? 2030), 2026-11-28T00:00:00Z, 2030-01-01T00:00:00Z",
  })
  void cron_nextFire_followsEventBridgeSemantics(String expression, String after, String expected) {
    assertThat(next(expression.strip(), after.strip())).isEqualTo(at(expected.strip()));
  }

  @Test
  void cron_isEvaluatedInTheScheduleTimeZone() {
    ScheduleExpression daily = ScheduleExpression.parse("cron(0 6 * * ? *)");
    Instant next =
        daily.next(at("2026-11-28T00:00:00Z"), Instant.EPOCH, ZoneId.of("America/Chicago"));
    assertThat(next).isEqualTo(at("2026-11-28T12:00:00Z"));
  }

  @Test
  void cron_thatNeverFiresAgain_saysSo() {
    ScheduleExpression past = ScheduleExpression.parse("cron(0 0 1 1 ? 1999)");
    assertThatThrownBy(() -> past.next(at("2026-01-01T00:00:00Z"), Instant.EPOCH, UTC))
        .hasMessageContaining("does not fire");
  }
}
