package com.cdp.transactions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.model.aws.SnapStartPriming;
import com.cdp.model.config.EnvReader;
import com.cdp.model.json.Json;
import com.cdp.model.session.Session;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * {@code GET /accounts/{accountId}/transactions} behind the HTTP API (payload format 2.0): turns
 * the request into a call on {@link TransactionsService} and the outcome into JSON: {@code
 * {"transactions":[...],"nextCursor":...}} or {@code {"code","message"}} with a 4xx/5xx status.
 */
public final class GetTransactionsHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  static final String ROUTE = "GET /accounts/{accountId}/transactions";

  private final TransactionsService service;
  private final PlatformLogger logger;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public GetTransactionsHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "get-transactions", this::prime);
  }

  private GetTransactionsHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.logger());
  }

  /** Used by tests and the local platform. */
  public GetTransactionsHandler(TransactionsService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    return handle(event);
  }

  /** Handles one request; never throws (failures become 5xx responses and log entries). */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    Map<String, String> headers = lowerCased(event.getHeaders());
    String correlation = headers.get("x-transaction-id");
    try {
      Session session;
      try {
        session = service.authenticate(bearerToken(headers.get("authorization")));
      } catch (RuntimeException e) {
        // Before the session is known the message goes to the "platform" organization.
        try (RequestLog log = logger.open(LogType.APP, null, correlation)) {
          log.put("route", ROUTE);
          APIGatewayV2HTTPResponse response = refusal("authenticate", e, log);
          log.put("httpStatus", response.getStatusCode());
          return response;
        }
      }
      try (RequestLog log = logger.open(LogType.APP, session.organization().value(), correlation)) {
        log.put("route", ROUTE).put("memberId", session.member().value());
        log.event("authenticate", "session verified");
        APIGatewayV2HTTPResponse response;
        try {
          response =
              ok(service.list(session, accountId(event), event.getQueryStringParameters(), log));
        } catch (RuntimeException e) {
          response = refusal("list", e, log);
        }
        log.put("httpStatus", response.getStatusCode());
        return response;
      }
    } catch (RuntimeException e) {
      // Only reached when opening or publishing the log failed; the caller still gets an answer.
      return error(new ApiError(500, "internal_error", "the request could not be completed"));
    } finally {
      logger.flush();
    }
  }

  /** The service's priming reads, and the 200 answer built from their (empty) page. */
  void prime() {
    ok(service.prime());
  }

  private static String accountId(APIGatewayV2HTTPEvent event) {
    return event.getPathParameters() == null ? null : event.getPathParameters().get("accountId");
  }

  private static APIGatewayV2HTTPResponse ok(TransactionsService.Listing listing) {
    return response(
        200, Json.write(new PageBody(listing.transactions(), listing.nextCursor())), Map.of());
  }

  /**
   * The answer to a failed step: the refusal itself for an {@link ApiError} (the service logs its
   * own refusals; authentication refusals are logged here), 503 when DynamoDB throttles, 500 for
   * anything else. The log keeps the reason; the caller never sees internals.
   */
  private static APIGatewayV2HTTPResponse refusal(String step, RuntimeException e, RequestLog log) {
    if (e instanceof ApiError refused) {
      if (step.equals("authenticate")) {
        log.failure(step, refused.getMessage(), Map.of("code", refused.code()));
      }
      return error(refused);
    }
    if (e instanceof SdkServiceException aws && aws.isThrottlingException()) {
      log.failure(step, "DynamoDB throttled the request", Map.of("error", e.getClass().getName()));
      return response(
          503,
          errorBody("service_unavailable", "too many requests right now; retry shortly"),
          Map.of("Retry-After", "1"));
    }
    log.failure(step, "unexpected failure: " + e, Map.of());
    return error(new ApiError(500, "internal_error", "the request could not be completed"));
  }

  /**
   * The 200 body. Serialized directly (not through a JSON tree, which would normalize {@code 11.00}
   * to {@code 11}); {@code nextCursor} is always present: {@code null} says "nothing more".
   */
  record PageBody(
      List<TransactionView> transactions,
      @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}

  /**
   * The token of an {@code Authorization: Bearer TOKEN} header. A header with another scheme is
   * passed on whole, so it is refused as malformed rather than as missing.
   */
  static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return value.substring(7).strip();
    }
    if (value.equalsIgnoreCase("Bearer")) {
      return "";
    }
    return value;
  }

  private static Map<String, String> lowerCased(Map<String, String> headers) {
    Map<String, String> result = new LinkedHashMap<>();
    if (headers != null) {
      headers.forEach((k, v) -> result.put(k.toLowerCase(Locale.ROOT), v));
    }
    return result;
  }

  private static APIGatewayV2HTTPResponse error(ApiError e) {
    Map<String, String> extra = Map.of();
    if (e.status() == 401) {
      extra =
          Map.of(
              "WWW-Authenticate",
              e.code().equals("session_missing") ? "Bearer" : "Bearer error=\"invalid_token\"");
    }
    return response(e.status(), errorBody(e.code(), e.getMessage()), extra);
  }

  private static String errorBody(String code, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    return Json.write(body);
  }

  private static APIGatewayV2HTTPResponse response(
      int status, String body, Map<String, String> extraHeaders) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    headers.putAll(extraHeaders);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(body)
        .withIsBase64Encoded(false)
        .build();
  }
}
