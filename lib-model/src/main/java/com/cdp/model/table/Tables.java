package com.cdp.model.table;

import java.util.List;
import java.util.Optional;

/**
 * Every DynamoDB table of the platform, defined once. Tables use generic key names ({@code pk},
 * {@code sk}, {@code gsi1pk}, {@code gsi1sk}) so several item types can share a table; the key
 * formats live next to each item type (for example {@link WarehouseKeys}).
 */
public final class Tables {
  public static final String PK = "pk";
  public static final String SK = "sk";
  public static final String GSI1 = "gsi1";
  public static final String GSI1_PK = "gsi1pk";
  public static final String GSI1_SK = "gsi1sk";

  /** Epoch seconds; DynamoDB deletes late, so expiry is always also checked on read. */
  public static final String TTL = "ttl";

  /** Transactions and the member-owns-account records. */
  public static final TableDefinition WAREHOUSE =
      new TableDefinition("warehouse", PK, Optional.of(SK), List.of(), Optional.empty());

  /** End-user sessions, keyed by the SHA-256 of the token (never the token). */
  public static final TableDefinition SESSIONS =
      new TableDefinition("sessions", PK, Optional.empty(), List.of(), Optional.of(TTL));

  /** WebSocket connections, subscriptions and event de-duplication records. */
  public static final TableDefinition REALTIME =
      new TableDefinition(
          "realtime",
          PK,
          Optional.of(SK),
          List.of(new TableDefinition.Index(GSI1, GSI1_PK, Optional.of(GSI1_SK))),
          Optional.of(TTL));

  /** Short links and the hashed API keys allowed to create them. */
  public static final TableDefinition LINKS =
      new TableDefinition("links", PK, Optional.of(SK), List.of(), Optional.of(TTL));

  /** Tile groups, member enrollment, group membership and processed-file markers. */
  public static final TableDefinition GROUPS =
      new TableDefinition("groups", PK, Optional.of(SK), List.of(), Optional.of(TTL));

  /** Ingestion bookkeeping: file reports in progress, event de-duplication, connector cursors. */
  public static final TableDefinition INGESTION =
      new TableDefinition("ingestion", PK, Optional.of(SK), List.of(), Optional.of(TTL));

  public static final List<TableDefinition> ALL =
      List.of(WAREHOUSE, SESSIONS, REALTIME, LINKS, GROUPS, INGESTION);

  private Tables() {}
}
