package com.cdp.groups.task;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The distinct member ids of a file, each numbered once (0, 1, 2, ... in order of first appearance)
 * and stored once as bytes: a million-row file's ids take about 20 bytes per distinct member
 * instead of a {@code String} and a {@code MemberId} per row. Ids are valid {@code MemberId}s
 * (ASCII only), so one byte per character is exact. Not thread-safe.
 */
final class MemberIds {
  private byte[] bytes = new byte[1 << 12];
  private int used;
  private int[] starts = new int[256];
  private int count;
  private int[] slots = new int[1 << 10];

  /** The id's number, numbering it if it is new. */
  int intern(String id) {
    int mask = slots.length - 1;
    for (int i = spread(hash(id)) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        slots[i] = add(id) + 1;
        if (count * 4L > slots.length * 3L) {
          rehash();
        }
        return count - 1;
      }
      if (matches(s - 1, id)) {
        return s - 1;
      }
    }
  }

  /** The id's number, or -1 if the file does not have it. */
  int find(String id) {
    int mask = slots.length - 1;
    for (int i = spread(hash(id)) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        return -1;
      }
      if (matches(s - 1, id)) {
        return s - 1;
      }
    }
  }

  String id(int number) {
    return new String(
        bytes, starts[number], end(number) - starts[number], StandardCharsets.ISO_8859_1);
  }

  int size() {
    return count;
  }

  private int end(int number) {
    return number + 1 == count ? used : starts[number + 1];
  }

  private int add(String id) {
    int n = id.length();
    if (used + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(used + n, bytes.length + (bytes.length >> 1)));
    }
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, starts.length + (starts.length >> 1));
    }
    starts[count] = used;
    for (int i = 0; i < n; i++) {
      bytes[used++] = (byte) id.charAt(i);
    }
    return count++;
  }

  private boolean matches(int number, String id) {
    int from = starts[number];
    int n = end(number) - from;
    if (n != id.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (bytes[from + i] != (byte) id.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void rehash() {
    int[] grown = new int[slots.length * 2];
    int mask = grown.length - 1;
    for (int number = 0; number < count; number++) {
      int h = 0;
      for (int i = starts[number], end = end(number); i < end; i++) {
        h = 31 * h + bytes[i];
      }
      int i = spread(h) & mask;
      while (grown[i] != 0) {
        i = (i + 1) & mask;
      }
      grown[i] = number + 1;
    }
    slots = grown;
  }

  /** {@link String#hashCode()}, which for ASCII equals the hash of the stored bytes. */
  private static int hash(String id) {
    return id.hashCode();
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 15);
  }
}
