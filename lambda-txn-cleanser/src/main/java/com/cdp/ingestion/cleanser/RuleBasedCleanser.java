package com.cdp.ingestion.cleanser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The embedded cleanser: strips card, ACH and point-of-sale noise, card masks, dates, store
 * numbers, reference codes and the trailing city/state, then title-cases what is left; maps
 * merchant category codes (or, without one, keywords and the transaction type) to a category.
 * Deterministic, so running it again gives the same result.
 */
final class RuleBasedCleanser implements TransactionCleanser {
  private static final Pattern PREFIXES =
      Pattern.compile(
          "^(?:(?:POS|ACH|DEBIT|CREDIT|CARD|PURCHASE|CHECKCARD|CHECK CARD|VISA|MC|DBT|RECURRING"
              + "|PAYMENT|AUTHORIZED|AUTH|ON|ONLINE|ELECTRONIC|WITHDRAWAL|DEPOSIT|PREAUTHORIZED"
              + "|PRE-AUTHORIZED|BILL|PMT|TRANSACTION|SALE)\\b[\\s:-]*)+");
  private static final Pattern AGGREGATOR =
      Pattern.compile("^(?:SQ|TST|SP|PP|PAYPAL|IN|PY)\\s*\\*\\s*");
  private static final Pattern CARD_MASK = Pattern.compile("\\b(?:X{2,}|\\*{2,})\\d{2,4}\\b");
  private static final Pattern DATE =
      Pattern.compile("\\b\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?\\b|^\\d{4}\\b");
  private static final Pattern STAR_REF = Pattern.compile("\\*[A-Z0-9]+");
  private static final Pattern STORE =
      Pattern.compile("(?:#\\s*\\d+|\\bSTORE\\s+\\d+|\\b\\d{3,}\\b)");
  private static final Pattern PHONE = Pattern.compile("\\b\\d{3}-\\d{3}-\\d{4}\\b");
  private static final Pattern DOMAIN_PATH =
      Pattern.compile("\\b[A-Z0-9.-]+\\.(?:COM|NET|ORG)/\\S*");
  private static final Pattern SUFFIX = Pattern.compile("[,\\s]+(?:INC|LLC|CORP|CO|LTD)\\.?$");
  private static final Set<String> STATES =
      Set.of(
          "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
          "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
          "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
          "VA", "WA", "WV", "WI", "WY", "DC");
  private static final Set<String> CITY_FIRST_WORDS =
      Set.of("LOS", "SAN", "NEW", "SANTA", "SALT", "LAS", "FORT", "ST", "EL", "PALO", "LA");

  private static final Map<String, String> KEYWORDS =
      Map.of(
          "PAYROLL", "Income",
          "DIRECT DEP", "Income",
          "TRANSFER", "Transfer",
          "ATM", "Cash",
          "INTEREST", "Interest",
          "FEE", "Fees",
          "CHECK #", "Checks");

  @Override
  public List<Output> cleanse(List<Input> transactions) {
    List<Output> out = new ArrayList<>(transactions.size());
    for (Input t : transactions) {
      out.add(new Output(t.id(), merchantName(t.description()), category(t)));
    }
    return out;
  }

  /** The merchant name hidden in a raw description. */
  public static String merchantName(String description) {
    String s =
        description.toUpperCase(Locale.ROOT).replace('"', ' ').strip().replaceAll("\\s+", " ");
    if (s.startsWith("CHECK #")) {
      return "Check";
    }
    s = PREFIXES.matcher(s).replaceFirst("");
    s = CARD_MASK.matcher(s).replaceAll(" ");
    s = DATE.matcher(s).replaceAll(" ");
    s = PREFIXES.matcher(s.strip()).replaceFirst("");
    s = AGGREGATOR.matcher(s).replaceFirst("");
    s = DOMAIN_PATH.matcher(s).replaceAll(" ");
    s = PHONE.matcher(s).replaceAll(" ");
    s = STAR_REF.matcher(s).replaceAll(" ");
    s = STORE.matcher(s).replaceAll(" ");
    s = s.replaceAll("\\s+", " ").strip();
    List<String> words = new ArrayList<>(List.of(s.split(" ")));
    if (words.size() >= 2 && STATES.contains(words.get(words.size() - 1))) {
      words.remove(words.size() - 1);
      if (words.size() >= 2) {
        words.remove(words.size() - 1);
      }
      if (words.size() >= 2 && CITY_FIRST_WORDS.contains(words.get(words.size() - 1))) {
        words.remove(words.size() - 1);
      }
    }
    s = String.join(" ", words);
    s = SUFFIX.matcher(s).replaceAll("");
    s = s.replaceAll("\\.COM\\b", "").replaceAll("[\\s,*/-]+$", "").strip();
    if (s.isEmpty()) {
      s = description.strip();
    }
    return titleCase(s);
  }

  static String category(Input t) {
    if (t.merchantCategoryCode() != null) {
      String byCode = MerchantCategories.of(t.merchantCategoryCode());
      if (byCode != null) {
        return byCode;
      }
    }
    String upper = t.description().toUpperCase(Locale.ROOT);
    for (var e : KEYWORDS.entrySet()) {
      if (upper.contains(e.getKey())) {
        return e.getValue();
      }
    }
    if (t.type() != null) {
      switch (t.type()) {
        case "INTEREST":
          return "Interest";
        case "FEE":
          return "Fees";
        case "TRANSFER":
          return "Transfer";
        case "CHECK":
          return "Checks";
        case "CREDIT":
          return "Income";
        default:
          break;
      }
    }
    return "Other";
  }

  private static String titleCase(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
      out.append(start ? Character.toUpperCase(c) : c);
      start = c == ' ' || c == '-' || c == '/' || c == '&';
    }
    return out.toString();
  }
}
