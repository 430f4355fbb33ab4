package com.cdp.realtime.subscribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.cdp.aws.SnapStartPriming;
import com.cdp.http.Exchange;
import com.cdp.http.HttpEdge;
import com.cdp.http.HttpResponse;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import com.cdp.model.json.Json;
import com.cdp.model.session.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One function behind two APIs: the WebSocket API's {@code $default} route (client frames, {@link
 * FrameRoute}) and the HTTP API's {@code GET/PUT/DELETE /realtime/subscriptions[/{topic}]} and
 * {@code GET /realtime/events} with {@code Authorization: Bearer TOKEN} ({@link HttpEdge}). Lambda
 * hands it raw JSON; a {@code requestContext.connectionId} tells the two event shapes apart.
 */
public final class SubscribeHandler implements RequestStreamHandler {
  /** The route key of the catch-up route ({@code Triggers.ROUTES}). */
  static final String CATCH_UP_ROUTE = "GET /realtime/events";

  private final SubscriptionService service;
  private final CatchUpService catchUp;
  private final FrameRoute frames;
  private final HttpEdge edge;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public SubscribeHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "ws-subscribe", this::prime);
  }

  void prime() {
    service.prime();
  }

  private SubscribeHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.catchUp(), wiring.logger());
  }

  SubscribeHandler(SubscriptionService service, CatchUpService catchUp, PlatformLogger logger) {
    this.service = service;
    this.catchUp = catchUp;
    this.frames = new FrameRoute(service, logger);
    this.edge =
        HttpEdge.builder(logger)
            .route("GET /realtime/subscriptions", "list", this::subscriptions)
            .route("PUT /realtime/subscriptions/{topic}", "subscribe", this::subscriptions)
            .route("DELETE /realtime/subscriptions/{topic}", "unsubscribe", this::subscriptions)
            .route(CATCH_UP_ROUTE, "catchUp", this::catchUp)
            .build();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode event = Json.mapper().readTree(input);
    Object response =
        event.path("requestContext").hasNonNull("connectionId")
            ? frames.handleRequest(
                Json.mapper().treeToValue(event, APIGatewayV2WebSocketEvent.class), context)
            : edge.handleRequest(
                Json.mapper().treeToValue(event, APIGatewayV2HTTPEvent.class), context);
    output.write(Json.writeBytes(response));
  }

  APIGatewayV2WebSocketResponse handleWebSocket(APIGatewayV2WebSocketEvent event) {
    return frames.handle(event);
  }

  APIGatewayV2HTTPResponse handleHttp(APIGatewayV2HTTPEvent event) {
    return edge.handle(event);
  }

  private HttpResponse subscriptions(Exchange x) {
    Session session = x.authenticate(service::authenticate);
    var request = x.request();
    return HttpResponse.ok(service.rest(request.method(), session, request.path("topic"), x.log()))
        .noStore();
  }

  private HttpResponse catchUp(Exchange x) {
    Session session = x.authenticate(service::authenticate);
    return HttpResponse.ok(catchUp.events(session, x.request().queryParameters(), x.log()))
        .noStore();
  }
}
