package com.cdp.ingestion.cleanser;

import com.cdp.ingestion.cleanser.SegmintClient.Match;
import com.cdp.ingestion.cleanser.SegmintClient.Request;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cleanses transactions with Segmint's v2 {@code cleanse-transaction} endpoint, one call per
 * distinct request, at most {@code concurrency} calls in flight. Answers are cached per request
 * (description, MCC, debit/credit, category) in a bounded LRU that lives as long as the container:
 * a description repeated within a file (or by the next account's event) costs one call, and
 * identical requests in flight at once share that call.
 *
 * <p>The merchant name is Segmint's cleansed text when it found the merchant, else the rule-based
 * name; the platform {@code category} always comes from the rules (a fixed vocabulary that does not
 * depend on whether an environment has Segmint), and Segmint's classifications are kept in the
 * enrichment. A description Segmint rejects (400) is left to the fallback; any other failure fails
 * the whole batch, so the event is retried and nothing is marked cleansed without Segmint.
 */
final class SegmintCleanser implements TransactionCleanser, AutoCloseable {
  private final SegmintClient client;
  private final ExecutorService pool;
  private final int cacheEntries;
  private final Map<String, CompletableFuture<Match>> cache;
  private final AtomicLong cacheHits = new AtomicLong();

  SegmintCleanser(SegmintClient client, int concurrency, int cacheEntries) {
    this.client = Objects.requireNonNull(client, "client");
    if (concurrency < 1 || cacheEntries < 0) {
      throw new IllegalArgumentException("concurrency must be positive, cacheEntries not negative");
    }
    this.cacheEntries = cacheEntries;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Match>> eldest) {
            return size() > SegmintCleanser.this.cacheEntries;
          }
        };
    this.pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "segmint-call");
              t.setDaemon(true);
              return t;
            });
  }

  SegmintClient client() {
    return client;
  }

  /** Requests answered from the cache (or by a call already in flight). */
  long cacheHits() {
    return cacheHits.get();
  }

  @Override
  public List<Output> cleanse(List<Input> transactions) {
    List<CompletableFuture<Match>> answers = new ArrayList<>(transactions.size());
    for (Input t : transactions) {
      answers.add(lookup(request(t)));
    }
    List<Output> out = new ArrayList<>(transactions.size());
    for (int i = 0; i < transactions.size(); i++) {
      Input t = transactions.get(i);
      Match match = await(answers.get(i));
      if (match.rejected()) {
        continue; // the fallback cleans it
      }
      String name =
          match.found() ? match.cleansed() : RuleBasedCleanser.merchantName(t.description());
      out.add(new Output(t.id(), name, RuleBasedCleanser.category(t), match.enrichment()));
    }
    return out;
  }

  private CompletableFuture<Match> lookup(Request request) {
    String key = request.json();
    CompletableFuture<Match> answer;
    synchronized (cache) {
      answer = cache.get(key);
      if (answer != null) {
        cacheHits.incrementAndGet();
        return answer;
      }
      answer = CompletableFuture.supplyAsync(() -> client.cleanse(key), pool);
      if (cacheEntries > 0) {
        cache.put(key, answer);
      }
    }
    // A failure is not an answer: the next event asks again.
    answer.whenComplete(
        (m, e) -> {
          if (e != null) {
            synchronized (cache) {
              cache.remove(key);
            }
          }
        });
    return answer;
  }

  private static Match await(CompletableFuture<Match> answer) {
    try {
      return answer.get();
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new SegmintClient.SegmintException("Segmint call failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SegmintClient.SegmintException("interrupted while waiting for Segmint", e);
    }
  }

  /**
   * The request for one transaction. Segmint's documentation says matching is best when debits and
   * credits are marked as such and card (point-of-sale) transactions are marked {@code pos}: the
   * sign of the amount decides debit/credit (CONTRACTS 1a: negative = debit), a transaction with an
   * MCC is a card transaction, a transfer is online banking ({@code olb}).
   */
  static Request request(Input t) {
    return new Request(t.description(), t.merchantCategoryCode(), transType(t), transCategory(t));
  }

  private static String transType(Input t) {
    if (t.amount() != null) {
      int sign;
      try {
        sign = new BigDecimal(t.amount()).signum();
      } catch (NumberFormatException e) {
        sign = 0;
      }
      if (sign != 0) {
        return sign < 0 ? "debit" : "credit";
      }
    }
    if (t.type() == null) {
      return null;
    }
    return switch (t.type()) {
      case "CREDIT", "INTEREST" -> "credit";
      case "DEBIT", "FEE", "CHECK" -> "debit";
      default -> null;
    };
  }

  private static String transCategory(Input t) {
    if (t.merchantCategoryCode() != null) {
      return "pos";
    }
    return "TRANSFER".equals(t.type()) ? "olb" : "other";
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
