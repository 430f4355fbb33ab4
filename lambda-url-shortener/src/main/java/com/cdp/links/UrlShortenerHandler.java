package com.cdp.links;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.aws.SnapStartPriming;
import com.cdp.http.HttpEdge;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.EnvReader;
import java.util.Objects;

/**
 * The short-link HTTP API: {@code GET /{code}} redirects (302, 403 expired, 410 revoked or used up,
 * 404); the {@code /links} routes, behind an {@code x-api-key}, create and manage links
 * (docs/links-and-connectors.md). The routes are {@link LinkApi}'s; {@link HttpEdge} does the rest
 * (8 KB bodies, errors, the {@code app} request log, which never holds the API key).
 */
public final class UrlShortenerHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final LinkService service;
  private final HttpEdge edge;

  /** Used by the Lambda runtime: real clients from the environment ({@link Config}). */
  public UrlShortenerHandler() {
    this(ProductionWiring.create());
    SnapStartPriming.ifSnapshotting(EnvReader.system(), "url-shortener", this::prime);
  }

  /** SnapStart priming: resolving a code nobody has on the bare short domain (two reads). */
  void prime() {
    service.resolve(service.hosts().domain(), "snapStartPriming");
  }

  private UrlShortenerHandler(ProductionWiring wiring) {
    this(wiring.service(), wiring.logger());
  }

  /** Used by tests and the redirect benchmark. */
  public UrlShortenerHandler(LinkService service, PlatformLogger logger) {
    this.service = Objects.requireNonNull(service, "service");
    LinkApi api = new LinkApi(service);
    this.edge =
        HttpEdge.builder(logger)
            .route("POST /links", "createLink", api::create)
            .route("GET /links", "GET /links", api::list)
            .route("GET /links/{code}", "GET /links/{code}", api::get)
            .route("PATCH /links/{code}", "PATCH /links/{code}", api::extend)
            .route("DELETE /links/{code}", "DELETE /links/{code}", api::revoke)
            .route("GET /links/{code}/stats", "GET /links/{code}/stats", api::stats)
            .route("GET /links/{code}/qr", "GET /links/{code}/qr", api::qr)
            .route("GET /{code}", "redirect", api::redirect)
            .build();
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return edge.handleRequest(event, context);
  }

  /** Handles one request; never throws. */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    return edge.handle(event);
  }
}
