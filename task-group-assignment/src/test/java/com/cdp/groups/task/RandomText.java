package com.cdp.groups.task;

import java.util.Random;

/** Random text biased towards the characters CSV and spreadsheets treat specially. */
final class RandomText {
  private static final String SPECIAL = ",\"\r\n\t=+-@' ";

  private RandomText() {}

  static String of(Random random, int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 4) {
        text.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
      } else if (kind < 9) {
        text.append((char) ('a' + random.nextInt(26)));
      } else {
        text.append((char) (0x00A0 + random.nextInt(0x2000)));
      }
    }
    return text.toString();
  }
}
