package com.cdp.logging;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Times in log messages: UTC, always with milliseconds ({@code 2026-11-28T10:05:00.120Z}), so that
 * text order is time order in both query engines.
 */
final class LogTimes {
  private LogTimes() {}

  static String iso(Instant instant) {
    return iso(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  static String iso(LocalDateTime t) {
    StringBuilder b = new StringBuilder(24);
    pad(b, t.getYear(), 4).append('-');
    pad(b, t.getMonthValue(), 2).append('-');
    pad(b, t.getDayOfMonth(), 2).append('T');
    pad(b, t.getHour(), 2).append(':');
    pad(b, t.getMinute(), 2).append(':');
    pad(b, t.getSecond(), 2).append('.');
    pad(b, t.getNano() / 1_000_000, 3).append('Z');
    return b.toString();
  }

  static String pad(int value, int width) {
    return pad(new StringBuilder(width), value, width).toString();
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(digits);
  }
}
