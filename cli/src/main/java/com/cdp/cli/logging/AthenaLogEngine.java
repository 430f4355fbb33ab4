package com.cdp.cli.logging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StatementType;

/**
 * SQL over the AWS log tables with Athena: starts the query in a workgroup (which enforces the
 * results location, encryption and bytes-scanned limit), polls until it finishes, and pages through
 * the results. Values come back as Athena returns them: text.
 */
public final class AthenaLogEngine implements LogQueryEngine {
  private final AthenaClient athena;
  private final String workGroup;
  private final String database;
  private final Duration timeout;
  private final Duration firstPoll;
  private final Duration maxPoll;

  public AthenaLogEngine(AthenaClient athena, String workGroup, String database, Duration timeout) {
    this(athena, workGroup, database, timeout, Duration.ofMillis(250), Duration.ofSeconds(2));
  }

  AthenaLogEngine(
      AthenaClient athena,
      String workGroup,
      String database,
      Duration timeout,
      Duration firstPoll,
      Duration maxPoll) {
    this.athena = Objects.requireNonNull(athena, "athena");
    this.workGroup = Objects.requireNonNull(workGroup, "workGroup");
    this.database = Objects.requireNonNull(database, "database");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.firstPoll = firstPoll;
    this.maxPoll = maxPoll;
  }

  /**
   * The Glue database of the workgroup created by infra-cdk: {@code cdp-dev-logs} -> {@code
   * cdp_dev_logs}.
   */
  public static String defaultDatabase(String workGroup) {
    return workGroup.replace('-', '_');
  }

  @Override
  public LogQueryResult query(String sql) {
    try {
      String id =
          athena
              .startQueryExecution(
                  r ->
                      r.queryString(sql)
                          .workGroup(workGroup)
                          .queryExecutionContext(c -> c.database(database)))
              .queryExecutionId();
      QueryExecution execution = await(id);
      return results(id, execution.statementType() == StatementType.DML);
    } catch (SdkException e) {
      throw new LogQueryException("Athena: " + e.getMessage());
    }
  }

  private QueryExecution await(String id) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long wait = firstPoll.toMillis();
    while (true) {
      QueryExecution execution =
          athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
      QueryExecutionState state = execution.status().state();
      if (state == QueryExecutionState.SUCCEEDED) {
        return execution;
      }
      if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
        String reason =
            execution.status().athenaError() != null
                    && execution.status().athenaError().errorMessage() != null
                ? execution.status().athenaError().errorMessage()
                : execution.status().stateChangeReason();
        throw new LogQueryException(
            "query "
                + state.toString().toLowerCase(java.util.Locale.ROOT)
                + ": "
                + (reason == null ? "no reason given" : reason));
      }
      if (System.nanoTime() > deadline) {
        athena.stopQueryExecution(r -> r.queryExecutionId(id));
        throw new LogQueryException(
            "query " + id + " still running after " + timeout + ": stopped");
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        athena.stopQueryExecution(r -> r.queryExecutionId(id));
        throw new LogQueryException("interrupted: query " + id + " stopped");
      }
      wait = Math.min(maxPoll.toMillis(), wait * 2);
    }
  }

  private LogQueryResult results(String id, boolean firstRowIsHeader) {
    List<String> columns = new ArrayList<>();
    List<List<Object>> rows = new ArrayList<>();
    boolean first = true;
    for (GetQueryResultsResponse page :
        athena.getQueryResultsPaginator(r -> r.queryExecutionId(id).maxResults(1000))) {
      if (first) {
        for (ColumnInfo column : page.resultSet().resultSetMetadata().columnInfo()) {
          columns.add(column.label() != null ? column.label() : column.name());
        }
      }
      List<Row> pageRows = page.resultSet().rows();
      for (int i = 0; i < pageRows.size(); i++) {
        if (first && i == 0 && firstRowIsHeader) {
          continue;
        }
        List<Object> row = new ArrayList<>(columns.size());
        for (Datum datum : pageRows.get(i).data()) {
          row.add(datum.varCharValue());
        }
        rows.add(row);
      }
      first = false;
    }
    return new LogQueryResult(columns, rows);
  }

  @Override
  public void close() {
    athena.close();
  }
}
