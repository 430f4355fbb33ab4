package com.cdp.cli.logging;

import com.cdp.logging.LogSchema;
import com.cdp.logging.LogType;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBStruct;

/**
 * SQL over the local log store with an in-memory DuckDB: one view per log type, named as the log
 * type, reading the store's gzip NDJSON files in place with Hive partitioning, so partition filters
 * ({@code organizationID}, {@code year} ... {@code hour}) skip whole directories as partition
 * projection does in Athena.
 */
public final class DuckDbLogEngine implements LogQueryEngine {
  private static final Pattern FILES_READ = Pattern.compile("Total Files Read:[\\s│]*([\\d,]+)");
  private final Connection connection;

  private DuckDbLogEngine(Connection connection) {
    this.connection = connection;
  }

  /** Opens an engine over a store directory (the logs bucket's directory); it may be empty. */
  public static DuckDbLogEngine open(Path storeDirectory) {
    Connection connection;
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new LogQueryException("cannot start DuckDB: " + e.getMessage());
    }
    DuckDbLogEngine engine = new DuckDbLogEngine(connection);
    try (Statement st = connection.createStatement()) {
      st.execute("SET enable_progress_bar = false");
      String dir = storeDirectory.toAbsolutePath().toString();
      for (LogType type : LogType.values()) {
        boolean hasFiles;
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM glob("
                    + LogSchema.sqlString(LogSchema.duckDbGlob(type, dir))
                    + ")")) {
          rs.next();
          hasFiles = rs.getLong(1) > 0;
        }
        st.execute(LogSchema.duckDbView(type, dir, hasFiles));
      }
    } catch (SQLException e) {
      engine.close();
      throw new LogQueryException(e.getMessage());
    }
    return engine;
  }

  @Override
  public LogQueryResult query(String sql) {
    try (Statement st = connection.createStatement()) {
      if (!st.execute(sql)) {
        return new LogQueryResult(List.of("rows"), List.of(List.of(st.getUpdateCount())));
      }
      try (ResultSet rs = st.getResultSet()) {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.add(meta.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(columns.size());
          for (int i = 1; i <= columns.size(); i++) {
            row.add(plain(rs.getObject(i)));
          }
          rows.add(row);
        }
        return new LogQueryResult(columns, rows);
      }
    } catch (SQLException e) {
      throw new LogQueryException(e.getMessage());
    }
  }

  /** How many files DuckDB reads for a query ({@code EXPLAIN ANALYZE}'s "Total Files Read"). */
  public long filesRead(String sql) {
    LogQueryResult plan = query("EXPLAIN ANALYZE " + sql);
    long files = 0;
    for (List<Object> row : plan.rows()) {
      for (Object cell : row) {
        Matcher m = FILES_READ.matcher(String.valueOf(cell));
        while (m.find()) {
          files += Long.parseLong(m.group(1).replace(",", ""));
        }
      }
    }
    return files;
  }

  /** JDBC values as plain Java values: lists, maps, strings, numbers, booleans. */
  static Object plain(Object value) throws SQLException {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Array array) {
      Object[] items = (Object[]) array.getArray();
      List<Object> list = new ArrayList<>(items.length);
      for (Object item : items) {
        list.add(plain(item));
      }
      return list;
    }
    if (value instanceof DuckDBStruct struct) {
      return plain(struct.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        copy.put(String.valueOf(e.getKey()), plain(e.getValue()));
      }
      return copy;
    }
    return value.toString();
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing an in-memory database cannot lose anything
    }
  }
}
