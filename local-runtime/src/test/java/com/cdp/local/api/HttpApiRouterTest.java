package com.cdp.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.local.template.CloudAssembly;
import com.cdp.local.template.LocalTemplate;
import com.cdp.local.template.SynthesizedAssembly;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Route matching of HTTP APIs, on the real synthesized local template and on hand-made APIs. */
class HttpApiRouterTest {
  private static LocalTemplate template;

  @BeforeAll
  static void read() {
    template = CloudAssembly.read(SynthesizedAssembly.path());
  }

  static LocalTemplate.Api httpApiWith(LocalTemplate template, String routeKey) {
    return template.apis().stream()
        .filter(a -> a.protocol().equals("HTTP"))
        .filter(a -> a.routes().stream().anyMatch(r -> r.routeKey().equals(routeKey)))
        .findFirst()
        .orElseThrow();
  }

  private static LocalTemplate.Api api(String... routeKeys) {
    return new LocalTemplate.Api(
        "Api",
        "hand-made",
        "HTTP",
        Optional.empty(),
        java.util.Arrays.stream(routeKeys)
            .map(k -> new LocalTemplate.Route(k, "fn-" + k, Optional.of("2.0")))
            .toList(),
        List.of());
  }

  private static String routeOf(HttpApiRouter router, String method, String path) {
    return router.match(method, path).map(m -> m.route().routeKey()).orElse("(404)");
  }

  @Test
  void transactionsRoute_bindsTheAccountIdAndServesOnlyItsMethod() {
    HttpApiRouter router =
        new HttpApiRouter(httpApiWith(template, "GET /accounts/{accountId}/transactions"));

    HttpApiRouter.Match match = router.match("GET", "/accounts/A-17/transactions").orElseThrow();

    assertThat(match.pathParameters()).isEqualTo(Map.of("accountId", "A-17"));
    assertThat(template.function(match.route().functionArn()).flatMap(f -> f.module()))
        .contains("lambda-get-transactions");
    assertThat(router.match("POST", "/accounts/A-17/transactions")).isEmpty();
    assertThat(router.match("GET", "/accounts//transactions")).isEmpty();
    assertThat(router.match("GET", "/accounts/A-17/transactions/x")).isEmpty();
    assertThat(router.match("GET", "/Accounts/A-17/transactions")).as("case-sensitive").isEmpty();
  }

  @Test
  void shortLinkApi_prefersLiteralSegmentsOverTheRootCodeVariable() {
    LocalTemplate.Api links = httpApiWith(template, "GET /{code}");
    HttpApiRouter router = new HttpApiRouter(links);

    assertThat(routeOf(router, "GET", "/links")).isEqualTo("GET /links");
    assertThat(routeOf(router, "POST", "/links")).isEqualTo("POST /links");
    assertThat(routeOf(router, "GET", "/Ab3dE6gH")).isEqualTo("GET /{code}");
    assertThat(router.match("GET", "/Ab3dE6gH").orElseThrow().pathParameters())
        .containsEntry("code", "Ab3dE6gH");
    assertThat(routeOf(router, "GET", "/links/Ab3dE6gH")).isEqualTo("GET /links/{code}");
    assertThat(routeOf(router, "GET", "/links/Ab3dE6gH/stats"))
        .isEqualTo("GET /links/{code}/stats");
    assertThat(routeOf(router, "PUT", "/links/Ab3dE6gH")).isEqualTo("(404)");
    // The short domains are mapped to this API in the template (bare and wildcard).
    assertThat(links.domains()).containsExactlyInAnyOrder("localhost", "*.localhost");
  }

  @Test
  void theMostSpecificRouteWins_asInApiGatewaysExample() {
    // API Gateway's documented example of route priority.
    HttpApiRouter router =
        new HttpApiRouter(
            api(
                "ANY /{proxy+}",
                "GET /pets/{proxy+}",
                "GET /pets/dog/{id}",
                "GET /pets/dog/1",
                "$default"));

    assertThat(routeOf(router, "GET", "/pets/dog/1")).isEqualTo("GET /pets/dog/1");
    assertThat(routeOf(router, "GET", "/pets/dog/2")).isEqualTo("GET /pets/dog/{id}");
    assertThat(routeOf(router, "GET", "/pets/cat/1")).isEqualTo("GET /pets/{proxy+}");
    assertThat(routeOf(router, "POST", "/pets/dog/1")).isEqualTo("ANY /{proxy+}");
    assertThat(router.match("GET", "/pets/cat/1").orElseThrow().pathParameters())
        .isEqualTo(Map.of("proxy", "cat/1"));
    assertThat(routeOf(router, "GET", "/"))
        .as("a greedy variable needs a segment")
        .isEqualTo("$default");
  }

  @Test
  void aRouteOwnMethodBeatsAny_andNothingMatchingWithoutDefaultIsEmpty() {
    HttpApiRouter router = new HttpApiRouter(api("ANY /items/{id}", "DELETE /items/{id}"));

    assertThat(routeOf(router, "DELETE", "/items/7")).isEqualTo("DELETE /items/{id}");
    assertThat(routeOf(router, "PATCH", "/items/7")).isEqualTo("ANY /items/{id}");
    assertThat(routeOf(router, "GET", "/other")).isEqualTo("(404)");
  }

  @Test
  void aRouteKeyThatIsNotMethodAndPath_isRefused() {
    assertThatThrownBy(() -> new HttpApiRouter(api("GET items")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GET items");
  }
}
