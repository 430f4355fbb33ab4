package com.cdp.infra;

import com.cdp.model.wiring.Triggers;
import java.util.List;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;

/** Turns the routes {@link Triggers#ROUTES} declares for a function into routes of an HTTP API. */
public final class HttpRoutes {
  private HttpRoutes() {}

  /** Adds every route declared for {@code function} to the API, served by the integration. */
  public static void add(HttpApi api, String function, HttpLambdaIntegration integration) {
    for (Triggers.Route route : Triggers.ROUTES) {
      if (route.function().equals(function)) {
        api.addRoutes(
            AddRoutesOptions.builder()
                .path(route.path())
                .methods(List.of(HttpMethod.valueOf(route.method())))
                .integration(integration)
                .build());
      }
    }
  }
}
