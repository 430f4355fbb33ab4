package com.cdp.http;

import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.session.Session;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One request on its way through a route: the request, and its request log, which the route opens
 * once it knows the organization to file it under ({@link #open}, {@link #authenticate}). A route
 * that refuses before that leaves it to the edge, which files it under the platform.
 */
public final class Exchange {
  private final HttpRequest request;
  private final PlatformLogger logger;
  private RequestLog log;

  Exchange(HttpRequest request, PlatformLogger logger) {
    this.request = Objects.requireNonNull(request, "request");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  public HttpRequest request() {
    return request;
  }

  /**
   * Opens the request log ({@code app}) under an organization ({@code null}: the platform
   * partition, for callers not known yet). Once per request.
   */
  public RequestLog open(String organizationId) {
    if (log != null) {
      throw new IllegalStateException("the request log is already open");
    }
    log = logger.open(LogType.APP, organizationId, request.transactionId());
    log.put("route", request.route());
    return log;
  }

  /** The open request log; opened under the platform when the route has not opened it. */
  public RequestLog log() {
    return log != null ? log : open(null);
  }

  /**
   * The session of the request's {@code Authorization: Bearer} token, with the log opened under its
   * organization and member; a refusal (an {@link ApiError} from {@code sessions}) is logged as the
   * {@code authenticate} step under the platform, then rethrown.
   */
  public Session authenticate(Function<String, Session> sessions) {
    Session session;
    try {
      session = sessions.apply(request.bearerToken());
    } catch (ApiError refused) {
      log().failure("authenticate", refused.getMessage(), Map.of("code", refused.code()));
      throw refused;
    }
    open(session.organization().value()).put("memberId", session.member().value());
    log.event("authenticate", "session verified");
    return session;
  }

  void close() {
    if (log != null) {
      log.close();
    }
  }
}
