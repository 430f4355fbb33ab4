package com.cdp.local.platform;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** A function behind an HTTP API route: the same event and response types as in AWS. */
@FunctionalInterface
public interface HttpHandler {
  APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event);
}
