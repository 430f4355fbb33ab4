package com.cdp.transactions;

/**
 * Where the cursor-signing keys come from (Secrets Manager in AWS, a local secret file locally).
 */
@FunctionalInterface
interface CursorKeySource {
  /** Reads the keys now; may call a remote service. */
  CursorKeys load();
}
