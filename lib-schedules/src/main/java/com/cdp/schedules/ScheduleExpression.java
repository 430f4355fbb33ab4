package com.cdp.schedules;

import com.cdp.model.ValidationException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression, {@code rate(15 minutes)} or {@code cron(0 6 * * ? *)}, parsed
 * and validated with EventBridge's rules so that a bad expression fails at synthesis time and
 * locally, not at deploy time. The local platform fires schedules with {@link #next}.
 *
 * <p>Cron fields are {@code minutes hours day-of-month month day-of-week year}; supported are
 * {@code * ? , - /}, month and day names, {@code L} and {@code W} in day-of-month ({@code L},
 * {@code LW}, {@code 15W}) and {@code L} and {@code #} in day-of-week ({@code 6L}, {@code 2#1});
 * day-of-week runs 1-7 from Sunday, and one of the two day fields must be {@code ?}.
 */
public sealed interface ScheduleExpression
    permits ScheduleExpression.Rate, ScheduleExpression.Cron {

  /** The expression as EventBridge takes it. */
  String expression();

  /**
   * The first time strictly after {@code after} at which the schedule fires. A rate counts whole
   * periods from {@code anchor} (when the schedule was created); a cron ignores the anchor and is
   * evaluated in {@code zone}.
   */
  Instant next(Instant after, Instant anchor, ZoneId zone);

  static ScheduleExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ValidationException("missing_schedule_expression", "expression is required");
    }
    String t = text.strip();
    if (t.startsWith("rate(") && t.endsWith(")")) {
      return Rate.parse(t);
    }
    if (t.startsWith("cron(") && t.endsWith(")")) {
      return Cron.parse(t);
    }
    throw new ValidationException(
        "invalid_schedule_expression",
        "expression must be rate(N unit) or cron(min hour day month weekday year) (got '"
            + t
            + "')");
  }

  /** {@code rate(N minute|minutes|hour|hours|day|days)}; the unit is singular exactly when N=1. */
  record Rate(String expression, Duration period) implements ScheduleExpression {
    private static final Pattern RATE =
        Pattern.compile("rate\\((\\d{1,9}) (minute|minutes|hour|hours|day|days)\\)");

    public Rate {
      Objects.requireNonNull(expression, "expression");
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("period must be positive");
      }
    }

    static Rate parse(String text) {
      Matcher m = RATE.matcher(text);
      if (!m.matches()) {
        throw invalid(text, "a rate is rate(N minutes|hours|days), e.g. rate(15 minutes)");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2);
      if (n < 1) {
        throw invalid(text, "the rate must be a positive whole number");
      }
      if ((n == 1) != !unit.endsWith("s")) {
        throw invalid(
            text, n == 1 ? "use the singular unit for 1 (rate(1 minute))" : "use the plural unit");
      }
      Duration period =
          switch (unit) {
            case "minute", "minutes" -> Duration.ofMinutes(n);
            case "hour", "hours" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return new Rate(text, period);
    }

    @Override
    public Instant next(Instant after, Instant anchor, ZoneId zone) {
      if (after.isBefore(anchor)) {
        return anchor.plus(period);
      }
      long periods = Duration.between(anchor, after).toMillis() / period.toMillis() + 1;
      return anchor.plus(period.multipliedBy(periods));
    }
  }

  /** A six-field EventBridge cron expression. */
  record Cron(String expression, List<String> fields) implements ScheduleExpression {
    private static final Map<String, Integer> MONTHS =
        Map.ofEntries(
            Map.entry("JAN", 1),
            Map.entry("FEB", 2),
            Map.entry("MAR", 3),
            Map.entry("APR", 4),
            Map.entry("MAY", 5),
            Map.entry("JUN", 6),
            Map.entry("JUL", 7),
            Map.entry("AUG", 8),
            Map.entry("SEP", 9),
            Map.entry("OCT", 10),
            Map.entry("NOV", 11),
            Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS =
        Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

    /** How far ahead {@link #next} looks before deciding the expression never fires again. */
    private static final int MAX_YEARS_AHEAD = 10;

    public Cron {
      Objects.requireNonNull(expression, "expression");
      fields = List.copyOf(fields);
      compile(expression, fields);
    }

    static Cron parse(String text) {
      String inner = text.substring(5, text.length() - 1).strip();
      List<String> parts = List.of(inner.split("\\s+"));
      if (parts.size() != 6) {
        throw invalid(
            text,
            "a cron has six fields: minutes hours day-of-month month day-of-week year, e.g. cron(0"
                + " 6 * * ? *)");
      }
      return new Cron(text, parts);
    }

    @Override
    public Instant next(Instant after, Instant anchor, ZoneId zone) {
      Compiled c = compile(expression, fields);
      ZonedDateTime start = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      LocalDate day = start.toLocalDate();
      LocalDate last = day.plusYears(MAX_YEARS_AHEAD);
      for (; !day.isAfter(last); day = day.plusDays(1)) {
        if (!c.matchesDay(day)) {
          continue;
        }
        LocalTime from = day.equals(start.toLocalDate()) ? start.toLocalTime() : LocalTime.MIDNIGHT;
        for (int hour = c.hours.nextSetBit(from.getHour());
            hour >= 0;
            hour = c.hours.nextSetBit(hour + 1)) {
          int fromMinute = hour == from.getHour() ? from.getMinute() : 0;
          int minute = c.minutes.nextSetBit(fromMinute);
          if (minute >= 0) {
            ZonedDateTime candidate = day.atTime(hour, minute).atZone(zone);
            // Wall times skipped by a daylight-saving jump resolve later; never go backwards.
            if (candidate.toInstant().isAfter(after)) {
              return candidate.toInstant();
            }
          }
        }
      }
      throw new IllegalStateException(
          expression + " does not fire in the next " + MAX_YEARS_AHEAD + " years");
    }

    private record Compiled(
        BitSet minutes,
        BitSet hours,
        BitSet daysOfMonth,
        boolean domAny,
        boolean lastDayOfMonth,
        boolean lastWeekdayOfMonth,
        BitSet nearestWeekday,
        BitSet months,
        BitSet daysOfWeek,
        boolean dowAny,
        int lastDayOfWeek,
        int nthDayOfWeek,
        int nth,
        BitSet years) {

      boolean matchesDay(LocalDate date) {
        if (!years.get(date.getYear()) || !months.get(date.getMonthValue())) {
          return false;
        }
        return matchesDayOfMonth(date) && matchesDayOfWeek(date);
      }

      private boolean matchesDayOfMonth(LocalDate date) {
        if (domAny) {
          return true;
        }
        int dom = date.getDayOfMonth();
        int length = date.lengthOfMonth();
        if (daysOfMonth.get(dom) || (lastDayOfMonth && dom == length)) {
          return true;
        }
        if (lastWeekdayOfMonth && date.equals(nearestWeekdayTo(date.withDayOfMonth(length)))) {
          return true;
        }
        for (int d = nearestWeekday.nextSetBit(1); d >= 0; d = nearestWeekday.nextSetBit(d + 1)) {
          if (d <= length && date.equals(nearestWeekdayTo(date.withDayOfMonth(d)))) {
            return true;
          }
        }
        return false;
      }

      private boolean matchesDayOfWeek(LocalDate date) {
        if (dowAny) {
          return true;
        }
        int dow = cronDay(date.getDayOfWeek());
        if (daysOfWeek.get(dow)) {
          return true;
        }
        if (lastDayOfWeek == dow
            && date.equals(date.with(TemporalAdjusters.lastInMonth(date.getDayOfWeek())))) {
          return true;
        }
        return nthDayOfWeek == dow && (date.getDayOfMonth() - 1) / 7 + 1 == nth;
      }

      /** The weekday nearest to {@code date} within its month (W in day-of-month). */
      private static LocalDate nearestWeekdayTo(LocalDate date) {
        DayOfWeek d = date.getDayOfWeek();
        if (d == DayOfWeek.SATURDAY) {
          return date.getDayOfMonth() == 1 ? date.plusDays(2) : date.minusDays(1);
        }
        if (d == DayOfWeek.SUNDAY) {
          return date.getDayOfMonth() == date.lengthOfMonth()
              ? date.minusDays(2)
              : date.plusDays(1);
        }
        return date;
      }

      private static int cronDay(DayOfWeek day) {
        return day.getValue() % 7 + 1; // SUN=1 ... SAT=7
      }
    }

    private static Compiled compile(String expression, List<String> f) {
      if (f.size() != 6) {
        throw invalid(expression, "a cron has six fields");
      }
      BitSet minutes = values(expression, "minutes", f.get(0), 0, 59, Map.of());
      BitSet hours = values(expression, "hours", f.get(1), 0, 23, Map.of());
      BitSet months = values(expression, "month", f.get(3), 1, 12, MONTHS);
      BitSet years = values(expression, "year", f.get(5), 1970, 2199, Map.of());
      String dom = f.get(2).toUpperCase(Locale.ROOT);
      String dow = f.get(4).toUpperCase(Locale.ROOT);
      boolean domQ = dom.equals("?");
      boolean dowQ = dow.equals("?");
      if (domQ == dowQ) {
        throw invalid(
            expression,
            "exactly one of day-of-month and day-of-week must be '?' (e.g. cron(0 6 * * ? *))");
      }
      BitSet daysOfMonth = new BitSet();
      BitSet nearest = new BitSet();
      boolean lastDom = false;
      boolean lastWeekday = false;
      boolean domAny = domQ || dom.equals("*");
      if (!domAny) {
        if (dom.equals("L")) {
          lastDom = true;
        } else if (dom.equals("LW")) {
          lastWeekday = true;
        } else if (dom.matches("\\d{1,2}W")) {
          int d = Integer.parseInt(dom.substring(0, dom.length() - 1));
          if (d < 1 || d > 31) {
            throw invalid(expression, "day-of-month W needs a day 1-31");
          }
          nearest.set(d);
        } else {
          daysOfMonth = values(expression, "day-of-month", dom, 1, 31, Map.of());
        }
      }
      BitSet daysOfWeek = new BitSet();
      int lastDow = -1;
      int nthDow = -1;
      int nth = -1;
      boolean dowAny = dowQ || dow.equals("*");
      if (!dowAny) {
        Matcher last = Pattern.compile("([1-7]|[A-Z]{3})?L").matcher(dow);
        Matcher hash = Pattern.compile("([1-7]|[A-Z]{3})#([1-5])").matcher(dow);
        if (last.matches()) {
          lastDow = last.group(1) == null ? 7 : day(expression, last.group(1));
        } else if (hash.matches()) {
          nthDow = day(expression, hash.group(1));
          nth = Integer.parseInt(hash.group(2));
        } else {
          daysOfWeek = values(expression, "day-of-week", dow, 1, 7, DAYS);
        }
      }
      return new Compiled(
          minutes,
          hours,
          daysOfMonth,
          domAny,
          lastDom,
          lastWeekday,
          nearest,
          months,
          daysOfWeek,
          dowAny,
          lastDow,
          nthDow,
          nth,
          years);
    }

    private static int day(String expression, String token) {
      Integer named = DAYS.get(token);
      return named != null ? named : number(expression, "day-of-week", token, 1, 7);
    }

    /** A field of {@code * , - /} items over {@code [min, max]}. */
    private static BitSet values(
        String expression,
        String name,
        String field,
        int min,
        int max,
        Map<String, Integer> names) {
      BitSet set = new BitSet();
      String upper = field.toUpperCase(Locale.ROOT);
      if (upper.equals("?")) {
        throw invalid(expression, "'?' is only allowed in day-of-month or day-of-week");
      }
      for (String item : upper.split(",", -1)) {
        if (item.isEmpty()) {
          throw invalid(expression, name + " has an empty list item");
        }
        int step = 1;
        String range = item;
        int slash = item.indexOf('/');
        if (slash >= 0) {
          range = item.substring(0, slash);
          step = number(expression, name, item.substring(slash + 1), 1, max - min + 1);
        }
        int from;
        int to;
        if (range.equals("*")) {
          from = min;
          to = max;
        } else if (range.contains("-")) {
          String[] ends = range.split("-", -1);
          if (ends.length != 2) {
            throw invalid(expression, name + " range '" + range + "' is not a-b");
          }
          from = value(expression, name, ends[0], min, max, names);
          to = value(expression, name, ends[1], min, max, names);
          if (to < from) {
            throw invalid(expression, name + " range '" + range + "' runs backwards");
          }
        } else {
          from = value(expression, name, range, min, max, names);
          to = slash >= 0 ? max : from;
        }
        for (int v = from; v <= to; v += step) {
          set.set(v);
        }
      }
      return set;
    }

    private static int value(
        String expression,
        String name,
        String token,
        int min,
        int max,
        Map<String, Integer> names) {
      Integer named = names.get(token);
      return named != null ? named : number(expression, name, token, min, max);
    }

    private static int number(String expression, String name, String token, int min, int max) {
      if (!token.matches("\\d{1,4}")) {
        throw invalid(expression, name + " value '" + token + "' is not allowed");
      }
      int v = Integer.parseInt(token);
      if (v < min || v > max) {
        throw invalid(expression, name + " must be between " + min + " and " + max);
      }
      return v;
    }
  }

  private static ValidationException invalid(String expression, String reason) {
    return new ValidationException(
        "invalid_schedule_expression",
        "invalid schedule expression '" + expression + "': " + reason);
  }
}
