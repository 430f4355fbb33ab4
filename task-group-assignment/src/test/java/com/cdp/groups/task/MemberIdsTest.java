package com.cdp.groups.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MemberIdsTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

  @Test
  void intern_numbersEachDistinctIdOnceInOrderOfFirstAppearance() {
    Random random = new Random(7);
    MemberIds ids = new MemberIds();
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      // Short ids from a small space: many repeats, and ids differing in one character.
      int length = 1 + random.nextInt(random.nextBoolean() ? 4 : 64);
      StringBuilder id = new StringBuilder(length);
      for (int c = 0; c < length; c++) {
        id.append(ALPHABET.charAt(random.nextInt(c < 3 ? 8 : ALPHABET.length())));
      }
      String value = id.toString();
      Integer number = expected.computeIfAbsent(value, v -> expected.size());
      assertThat(ids.intern(value)).as(value).isEqualTo(number);
    }
    assertThat(ids.size()).isEqualTo(expected.size());
    expected.forEach(
        (id, number) -> {
          assertThat(ids.find(id)).isEqualTo(number);
          assertThat(ids.id(number)).isEqualTo(id);
        });
    assertThat(ids.find("not-there-" + ALPHABET)).isEqualTo(-1);
  }

  @Test
  void pairIndex_keepsTheFirstLinePerActionAndCountsDuplicates() {
    PairIndex pairs = new PairIndex();
    assertThat(pairs.record(5, 1, true, 2)).isFalse();
    assertThat(pairs.record(5, 2, true, 3)).isFalse();
    assertThat(pairs.record(5, 1, true, 4)).isTrue();
    assertThat(pairs.record(5, 1, false, 9)).isFalse();
    assertThat(pairs.record(0, 1, false, 10)).isFalse();
    assertThat(pairs.firstAdd(5, 1)).isEqualTo(2);
    assertThat(pairs.firstRemove(5, 1)).isEqualTo(9);
    assertThat(pairs.firstAdd(5, 2)).isEqualTo(3);
    assertThat(pairs.firstRemove(5, 2)).isZero();
    assertThat(pairs.firstAdd(7, 1)).isZero();
    assertThat(pairs.contradicted()).isEqualTo(1);
    assertThat(pairs.validPairsPerGroup(3)).containsExactly(0, 1, 1);
  }
}
