package com.cdp.cli.logging;

import java.util.List;

/** The columns and rows of a query; values are strings, numbers, booleans, lists or maps. */
public record LogQueryResult(List<String> columns, List<List<Object>> rows) {
  public LogQueryResult {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }
}
