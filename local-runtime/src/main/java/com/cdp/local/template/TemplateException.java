package com.cdp.local.template;

/**
 * A template the local platform cannot run: names the logical id and the property (or intrinsic) it
 * could not resolve, so the start stops with a reason instead of running something else.
 */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String logicalId;
  private final String property;

  public TemplateException(String logicalId, String property, String reason) {
    super(logicalId + "." + property + ": " + reason);
    this.logicalId = logicalId;
    this.property = property;
  }

  public String logicalId() {
    return logicalId;
  }

  public String property() {
    return property;
  }
}
