package com.cdp.local.iam;

import java.util.Locale;

/**
 * How the front door treats a call the template's policies do not allow: {@code enforce} (the
 * default) refuses it as AWS would; {@code soft} logs and counts it but lets it through, so one run
 * lists every missing permission; {@code off} checks nothing (not even signatures).
 */
public enum IamMode {
  ENFORCE,
  SOFT,
  OFF;

  public static IamMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--iam must be enforce, soft or off, not '" + value + "'");
    }
  }
}
