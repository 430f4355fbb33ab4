package com.cdp.logging.slf4j;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J 2 provider that writes one JSON object per line to standard output (which Lambda sends
 * to CloudWatch Logs as one event), with sensitive values masked. Not registered as a service, so
 * it never competes with the CLI's provider: functions select it with {@code
 * -Dslf4j.provider=com.cdp.logging.slf4j.JsonLogProvider} (set by infra-cdk in {@code
 * JAVA_TOOL_OPTIONS}). The level comes from {@code LOG_LEVEL} (default {@code INFO}).
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
  private ILoggerFactory loggerFactory;
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdcAdapter = new BasicMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    loggerFactory =
        new JsonLoggerFactory(JsonLogger.levelFromEnvironment(), System.out, mdcAdapter);
  }
}
