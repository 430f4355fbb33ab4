package com.cdp.model.id;

/** A core transaction id, unique per account: 1-128 printable ASCII characters, no outer spaces. */
public record TransactionId(String value) {
  public TransactionId {
    Ids.check("transaction_id", value, Ids.PRINTABLE, "1-128 printable characters");
  }

  public static TransactionId of(String value) {
    return new TransactionId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
