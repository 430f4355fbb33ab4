package com.cdp.model.wiring;

import java.util.List;

/**
 * What invokes which function, declared once. The CDK app turns these into S3 notifications,
 * EventBridge rules and API routes; the local platform routes its S3 writes, bus events and HTTP
 * requests with the very same values (event patterns are matched locally by AWS's event-ruler).
 */
public final class Triggers {
  private Triggers() {}

  /** Function names; also the module name without its {@code lambda-} prefix. */
  public static final class Functions {
    public static final String TXN_CHUNKER = "txn-chunker";
    public static final String TXN_LOADER = "txn-loader";
    public static final String TXN_CLEANSER = "txn-cleanser";
    public static final String PLATFORM_TXN_ADDED = "platform-txn-added";
    public static final String GET_TRANSACTIONS = "get-transactions";
    public static final String WS_CONNECT = "ws-connect";
    public static final String WS_SUBSCRIBE = "ws-subscribe";
    public static final String RELAY_MESSAGE = "relay-message";
    public static final String GROUP_ASSIGNMENT_TRIGGER = "group-assignment-trigger";
    public static final String URL_SHORTENER = "url-shortener";
    public static final String CALL_CONNECTOR = "call-connector";

    private Functions() {}
  }

  /**
   * Object-created notifications on an organization's data-delivery bucket. S3 filters allow one
   * prefix and one suffix, so keys under {@code excludedPrefix} (the reports the functions write
   * themselves) are skipped by the receiving side too. An empty {@code suffix} means any name: the
   * upload triggers fire on the prefix alone, so that a file with another extension (or {@code
   * .CSV}) still gets an answer (a report saying why it was not processed), never silence.
   */
  public record S3Trigger(String function, String prefix, String suffix, String excludedPrefix) {
    public boolean matches(String key) {
      return key.startsWith(prefix)
          && !key.startsWith(excludedPrefix)
          && key.regionMatches(true, key.length() - suffix.length(), suffix, 0, suffix.length());
    }

    /** Whether the notification filters on a suffix at all. */
    public boolean hasSuffix() {
      return !suffix.isEmpty();
    }
  }

  /** The extension uploaded files must have, in any case. */
  public static final String CSV_EXTENSION = ".csv";

  /** The reason the report gives for an upload whose name does not end in {@code .csv}. */
  public static final String NOT_CSV = "not a .csv file";

  /** Whether an uploaded file's name ends in {@code .csv}, in any case. */
  public static boolean isCsv(String key) {
    return key.regionMatches(
        true, key.length() - CSV_EXTENSION.length(), CSV_EXTENSION, 0, CSV_EXTENSION.length());
  }

  /** An EventBridge rule on the platform bus; {@code pattern} is EventBridge pattern JSON. */
  public record EventTrigger(String function, String ruleName, String pattern) {}

  /** An HTTP API route ({@code method} and {@code path} in API Gateway syntax). */
  public record Route(String function, String method, String path) {}

  /** A WebSocket API route key ({@code $connect}, {@code $disconnect}, {@code $default}). */
  public record WebSocketRoute(String function, String routeKey) {}

  public static final S3Trigger TRANSACTION_FILES =
      new S3Trigger(Functions.TXN_CHUNKER, "transactions/", "", "transactions/reports/");

  public static final S3Trigger TRANSACTION_CHUNKS =
      new S3Trigger(
          Functions.TXN_LOADER,
          "chunks/transactions/",
          ".ndjson.gz",
          "chunks/transactions/reports/");

  public static final S3Trigger GROUP_ASSIGNMENT_FILES =
      new S3Trigger(
          Functions.GROUP_ASSIGNMENT_TRIGGER,
          "group-assignments/",
          "",
          "group-assignments/reports/");

  public static final List<S3Trigger> S3 =
      List.of(TRANSACTION_FILES, TRANSACTION_CHUNKS, GROUP_ASSIGNMENT_FILES);

  public static final EventTrigger RELAY_ACCOUNT_EVENTS =
      new EventTrigger(
          Functions.RELAY_MESSAGE,
          "relay-account-events",
          """
          {"source":["cdp.platform"],\
          "detail-type":["account_balanceupdated","account_nicknameupdated","account_transactionadded"]}""");

  public static final EventTrigger CONNECTOR_TRANSACTIONS_ANNOUNCED =
      new EventTrigger(
          Functions.PLATFORM_TXN_ADDED,
          "platform-transactions-announced",
          """
          {"source":[{"prefix":"cdp.connector."}],\
          "detail-type":["platform_account_transactionadded"]}""");

  public static final EventTrigger CLEANSE_ADDED_TRANSACTIONS =
      new EventTrigger(
          Functions.TXN_CLEANSER,
          "cleanse-added-transactions",
          """
          {"source":["cdp.platform"],"detail-type":["account_transactionadded"]}""");

  public static final List<EventTrigger> EVENTS =
      List.of(RELAY_ACCOUNT_EVENTS, CONNECTOR_TRANSACTIONS_ANNOUNCED, CLEANSE_ADDED_TRANSACTIONS);

  public static final List<Route> ROUTES =
      List.of(
          new Route(Functions.GET_TRANSACTIONS, "GET", "/accounts/{accountId}/transactions"),
          new Route(Functions.WS_SUBSCRIBE, "GET", "/realtime/subscriptions"),
          new Route(Functions.WS_SUBSCRIBE, "PUT", "/realtime/subscriptions/{topic}"),
          new Route(Functions.WS_SUBSCRIBE, "DELETE", "/realtime/subscriptions/{topic}"),
          new Route(Functions.WS_SUBSCRIBE, "GET", "/realtime/events"),
          new Route(Functions.URL_SHORTENER, "POST", "/links"),
          new Route(Functions.URL_SHORTENER, "GET", "/links"),
          new Route(Functions.URL_SHORTENER, "GET", "/links/{code}"),
          new Route(Functions.URL_SHORTENER, "PATCH", "/links/{code}"),
          new Route(Functions.URL_SHORTENER, "DELETE", "/links/{code}"),
          new Route(Functions.URL_SHORTENER, "GET", "/links/{code}/stats"),
          new Route(Functions.URL_SHORTENER, "GET", "/links/{code}/qr"),
          new Route(Functions.URL_SHORTENER, "GET", "/{code}"));

  public static final List<WebSocketRoute> WEBSOCKET_ROUTES =
      List.of(
          new WebSocketRoute(Functions.WS_CONNECT, "$connect"),
          new WebSocketRoute(Functions.WS_CONNECT, "$disconnect"),
          new WebSocketRoute(Functions.WS_SUBSCRIBE, "$default"));
}
