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
import com.cdp.model.event.Topic;
import com.cdp.model.json.Json;
import com.cdp.model.session.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

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
  private final FrameRoute frames;
  private final HttpEdge edge;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public SubscribeHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "ws-subscribe", this::prime);
  }

  /** SnapStart priming: a subscribe frame from an unregistered connection (one read). */
  void prime() {
    service.onFrame(
        "snapStartPriming=",
        "{\"action\":\"subscribe\",\"topics\":[\"account_transactionadded\"]}");
  }

  private SubscribeHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.catchUp(), wiring.logger());
  }

  /** Used by tests and the local platform. */
  public SubscribeHandler(
      SubscriptionService service, CatchUpService catchUp, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    Objects.requireNonNull(catchUp, "catchUp");
    this.frames = new FrameRoute(service, logger);
    this.edge =
        HttpEdge.builder(logger)
            .route("GET /realtime/subscriptions", "list", topics("list", (s, t) -> service.list(s)))
            .route(
                "PUT /realtime/subscriptions/{topic}",
                "subscribe",
                topics("subscribe", service::subscribe))
            .route(
                "DELETE /realtime/subscriptions/{topic}",
                "unsubscribe",
                topics("unsubscribe", service::unsubscribe))
            .route(CATCH_UP_ROUTE, "catchUp", x -> catchUp(catchUp, x))
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

  /** A client frame; the response body is the frame sent back to the client. */
  public APIGatewayV2WebSocketResponse handleWebSocket(APIGatewayV2WebSocketEvent event) {
    return frames.handle(event);
  }

  /** The REST routes. */
  public APIGatewayV2HTTPResponse handleHttp(APIGatewayV2HTTPEvent event) {
    return edge.handle(event);
  }

  private HttpEdge.Route topics(String action, BiFunction<Session, String, List<Topic>> call) {
    return exchange -> {
      Session session = exchange.authenticate(service::authenticate);
      List<String> topics =
          call.apply(session, exchange.request().path("topic")).stream()
              .map(Topic::detailType)
              .toList();
      exchange.log().event(action, "subscriptions " + action, Map.of("topics", topics));
      return HttpResponse.ok(Map.of("topics", topics)).noStore();
    };
  }

  private HttpResponse catchUp(CatchUpService catchUp, Exchange exchange) {
    Session session = exchange.authenticate(service::authenticate);
    CatchUpService.Page page = catchUp.events(session, exchange.request().queryParameters());
    exchange
        .log()
        .event(
            "catchUp",
            "catch-up page served",
            Map.of(
                "events", page.events().size(),
                "more", page.nextCursor().isPresent(),
                "oldest", page.oldest(),
                "continuityLost", page.continuityLost()));
    return HttpResponse.ok(page.body()).noStore();
  }
}
