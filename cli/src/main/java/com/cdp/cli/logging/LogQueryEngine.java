package com.cdp.cli.logging;

/**
 * Runs SQL over the platform logs: one table per log type ({@code web}, {@code app}, {@code agw},
 * {@code hub}, {@code connector}, {@code container}) with the columns of {@link
 * com.cdp.logging.LogSchema}. DuckDB over the local store, or Athena in AWS.
 */
public interface LogQueryEngine extends AutoCloseable {
  /** Runs one statement; throws {@link LogQueryException} with the engine's message. */
  LogQueryResult query(String sql);

  @Override
  void close();
}
