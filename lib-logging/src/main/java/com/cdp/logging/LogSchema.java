package com.cdp.logging;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of the query tables (one per {@link LogType}, named as its id), shared by the Glue
 * tables Athena reads and the DuckDB views of the local store, so the same SQL runs in both. Every
 * table has the same data columns followed by the seven partition columns of {@link LogLayout}.
 */
public final class LogSchema {
  /** A data column with its Hive (Glue/Athena) and DuckDB types. */
  public record Column(String name, String hiveType, String duckDbType) {}

  private static final String EVENT_FIELDS_HIVE =
      "action:string,description:string,detail:map<string,string>,caller:string,server:string,"
          + "success:boolean,time:string,transactionId:string,type:string";
  private static final String EVENT_FIELDS_DUCKDB =
      "action VARCHAR, description VARCHAR, detail MAP(VARCHAR, VARCHAR), caller VARCHAR,"
          + " server VARCHAR, success BOOLEAN, time VARCHAR, transactionId VARCHAR, type VARCHAR";

  /** The data columns, in table order. */
  public static final List<Column> COLUMNS =
      List.of(
          new Column("time", "string", "VARCHAR"),
          new Column("transactionId", "string", "VARCHAR"),
          new Column("server", "string", "VARCHAR"),
          new Column("success", "boolean", "BOOLEAN"),
          new Column("durationMs", "bigint", "BIGINT"),
          new Column("trimmed", "boolean", "BOOLEAN"),
          new Column("fields", "map<string,string>", "MAP(VARCHAR, VARCHAR)"),
          new Column(
              "events",
              "array<struct<" + EVENT_FIELDS_HIVE + ">>",
              "STRUCT(" + EVENT_FIELDS_DUCKDB + ")[]"),
          // Powertools-style fields (their names), for queries by invocation or X-Ray trace.
          new Column("cold_start", "boolean", "BOOLEAN"),
          new Column("function_name", "string", "VARCHAR"),
          new Column("function_version", "string", "VARCHAR"),
          new Column("function_request_id", "string", "VARCHAR"),
          new Column("xray_trace_id", "string", "VARCHAR"));

  /** Partition columns (all strings, zero-padded), in path order. */
  public static final List<String> PARTITION_COLUMNS = LogLayout.PARTITION_FIELDS;

  private LogSchema() {}

  /** Every column name of a query table: data columns, then partition columns. */
  public static List<String> allColumnNames() {
    List<String> names = new ArrayList<>();
    COLUMNS.forEach(c -> names.add(c.name()));
    names.addAll(PARTITION_COLUMNS);
    return names;
  }

  /**
   * The DuckDB view of one log type over a local store directory (the logs bucket's directory):
   * {@code read_json} over the contract's layout with Hive partitioning, the partition columns kept
   * as zero-padded strings like in Athena. When no file exists yet, pass {@code hasFiles = false}
   * for an empty view with the same columns.
   */
  public static String duckDbView(LogType type, String storeDirectory, boolean hasFiles) {
    StringBuilder select =
        new StringBuilder("CREATE OR REPLACE VIEW \"").append(type.id()).append("\" AS SELECT ");
    List<String> names = allColumnNames();
    for (int i = 0; i < names.size(); i++) {
      select.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
    }
    if (hasFiles) {
      select.append(" FROM ").append(duckDbReadJson(type, storeDirectory));
    } else {
      select.append(" FROM (SELECT ");
      for (int i = 0; i < COLUMNS.size(); i++) {
        Column c = COLUMNS.get(i);
        select
            .append(i == 0 ? "" : ", ")
            .append("CAST(NULL AS ")
            .append(c.duckDbType())
            .append(") AS \"")
            .append(c.name())
            .append('"');
      }
      for (String p : PARTITION_COLUMNS) {
        select.append(", CAST(NULL AS VARCHAR) AS \"").append(p).append('"');
      }
      select.append(") WHERE false");
    }
    return select.toString();
  }

  /** The glob matching every object of one log type below a store directory. */
  public static String duckDbGlob(LogType type, String storeDirectory) {
    String dir = storeDirectory.endsWith("/") ? storeDirectory : storeDirectory + "/";
    return dir
        + "logs/environment=*/organizationID=*/logType="
        + type.id()
        + "/year=*/month=*/day=*/hour=*/*.gz";
  }

  /** The {@code read_json(...)} table function call for one log type. */
  public static String duckDbReadJson(LogType type, String storeDirectory) {
    StringBuilder b =
        new StringBuilder("read_json(").append(sqlString(duckDbGlob(type, storeDirectory)));
    b.append(", format='newline_delimited', compression='gzip', hive_partitioning=true");
    b.append(", ignore_errors=true, maximum_object_size=16777216");
    b.append(", hive_types={");
    for (int i = 0; i < PARTITION_COLUMNS.size(); i++) {
      b.append(i == 0 ? "" : ", ")
          .append(sqlString(PARTITION_COLUMNS.get(i)))
          .append(": 'VARCHAR'");
    }
    b.append("}, columns={");
    for (int i = 0; i < COLUMNS.size(); i++) {
      Column c = COLUMNS.get(i);
      b.append(i == 0 ? "" : ", ")
          .append(sqlString(c.name()))
          .append(": ")
          .append(sqlString(c.duckDbType()));
    }
    return b.append("})").toString();
  }

  /** A SQL string literal. */
  public static String sqlString(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
