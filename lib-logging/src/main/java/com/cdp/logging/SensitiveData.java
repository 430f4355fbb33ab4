package com.cdp.logging;

import com.cdp.model.json.Json;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks sensitive values before anything is logged, so callers do not have to: secrets (session
 * tokens, API keys, passwords, authorization headers) are replaced by {@value #MASK}, and account
 * numbers keep only their last four characters ({@code ****6789}).
 *
 * <p>Two kinds of rules apply:
 *
 * <ul>
 *   <li>by name: a value whose key names a secret ({@code token}, {@code sessionToken}, {@code
 *       x-api-key}, {@code password}, {@code authorization}, ...) is masked whole; a value whose
 *       key names an account ({@code accountId}, {@code accountNumber}, {@code account}, {@code
 *       cardNumber}, ...) keeps its last four characters. Keys are compared without case and
 *       punctuation; a secret key masks everything below it, an account key the text and numbers
 *       directly below it (also in lists), while nested objects are judged by their own keys.
 *   <li>in free text (descriptions, every other string value, SLF4J messages): {@code Bearer xxx},
 *       {@code token=xxx} / {@code "apiKey": "xxx"} pairs, session-token-like strings (43 URL-safe
 *       base64 characters, or 32+ characters mixing upper case, lower case and digits), runs of
 *       9-19 digits, account numbers of 9-17 digits behind a letter prefix of up to four letters
 *       ({@code A123456789012}) and Luhn-valid card numbers of 13-19 digits written in groups with
 *       spaces or dashes ({@code 4111 1111 1111 1111}); numbers keep their last four digits. Whole
 *       numbers of 9-19 digits under any key are treated the same way.
 * </ul>
 */
public final class SensitiveData {
  /** What a masked secret becomes. */
  public static final String MASK = "****";

  private static final int MAX_DEPTH = 20;
  private static final int MAX_CACHED_KEYS = 10_000;

  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
  private static final Pattern PAIR =
      Pattern.compile(
          "(?i)\\b((?:access[_-]?|refresh[_-]?|id[_-]?|session[_-]?)?token|x-api-key|api[_-]?key"
              + "|password|passwd|secret|client[_-]?secret|authorization|cookie)"
              + "(\"?\\s*[=:]\\s*\"?)([^\\s&\"',;}]+)");
  private static final Pattern RANDOM_RUN =
      Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])");
  private static final Pattern DIGIT_RUN =
      Pattern.compile("(?<![A-Za-z0-9-])\\d{9,19}(?![A-Za-z0-9-])");
  // A card number written in groups: 13-19 digits with single spaces or dashes between them
  // (masked only when Luhn-valid, so dates and phone numbers in groups are left alone).
  private static final Pattern GROUPED_CARD =
      Pattern.compile("(?<![A-Za-z0-9_-])\\d(?:[ -]?\\d){12,18}(?![A-Za-z0-9_]|-\\d)");
  // An account number with a short letter prefix (A123456789012, ACCT000123456789).
  private static final Pattern PREFIXED_ACCOUNT =
      Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z]{1,4}\\d{9,17}(?![A-Za-z0-9_-])");

  private enum KeyKind {
    PLAIN,
    SECRET,
    ACCOUNT
  }

  private static final Map<String, KeyKind> KEY_KINDS = new ConcurrentHashMap<>();

  private SensitiveData() {}

  /** Masks secrets, tokens and long digit runs found in free text. */
  public static String maskText(String text) {
    if (text == null || text.length() < 9 || !mayHoldSecret(text)) {
      return text;
    }
    String masked = BEARER.matcher(text).replaceAll(m -> m.group(1) + " " + MASK);
    masked =
        PAIR.matcher(masked)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    masked = RANDOM_RUN.matcher(masked).replaceAll(m -> looksRandom(m.group()) ? MASK : m.group());
    masked = GROUPED_CARD.matcher(masked).replaceAll(m -> maskCard(m.group()));
    masked = PREFIXED_ACCOUNT.matcher(masked).replaceAll(m -> lastFour(m.group()));
    masked = DIGIT_RUN.matcher(masked).replaceAll(m -> lastFour(m.group()));
    return masked;
  }

  private static String maskCard(String grouped) {
    StringBuilder digits = new StringBuilder(19);
    for (int i = 0; i < grouped.length(); i++) {
      char c = grouped.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      }
    }
    // Digit runs without separators are masked by DIGIT_RUN whatever their checksum.
    if (digits.length() == grouped.length() || !luhnValid(digits)) {
      return Matcher.quoteReplacement(grouped);
    }
    return lastFour(digits.toString());
  }

  /** The Luhn (mod 10) checksum that every payment card number satisfies. */
  static boolean luhnValid(CharSequence digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** {@code ****} plus the last four characters, or the value itself when it has at most four. */
  public static String lastFour(String value) {
    if (value == null || value.length() <= 4) {
      return value;
    }
    return MASK + value.substring(value.length() - 4);
  }

  /**
   * The value logged under {@code key}: masked by the key's name or, for text, by the free-text
   * rules; maps and lists are copied with the rules applied below them; other objects are converted
   * to their JSON shape first.
   */
  public static Object maskValue(String key, Object value) {
    return mask(kindOf(key), value, 0);
  }

  /** A masked copy of a detail map (string keys, insertion order kept). */
  public static Map<String, Object> maskDetail(Map<String, ?> detail) {
    if (detail == null || detail.isEmpty()) {
      return Map.of();
    }
    return maskMap(KeyKind.PLAIN, detail, 0);
  }

  private static Object mask(KeyKind inherited, Object value, int depth) {
    if (value == null) {
      return null;
    }
    if (depth > MAX_DEPTH) {
      return "[too deep]";
    }
    if (inherited == KeyKind.SECRET) {
      return MASK;
    }
    if (value instanceof CharSequence text) {
      return inherited == KeyKind.ACCOUNT ? lastFour(text.toString()) : maskText(text.toString());
    }
    if (value instanceof Number || value instanceof Boolean) {
      if (inherited == KeyKind.ACCOUNT) {
        return lastFour(value.toString());
      }
      // A whole number of 9-19 digits is treated like such a digit run in text.
      return value instanceof Number n && looksLikeAccountNumber(n)
          ? maskText(n.toString())
          : value;
    }
    if (value instanceof Map<?, ?> map) {
      return maskMap(inherited, map, depth);
    }
    if (value instanceof Collection<?> items) {
      List<Object> copy = new ArrayList<>(items.size());
      for (Object item : items) {
        copy.add(mask(inherited, item, depth + 1));
      }
      return copy;
    }
    if (value instanceof Object[] items) {
      return mask(inherited, List.of(items), depth);
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Character
        || value instanceof UUID
        || value instanceof TemporalAccessor
        || value instanceof java.time.Duration) {
      return mask(inherited, value.toString(), depth);
    }
    if (value instanceof Throwable error) {
      return mask(inherited, error.getClass().getSimpleName() + ": " + error.getMessage(), depth);
    }
    Object shape;
    try {
      shape = Json.mapper().convertValue(value, Object.class);
    } catch (IllegalArgumentException e) {
      shape = String.valueOf(value);
    }
    return shape == value ? String.valueOf(value) : mask(inherited, shape, depth + 1);
  }

  private static boolean looksLikeAccountNumber(Number n) {
    if (n instanceof Long || n instanceof java.math.BigInteger) {
      String text = n.toString();
      int digits = text.startsWith("-") ? text.length() - 1 : text.length();
      return digits >= 9 && digits <= 19;
    }
    return n instanceof Integer i && Math.abs((long) i) >= 100_000_000L;
  }

  private static Map<String, Object> maskMap(KeyKind inherited, Map<?, ?> map, int depth) {
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      // Below an account key, nested objects are judged by their own keys (memberId stays).
      KeyKind kind = inherited == KeyKind.SECRET ? KeyKind.SECRET : kindOf(key);
      copy.put(maskText(key), mask(kind, entry.getValue(), depth + 1));
    }
    return copy;
  }

  private static KeyKind kindOf(String key) {
    if (key == null || key.isEmpty()) {
      return KeyKind.PLAIN;
    }
    KeyKind cached = KEY_KINDS.get(key);
    if (cached != null) {
      return cached;
    }
    KeyKind kind = classify(normalize(key));
    if (KEY_KINDS.size() < MAX_CACHED_KEYS) {
      KEY_KINDS.put(key, kind);
    }
    return kind;
  }

  private static String normalize(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(Character.toLowerCase(c));
      }
    }
    return b.toString();
  }

  private static KeyKind classify(String k) {
    if (k.endsWith("s") && k.length() > 4) {
      KeyKind singular = classify(k.substring(0, k.length() - 1));
      if (singular != KeyKind.PLAIN) {
        return singular;
      }
    }
    if (k.contains("token")
        || k.contains("password")
        || k.contains("passwd")
        || k.contains("secret")
        || k.contains("apikey")
        || k.equals("authorization")
        || k.equals("cookie")
        || k.equals("setcookie")
        || k.equals("pin")
        || k.equals("privatekey")
        || k.equals("credentials")) {
      return KeyKind.SECRET;
    }
    if (k.equals("account")
        || k.endsWith("accountid")
        || k.endsWith("accountnumber")
        || k.endsWith("accountno")
        || k.endsWith("acctno")
        || k.endsWith("acctnum")
        || k.endsWith("acctnumber")
        || k.endsWith("acctid")
        || k.endsWith("cardnumber")
        || k.equals("pan")
        || k.equals("iban")) {
      return KeyKind.ACCOUNT;
    }
    return KeyKind.PLAIN;
  }

  /** A cheap pre-check: only text that could match a rule goes through the regular expressions. */
  private static boolean mayHoldSecret(String text) {
    int digits = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '=' || c == ':' || c == ' ' && followsScheme(text, i)) {
        return true;
      }
      if (c >= '0' && c <= '9') {
        if (++digits >= 9) {
          return true;
        }
      } else if (!((c == ' ' || c == '-') && i > 0 && isDigit(text.charAt(i - 1)))) {
        // A single space or dash between digits continues the count (4111 1111 1111 1111).
        digits = 0;
      }
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '_'
          || c == '-') {
        if (++run >= 32) {
          return true;
        }
      } else {
        run = 0;
      }
    }
    return false;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean followsScheme(String text, int spaceAt) {
    return spaceAt >= 6 && text.regionMatches(true, spaceAt - 6, "bearer", 0, 6)
        || spaceAt >= 5 && text.regionMatches(true, spaceAt - 5, "basic", 0, 5);
  }

  /** Random-looking: mixes upper case, lower case and (unless it is token-sized) digits. */
  private static boolean looksRandom(String run) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper && lower && (digit || run.length() == 43);
  }
}
