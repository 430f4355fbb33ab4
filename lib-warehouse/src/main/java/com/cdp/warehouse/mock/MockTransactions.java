package com.cdp.warehouse.mock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Realistic, deterministic transaction files (CONTRACTS 1a) for demos, tests and benchmarks: the
 * same options and seed always give the same bytes. Rows are ordered like a core's nightly export
 * (by day, member, account) and written as they are generated, so any size streams in constant
 * memory. Optionally injects a known number of malformed rows, each with one defect the chunker
 * must reject.
 */
public final class MockTransactions {
  /** The default last posted date, fixed so output never depends on the day it is generated. */
  public static final LocalDate DEFAULT_END_DATE = LocalDate.of(2026, 11, 27);

  public static final String HEADER =
      "memberId,accountId,transactionId,postedDate,amount,description,runningBalance,type,"
          + "checkNumber,merchantCategoryCode";

  /** What to generate. */
  public record Options(
      int members, int accountsPerMember, int days, long seed, int badRows, LocalDate endDate) {
    public Options {
      if (members < 1 || accountsPerMember < 1 || days < 1 || badRows < 0) {
        throw new IllegalArgumentException(
            "members, accounts per member and days must be at least 1; bad rows at least 0");
      }
      Objects.requireNonNull(endDate, "endDate");
    }

    public static Options of(int members, int accountsPerMember, int days, long seed) {
      return new Options(members, accountsPerMember, days, seed, 0, DEFAULT_END_DATE);
    }

    public Options withBadRows(int n) {
      return new Options(members, accountsPerMember, days, seed, n, endDate);
    }
  }

  /** What was written: row counts and the good rows per account (account -> member, count). */
  public record Summary(
      long rows, long goodRows, long badRows, Map<String, AccountRows> accounts) {}

  /** An account's owner and how many good rows it got. */
  public record AccountRows(String memberId, long rows) {}

  /** Kinds of injected defects, in the order they are used. */
  static final String[] DEFECTS = {
    "three fraction digits",
    "bad date",
    "missing accountId",
    "unknown type",
    "five-digit MCC",
    "member id with a space",
    "amount with letters"
  };

  private record Merchant(String description, String mcc, double typical, boolean credit) {}

  private static final Merchant[] MERCHANTS = {
    new Merchant("POS DEBIT {d} WALMART SUPERCENTER #{n} BENTONVILLE AR", "5411", 64, false),
    new Merchant("DEBIT CARD PURCHASE XXXX{c} STARBUCKS STORE {n} SEATTLE WA", "5814", 7, false),
    new Merchant("CHECKCARD {d} SHELL OIL {n} HOUSTON TX", "5541", 45, false),
    new Merchant("POS PURCHASE KROGER #{n} CINCINNATI OH", "5411", 82, false),
    new Merchant("ACH DEBIT COMCAST CABLE COMM 800-266-2278", "4899", 89, false),
    new Merchant("AMAZON.COM*{r} AMZN.COM/BILL WA", "5942", 38, false),
    new Merchant("SQ *BLUE BOTTLE COFFEE OAKLAND CA", "5814", 6, false),
    new Merchant("TST* CHIPOTLE {n} DENVER CO", "5812", 14, false),
    new Merchant("UBER *TRIP HELP.UBER.COM CA", "4121", 23, false),
    new Merchant("\"NETFLIX.COM, INC\" LOS GATOS CA", "4899", 15.49, false),
    new Merchant("CVS/PHARMACY #{n} WOONSOCKET RI", "5912", 21, false),
    new Merchant("ACH CREDIT ACME CORP PAYROLL", null, 2150, true),
    new Merchant("ONLINE TRANSFER FROM SAVINGS {r}", null, 200, true),
    new Merchant("ATM WITHDRAWAL 1200 MAIN ST SPRINGFIELD IL", "6011", 60, false),
    new Merchant("HOME DEPOT #{n} ATLANTA GA", "5200", 120, false),
  };

  private MockTransactions() {}

