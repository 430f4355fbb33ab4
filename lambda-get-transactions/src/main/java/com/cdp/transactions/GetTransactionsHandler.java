package com.cdp.transactions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.aws.SnapStartPriming;
import com.cdp.http.Exchange;
import com.cdp.http.HttpEdge;
import com.cdp.http.HttpResponse;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import com.cdp.model.session.Session;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * {@code GET /accounts/{accountId}/transactions} behind the HTTP API: {@code
 * {"transactions":[...],"nextCursor":...}}, or a refusal as {@code {"code","message"}} (the edge,
 * {@link HttpEdge}, maps errors and keeps the request log).
 */
public final class GetTransactionsHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  static final String ROUTE = "GET /accounts/{accountId}/transactions";

  private final TransactionsService service;
  private final HttpEdge edge;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public GetTransactionsHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "get-transactions", this::prime);
  }

  private GetTransactionsHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.logger());
  }

  /** Used by tests. */
  GetTransactionsHandler(TransactionsService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    this.edge = HttpEdge.builder(logger).route(ROUTE, "list", this::list).build();
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return edge.handleRequest(event, context);
  }

  /** Handles one request; never throws. */
  APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    return edge.handle(event);
  }

  private HttpResponse list(Exchange exchange) {
    Session session = exchange.authenticate(service::authenticate);
    var request = exchange.request();
    return page(
        service.list(
            session, request.path("accountId"), request.queryParameters(), exchange.log()));
  }

  /** The service's priming reads, and the 200 answer built from their (empty) page. */
  void prime() {
    page(service.prime());
  }

  private static HttpResponse page(TransactionsService.Listing listing) {
    return HttpResponse.ok(new PageBody(listing.transactions(), listing.nextCursor())).noStore();
  }

  /**
   * The 200 body. Serialized directly (not through a JSON tree, which would normalize {@code 11.00}
   * to {@code 11}); {@code nextCursor} is always present: {@code null} says "nothing more".
   */
  record PageBody(
      List<TransactionView> transactions,
      @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}
}
