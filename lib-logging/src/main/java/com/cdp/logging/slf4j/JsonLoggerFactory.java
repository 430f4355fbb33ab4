package com.cdp.logging.slf4j;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.MDCAdapter;

/** Creates {@link JsonLogger}s sharing one output and level. */
final class JsonLoggerFactory implements ILoggerFactory {
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final Level level;
  private final PrintStream out;
  private final MDCAdapter mdc;

  JsonLoggerFactory(Level level, PrintStream out, MDCAdapter mdc) {
    this.level = level;
    this.out = out;
    this.mdc = mdc;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new JsonLogger(n, level, out, mdc));
  }
}
