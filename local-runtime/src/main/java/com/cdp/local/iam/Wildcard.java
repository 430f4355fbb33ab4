package com.cdp.local.iam;

/**
 * IAM's wildcard match for actions, resources and {@code StringLike}/{@code ArnLike} values: {@code
 * *} matches any run of characters (also none, also across {@code :} and {@code /}), {@code ?}
 * exactly one character; everything else matches itself. Actions match case-insensitively.
 */
final class Wildcard {
  private Wildcard() {}

  static boolean matches(String pattern, String value, boolean ignoreCase) {
    // Greedy two-pointer glob matching with backtracking to the last '*': linear in practice and
    // never recursive, so a long pattern cannot blow the stack.
    int p = 0;
    int v = 0;
    int star = -1;
    int mark = 0;
    while (v < value.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = v;
      } else if (p < pattern.length()
          && (pattern.charAt(p) == '?' || same(pattern.charAt(p), value.charAt(v), ignoreCase))) {
        p++;
        v++;
      } else if (star >= 0) {
        p = star + 1;
        v = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static boolean same(char a, char b, boolean ignoreCase) {
    return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
  }
}
