package com.cdp.logging;

/** The platform's log types (CONTRACTS section 7); each has its own query table. */
public enum LogType {
  WEB("web", "Management Portal", "WebRequestLog"),
  APP("app", "Requests", "AppRequestLog"),
  AGW("agw", "Transactions", "TransactionLog"),
  HUB("hub", "Connector Hub", "ConnectorHubLog"),
  CONNECTOR("connector", "Connectors", "ConnectorLog"),
  CONTAINER("container", "Application Container", "ContainerLog");

  private final String id;
  private final String displayName;
  private final String legacyTable;

  LogType(String id, String displayName, String legacyTable) {
    this.id = id;
    this.displayName = displayName;
    this.legacyTable = legacyTable;
  }

  /** The {@code logType} value and the query table's name, e.g. {@code web}. */
  public String id() {
    return id;
  }

  /** What operators call it (CONTRACTS section 7), e.g. {@code Requests} for {@code app}. */
  public String displayName() {
    return displayName;
  }

  public String legacyTable() {
    return legacyTable;
  }

  /** The log type whose {@link #id()} is {@code id}. */
  public static LogType fromId(String id) {
    for (LogType type : values()) {
      if (type.id.equals(id)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown log type: " + id);
  }
}
