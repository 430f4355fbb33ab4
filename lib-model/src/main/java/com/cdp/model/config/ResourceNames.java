package com.cdp.model.config;

/**
 * Names of the platform's per-environment resources that the CDK app sets and the command line
 * derives, kept in one place so the two cannot drift. Tables and buckets have their own naming
 * ({@code TableDefinition.physicalName}, {@link Buckets}).
 */
public final class ResourceNames {
  /** Stack outputs the command line reads (the APIs without a custom domain, the functions). */
  public static final String OUTPUT_TRANSACTIONS_API = "TransactionsApiUrl";

  public static final String OUTPUT_REALTIME_API = "RealtimeApiUrl";
  public static final String OUTPUT_CALL_CONNECTOR = "CallConnectorFunction";

  private ResourceNames() {}

  /** The CloudFormation stack of an environment. */
  public static String stack(String environment) {
    return "cdp-" + environment;
  }

  /** The platform event bus (locally the gateway's bus is called {@code local}). */
  public static String eventBus(String environment) {
    return environment.equals("local") ? "local" : "cdp-" + environment + "-platform";
  }

  /** The Athena workgroup that queries the environment's logs. */
  public static String logsWorkGroup(String environment) {
    return "cdp-" + environment + "-logs";
  }
}
