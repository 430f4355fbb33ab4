package com.cdp.model.event;

import java.util.Arrays;
import java.util.Optional;

/** Event bus topics (EventBridge {@code detail-type}) of CONTRACTS section 2. */
public enum Topic {
  ACCOUNT_BALANCE_UPDATED("account_balanceupdated", true),
  ACCOUNT_NICKNAME_UPDATED("account_nicknameupdated", true),
  ACCOUNT_TRANSACTION_ADDED("account_transactionadded", true),
  PLATFORM_ACCOUNT_TRANSACTION_ADDED("platform_account_transactionadded", false);

  /** Source of the events the platform itself emits. */
  public static final String PLATFORM_SOURCE = "cdp.platform";

  /** Prefix of the sources connectors publish under, e.g. {@code cdp.connector.cdp-transfer}. */
  public static final String CONNECTOR_SOURCE_PREFIX = "cdp.connector.";

  private final String detailType;
  private final boolean relayedToEndUsers;

  Topic(String detailType, boolean relayedToEndUsers) {
    this.detailType = detailType;
    this.relayedToEndUsers = relayedToEndUsers;
  }

  public String detailType() {
    return detailType;
  }

  /** {@code account_*} topics are relayed to subscribed end users over WebSocket. */
  public boolean relayedToEndUsers() {
    return relayedToEndUsers;
  }

  public static Optional<Topic> fromDetailType(String detailType) {
    return Arrays.stream(values()).filter(t -> t.detailType.equals(detailType)).findFirst();
  }

  @Override
  public String toString() {
    return detailType;
  }
}