  /** Writes the file; returns what was written. */
  public static Summary write(Options options, Writer out) {
    SplittableRandom random = new SplittableRandom(options.seed());
    Map<String, AccountRows> accounts = new LinkedHashMap<>();
    int accountCount = options.members() * options.accountsPerMember();
    BigDecimal[] balances = new BigDecimal[accountCount];
    for (int i = 0; i < accountCount; i++) {
      balances[i] = BigDecimal.valueOf(500 + random.nextInt(5000)).setScale(2);
    }
    long rows = 0;
    long good = 0;
    long bad = 0;
    long sequence = 0;
    try {
      out.write(HEADER);
      out.write("\r\n");
      StringBuilder line = new StringBuilder(256);
      for (int d = options.days() - 1; d >= 0; d--) {
        LocalDate date = options.endDate().minusDays(d);
        for (int m = 0; m < options.members(); m++) {
          String member = String.format("M%07d", m + 1);
          for (int a = 0; a < options.accountsPerMember(); a++) {
            int index = m * options.accountsPerMember() + a;
            String account = String.format("A%09d", index + 1);
            int count = random.nextInt(4);
            for (int k = 0; k < count; k++) {
              sequence++;
              if (bad < options.badRows() && sequence % 7 == 3) {
                writeBad(out, line, (int) bad, member, account, date, sequence);
                bad++;
                rows++;
              }
              line.setLength(0);
              balances[index] =
                  goodRow(line, random, member, account, date, sequence, balances[index]);
              out.append(line).append("\r\n");
              rows++;
              good++;
              accounts.merge(
                  account,
                  new AccountRows(member, 1),
                  (x, y) -> new AccountRows(x.memberId(), x.rows() + 1));
            }
          }
        }
      }
      while (bad < options.badRows()) {
        sequence++;
        writeBad(out, line, (int) bad, "M0000001", "A000000001", options.endDate(), sequence);
        bad++;
        rows++;
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Summary(rows, good, bad, accounts);
  }

  private static BigDecimal goodRow(
      StringBuilder line,
      SplittableRandom random,
      String member,
      String account,
      LocalDate date,
      long sequence,
      BigDecimal balance) {
    Merchant merchant = MERCHANTS[random.nextInt(MERCHANTS.length)];
    boolean check = !merchant.credit() && random.nextInt(40) == 0;
    double raw = merchant.typical() * (0.4 + random.nextDouble() * 1.2);
    BigDecimal amount = BigDecimal.valueOf(raw).setScale(2, RoundingMode.HALF_UP);
    if (!merchant.credit()) {
      amount = amount.negate();
    }
    BigDecimal newBalance = balance.add(amount);
    String description;
    String type;
    String mcc = merchant.mcc();
    String checkNumber = "";
    if (check) {
      checkNumber = Long.toString(1000 + random.nextInt(9000));
      description = "CHECK #" + checkNumber;
      type = "CHECK";
      mcc = null;
    } else {
      description =
          merchant
              .description()
              .replace("{d}", String.format("%02d%02d", date.getMonthValue(), date.getDayOfMonth()))
              .replace("{n}", String.format("%04d", random.nextInt(10000)))
              .replace("{c}", String.format("%04d", random.nextInt(10000)))
              .replace(
                  "{r}", Long.toString(100000000L + random.nextInt(899999999), 36).toUpperCase());
      type =
          merchant.credit() ? (description.contains("TRANSFER") ? "TRANSFER" : "CREDIT") : "DEBIT";
    }
    line.append(member).append(',').append(account).append(',');
    line.append('T').append(date.toString().replace("-", "")).append('-').append(sequence);
    line.append(',').append(date).append(',').append(amount.toPlainString()).append(',');
    appendCsv(line, description);
    line.append(',').append(newBalance.toPlainString()).append(',').append(type).append(',');
    line.append(checkNumber).append(',');
    if (mcc != null) {
      line.append(mcc);
    }
    return newBalance;
  }

  private static void writeBad(
      Writer out,
      StringBuilder line,
      int n,
      String member,
      String account,
      LocalDate date,
      long sequence)
      throws IOException {
    String id = "BAD" + date.toString().replace("-", "") + "-" + sequence;
    String amount = "-10.00";
    String postedDate = date.toString();
    String type = "DEBIT";
    String mcc = "5411";
    String memberId = member;
    String accountId = account;
    switch (n % DEFECTS.length) {
      case 0 -> amount = "-10.005";
      case 1 ->
          postedDate = date.getMonthValue() + "/" + date.getDayOfMonth() + "/" + date.getYear();
      case 2 -> accountId = "";
      case 3 -> type = "PURCHASE";
      case 4 -> mcc = "54110";
      case 5 -> memberId = "M 1";
      default -> amount = "12,50 USD";
    }
    line.setLength(0);
    line.append(memberId).append(',').append(accountId).append(',').append(id).append(',');
    line.append(postedDate).append(',');
    appendCsv(line, amount);
    line.append(",INJECTED BAD ROW,,").append(type).append(",,").append(mcc);
    out.append(line).append("\r\n");
  }

  private static void appendCsv(StringBuilder line, String value) {
    if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0) {
      line.append('"').append(value.replace("\"", "\"\"")).append('"');
    } else {
      line.append(value);
    }
  }
}
