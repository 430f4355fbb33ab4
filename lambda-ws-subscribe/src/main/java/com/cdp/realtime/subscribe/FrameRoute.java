package com.cdp.realtime.subscribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.cdp.logging.LogType;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.realtime.ServerFrames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WebSocket {@code $default} route: one client frame in, the reply frame out as the route
 * response, one request log per frame (the error code only: messages may quote what was sent).
 */
final class FrameRoute {
  private final SubscriptionService service;
  private final PlatformLogger logger;

  FrameRoute(SubscriptionService service, PlatformLogger logger) {
    this.service = service;
    this.logger = logger;
  }

  APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
    logger.invocation(context == null ? null : context.getAwsRequestId());
    return handle(event);
  }

  APIGatewayV2WebSocketResponse handle(APIGatewayV2WebSocketEvent event) {
    String connectionId =
        event.getRequestContext() == null ? null : event.getRequestContext().getConnectionId();
    String correlation = TransactionIds.fromHeaders(event.getHeaders());
    try {
      // Binary frames are not part of the protocol.
      String body = event.isIsBase64Encoded() ? null : event.getBody();
      SubscriptionService.Reply reply = service.onFrame(connectionId, body);
      String organization = reply.session().map(s -> s.organization().value()).orElse(null);
      try (RequestLog log = logger.open(LogType.APP, organization, correlation)) {
        log.put("route", "$default");
        reply.session().ifPresent(s -> log.put("memberId", s.member().value()));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("connectionId", String.valueOf(connectionId));
        if (reply.succeeded()) {
          log.event(reply.action(), reply.action() + " handled", detail);
        } else {
          detail.put("code", reply.errorCode());
          log.failure(reply.action(), "frame refused", detail);
        }
      }
      return frame(reply.frame());
    } catch (RuntimeException e) {
      try (RequestLog log = logger.open(LogType.APP, null, correlation)) {
        log.failure(
            "frame",
            "frame failed",
            Map.of("connectionId", String.valueOf(connectionId), "error", e.getClass().getName()));
      }
      return frame(ServerFrames.error("internal_error", "the frame could not be handled; retry"));
    } finally {
      logger.flush();
    }
  }

  private static APIGatewayV2WebSocketResponse frame(String body) {
    APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
    response.setStatusCode(200);
    response.setBody(body);
    return response;
  }
}
