package com.cdp.logging.slf4j;

import com.cdp.logging.SensitiveData;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;

/**
 * Writes {@code {"timestamp","level","logger","thread","message","error"?, MDC...}} as one line.
 * Messages and stack traces go through {@link SensitiveData#maskText}.
 */
final class JsonLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;
  private final transient PrintStream out;
  private final transient MDCAdapter mdc;
  private final int threshold;

  JsonLogger(String name, Level level, PrintStream out, MDCAdapter mdc) {
    this.name = name;
    this.threshold = level.toInt();
    this.out = out;
    this.mdc = mdc;
  }

  static Level levelFromEnvironment() {
    String configured = System.getenv("LOG_LEVEL");
    if (configured == null || configured.isBlank()) {
      return Level.INFO;
    }
    try {
      return Level.valueOf(configured.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  @Override
  public boolean isTraceEnabled() {
    return threshold <= Level.TRACE.toInt();
  }

  @Override
  public boolean isDebugEnabled() {
    return threshold <= Level.DEBUG.toInt();
  }

  @Override
  public boolean isInfoEnabled() {
    return threshold <= Level.INFO.toInt();
  }

  @Override
  public boolean isWarnEnabled() {
    return threshold <= Level.WARN.toInt();
  }

  @Override
  public boolean isErrorEnabled() {
    return threshold <= Level.ERROR.toInt();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    out.println(
        line(
            Instant.now(),
            level,
            name,
            Thread.currentThread().getName(),
            message,
            throwable,
            mdc.getCopyOfContextMap()));
  }

  static String line(
      Instant time,
      Level level,
      String logger,
      String thread,
      String message,
      Throwable error,
      Map<String, String> context) {
    StringWriter buffer = new StringWriter(128);
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("timestamp", time.toString());
      g.writeStringField("level", level.name());
      g.writeStringField("logger", logger);
      g.writeStringField("thread", thread);
      g.writeStringField("message", SensitiveData.maskText(message));
      if (error != null) {
        g.writeStringField("error", SensitiveData.maskText(error.toString()));
        g.writeStringField("stackTrace", SensitiveData.maskText(stackTrace(error)));
      }
      if (context != null) {
        for (Map.Entry<String, String> entry : context.entrySet()) {
          g.writeStringField(
              entry.getKey(),
              String.valueOf(SensitiveData.maskValue(entry.getKey(), entry.getValue())));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      return "{\"level\":\"ERROR\",\"message\":\"cannot write a log line\"}";
    }
    return buffer.toString();
  }

  /** The exception, its frames and its causes as text (at most 8 causes deep). */
  static String stackTrace(Throwable error) {
    StringBuilder b = new StringBuilder(512);
    Throwable current = error;
    for (int depth = 0; current != null && depth < 8; depth++) {
      b.append(depth == 0 ? "" : "Caused by: ").append(current).append('\n');
      for (StackTraceElement frame : current.getStackTrace()) {
        b.append("\tat ").append(frame).append('\n');
      }
      current = current.getCause() == current ? null : current.getCause();
    }
    return b.toString();
  }
}
