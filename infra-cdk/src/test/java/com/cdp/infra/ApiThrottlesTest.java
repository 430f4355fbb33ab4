package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Every route of every API Gateway API has its own throttle on its API's stage, no higher than the
 * stage's, and the routes that need a tighter one have it.
 */
class ApiThrottlesTest {
  private final Template template = StackFixture.template("dev");
  private final JsonNode stages = TemplateJson.resources(template, "AWS::ApiGatewayV2::Stage");

  /** The stage of the API (by the API's logical id); each API here has exactly one. */
  private JsonNode stageOf(String apiId) {
    List<JsonNode> found = new ArrayList<>();
    stages.forEach(
        s -> {
          if (s.at("/Properties/ApiId/Ref").asText().equals(apiId)) {
            found.add(s);
          }
        });
    assertThat(found).as("stages of %s", apiId).hasSize(1);
    return found.get(0);
  }

  @Test
  void everyRoute_hasARouteThrottle_noHigherThanItsStage() {
    JsonNode routes = TemplateJson.resources(template, "AWS::ApiGatewayV2::Route");
    assertThat(routes.size()).isGreaterThanOrEqualTo(9);
    routes.forEach(
        route -> {
          String key = route.at("/Properties/RouteKey").asText();
          JsonNode stage = stageOf(route.at("/Properties/ApiId/Ref").asText());
          JsonNode settings = stage.at("/Properties/RouteSettings").path(key);
          assertThat(settings.isObject()).as("route throttle of %s", key).isTrue();
          JsonNode defaults = stage.at("/Properties/DefaultRouteSettings");
          assertThat(settings.path("ThrottlingRateLimit").asDouble())
              .as("rate of %s", key)
              .isPositive()
              .isLessThanOrEqualTo(defaults.path("ThrottlingRateLimit").asDouble());
          assertThat(settings.path("ThrottlingBurstLimit").asInt())
              .as("burst of %s", key)
              .isPositive()
              .isLessThanOrEqualTo(defaults.path("ThrottlingBurstLimit").asInt());
        });
  }

  private JsonNode routeSetting(String apiIdPart, String routeKey) {
    String apiId = TemplateJson.logicalIdOf(template, "AWS::ApiGatewayV2::Api", apiIdPart);
    return stageOf(apiId).at("/Properties/RouteSettings").path(routeKey);
  }

  @Test
  void linkCreation_andRedirects_haveTheirOwnLimits() {
    assertThat(routeSetting("UrlShortenerApi", "POST /links").path("ThrottlingRateLimit").asInt())
        .isEqualTo(20);
    assertThat(routeSetting("UrlShortenerApi", "POST /links").path("ThrottlingBurstLimit").asInt())
        .isEqualTo(40);
    assertThat(routeSetting("UrlShortenerApi", "GET /{code}").path("ThrottlingRateLimit").asInt())
        .isEqualTo(400);
  }

  @Test
  void webSocketConnect_getsAFifthOfTheStage() {
    JsonNode connect = routeSetting("RealtimeWebSocketApi", "$connect");
    assertThat(connect.path("ThrottlingRateLimit").asInt()).isEqualTo(100);
    assertThat(connect.path("ThrottlingBurstLimit").asInt()).isEqualTo(200);
  }

  @Test
  void aThrottleForARouteTheApiDoesNotHave_failsTheSynthesis() {
    PlatformStack stack = StackFixture.stack("dev");
    software.amazon.awscdk.services.apigatewayv2.HttpApi api =
        software.amazon.awscdk.services.apigatewayv2.HttpApi.Builder.create(stack, "Probe")
            .createDefaultStage(false)
            .build();
    var stage = ApiEndpoints.defaultStage(api, "ProbeStage", 10, 20);
    ApiEndpoints.routeThrottles(
        stage,
        api,
        ApiEndpoints.throttle(5, 10),
        java.util.Map.of("GET /no-such-route", ApiEndpoints.throttle(1, 1)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Template.fromStack(stack))
        .hasMessageContaining("GET /no-such-route");
  }
}
