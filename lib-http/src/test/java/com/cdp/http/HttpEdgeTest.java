package com.cdp.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.cdp.logging.LogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.logging.PublisherStats;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.session.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class HttpEdgeTest {
  /** Keeps messages and counts flushes, so a test can tell a flushed request from a pending one. */
  static final class RecordingPublisher implements LogPublisher {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final AtomicInteger flushes = new AtomicInteger();

    @Override
    public void publish(String json) {
      messages.add(json);
    }

    @Override
    public void flush(Duration timeout) {
      flushes.incrementAndGet();
    }

    @Override
    public PublisherStats stats() {
      return new PublisherStats(messages.size(), messages.size(), 0, 0, 0, 0);
    }
  }

  private final RecordingPublisher published = new RecordingPublisher();
  private final PlatformLogger logger =
      new PlatformLogger(
          published,
          "local",
          "test",
          Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC));
  private final List<String> seen = new ArrayList<>();

  private HttpEdge edge(HttpEdge.Route route) {
    return HttpEdge.builder(logger)
        .route("GET /links", "list", x -> HttpResponse.ok(Map.of("route", x.request().route())))
        .route(
            "GET /links/{code}",
            "get",
            x -> {
              seen.add(x.request().path("code"));
              return route.handle(x);
            })
        .route("GET /{code}", "redirect", x -> HttpResponse.redirect(302, "https://example.com"))
        .route("POST /links", "createLink", route)
        .build();
  }

  private static APIGatewayV2HTTPEvent event(String method, String path, String routeKey) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(routeKey)
        .withRawPath(path)
        .withHeaders(Map.of("Host", "example.test", "X-Transaction-Id", "not-a-platform-id"))
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(path)
                        .build())
                .build())
        .build();
  }

  private static JsonNode body(APIGatewayV2HTTPResponse r) {
    return Json.tree(r.getBody());
  }

  private JsonNode lastLog() {
    return Json.tree(published.messages.get(published.messages.size() - 1));
  }

  private static JsonNode field(JsonNode message, String name) {
    return message.has(name) ? message.get(name) : message.path("fields").path(name);
  }

  @Test
  void routeKeyOfTheEvent_picksTheRoute_andTheAnswerIsLoggedWithItsStatus() {
    APIGatewayV2HTTPResponse r =
        edge(x -> HttpResponse.ok(Map.of("ok", true)))
            .handle(event("GET", "/links/abc", "GET /links/{code}"));

    assertThat(r.getStatusCode()).isEqualTo(200);
    assertThat(r.getHeaders()).containsEntry("Content-Type", "application/json");
    assertThat(body(r).path("ok").asBoolean()).isTrue();
    assertThat(published.messages).hasSize(1);
    assertThat(field(lastLog(), "route").asText()).isEqualTo("GET /links/{code}");
    assertThat(field(lastLog(), "httpStatus").asInt()).isEqualTo(200);
    assertThat(published.flushes.get()).isEqualTo(1);
  }

  @Test
  void withoutARouteKey_theMethodAndPathPickTheRoute_literalSegmentsFirst() {
    HttpEdge edge = edge(x -> HttpResponse.ok(Map.of()));

    APIGatewayV2HTTPResponse list = edge.handle(event("GET", "/links", "$default"));
    APIGatewayV2HTTPResponse one = edge.handle(event("GET", "/links/xyz", null));
    APIGatewayV2HTTPResponse redirect = edge.handle(event("get", "/xyz", "$default"));

    assertThat(body(list).path("route").asText()).isEqualTo("GET /links");
    assertThat(one.getStatusCode()).isEqualTo(200);
    assertThat(seen).containsExactly("xyz");
    assertThat(redirect.getStatusCode()).isEqualTo(302);
    assertThat(redirect.getHeaders()).containsEntry("Location", "https://example.com");
  }

  @Test
  void anUnknownRoute_is404NotFound_andLogged() {
    HttpEdge edge = edge(x -> HttpResponse.ok(Map.of()));

    APIGatewayV2HTTPResponse wrongMethod = edge.handle(event("DELETE", "/links", null));
    APIGatewayV2HTTPResponse deeper = edge.handle(event("GET", "/a/b/c", null));

    for (APIGatewayV2HTTPResponse r : List.of(wrongMethod, deeper)) {
      assertThat(r.getStatusCode()).isEqualTo(404);
      assertThat(body(r).path("code").asText()).isEqualTo("not_found");
    }
    assertThat(published.messages).hasSize(2);
    assertThat(field(lastLog(), "httpStatus").asInt()).isEqualTo(404);
  }

  @Test
  void aBodyOverTheLimit_is413_beforeTheRouteRuns() {
    AtomicInteger calls = new AtomicInteger();
    HttpEdge edge =
        HttpEdge.builder(logger)
            .maxBodyBytes(16)
            .route(
                "POST /links",
                "createLink",
                x -> {
                  calls.incrementAndGet();
                  return HttpResponse.json(201, x.request().jsonObject());
                })
            .build();
    APIGatewayV2HTTPEvent small = event("POST", "/links", "POST /links");
    small.setBody("{\"a\":1}");
    APIGatewayV2HTTPEvent large = event("POST", "/links", "POST /links");
    large.setBody("{\"a\":\"" + "é".repeat(8) + "\"}"); // 13 chars, 21 bytes

    assertThat(edge.handle(small).getStatusCode()).isEqualTo(201);
    APIGatewayV2HTTPResponse refused = edge.handle(large);

    assertThat(refused.getStatusCode()).isEqualTo(413);
    assertThat(body(refused).path("code").asText()).isEqualTo("body_too_large");
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void aBase64Body_isDecodedForTheRoute() {
    HttpEdge edge = edge(x -> HttpResponse.json(201, x.request().jsonObject()));
    APIGatewayV2HTTPEvent e = event("POST", "/links", "POST /links");
    e.setBody(Base64.getEncoder().encodeToString("{\"url\":\"https://x.test\"}".getBytes()));
    e.setIsBase64Encoded(true);

    APIGatewayV2HTTPResponse r = edge.handle(e);

    assertThat(r.getStatusCode()).isEqualTo(201);
    assertThat(body(r).path("url").asText()).isEqualTo("https://x.test");
  }

  @Test
  void jsonObject_refusesMissingMalformedAndNonObjectBodiesWith400InvalidBody() {
    HttpEdge edge = edge(x -> HttpResponse.json(201, x.request().jsonObject()));
    for (String bad : new String[] {null, " ", "not json", "[1]"}) {
      APIGatewayV2HTTPEvent e = event("POST", "/links", "POST /links");
      e.setBody(bad);
      APIGatewayV2HTTPResponse r = edge.handle(e);
      assertThat(r.getStatusCode()).as("%s", bad).isEqualTo(400);
      assertThat(body(r).path("code").asText()).isEqualTo("invalid_body");
      assertThat(body(r).path("message").asText()).isNotBlank();
    }
  }

  @Test
  void anApiError_becomesItsStatusCodeMessageAndHeaders_andALoggedFailure() {
    HttpEdge edge =
        edge(
            x -> {
              throw ApiError.unauthorized(
                  "session_unknown", "the session is not known", "Bearer error=\"invalid_token\"");
            });

    APIGatewayV2HTTPResponse r = edge.handle(event("POST", "/links", "POST /links"));

    assertThat(r.getStatusCode()).isEqualTo(401);
    assertThat(body(r).size()).isEqualTo(2);
    assertThat(body(r).path("code").asText()).isEqualTo("session_unknown");
    assertThat(body(r).path("message").asText()).isEqualTo("the session is not known");
    assertThat(r.getHeaders())
        .containsEntry("WWW-Authenticate", "Bearer error=\"invalid_token\"")
        .containsEntry("Cache-Control", "no-store")
        .containsEntry("Content-Type", "application/json");
    JsonNode log = lastLog();
    assertThat(log.path("organizationID").asText()).isEqualTo(PlatformLogger.NO_ORGANIZATION);
    assertThat(field(log, "httpStatus").asInt()).isEqualTo(401);
    assertThat(log.path("events").toString()).contains("createLink").contains("session_unknown");
  }

  @Test
  void aRefusalTheRouteAlreadyLogged_isNotLoggedTwice() {
    HttpEdge edge =
        edge(
            x -> {
              x.open("tcu").failure("authorize", "not the member's account");
              throw new ApiError(404, "account_not_found", "no such account");
            });

    edge.handle(event("POST", "/links", "POST /links"));

    JsonNode events = lastLog().path("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("action").asText()).isEqualTo("authorize");
    assertThat(lastLog().path("organizationID").asText()).isEqualTo("tcu");
  }

  @Test
  void aThrottledAwsCall_is503WithRetryAfter() {
    HttpEdge edge =
        edge(
            x -> {
              throw AwsServiceException.builder()
                  .statusCode(400)
                  .awsErrorDetails(
                      AwsErrorDetails.builder()
                          .errorCode("ProvisionedThroughputExceededException")
                          .build())
                  .message("slow down")
                  .build();
            });

    APIGatewayV2HTTPResponse r = edge.handle(event("POST", "/links", "POST /links"));

    assertThat(r.getStatusCode()).isEqualTo(503);
    assertThat(body(r).path("code").asText()).isEqualTo("service_unavailable");
    assertThat(r.getHeaders()).containsEntry("Retry-After", "1");
  }

  @Test
  void anUnexpectedFailure_is500WithoutInternals_butTheLogKeepsTheReason() {
    HttpEdge edge =
        edge(
            x -> {
              throw new IllegalStateException("table cdp-secret-table is gone");
            });

    APIGatewayV2HTTPResponse r = edge.handle(event("POST", "/links", "POST /links"));

    assertThat(r.getStatusCode()).isEqualTo(500);
    assertThat(body(r).path("code").asText()).isEqualTo("internal_error");
    assertThat(r.getBody()).doesNotContain("secret-table");
    assertThat(published.messages.get(0)).contains("table cdp-secret-table is gone");
    assertThat(published.flushes.get()).isEqualTo(1);
  }

  @Test
  void authenticate_opensTheLogUnderTheSessionsOrganization_orRefusesUnderThePlatform() {
    Session session =
        new Session(
            "id",
            OrganizationId.of("tcu"),
            MemberId.of("m-1"),
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(60));
    List<String> tokens = new ArrayList<>();
    HttpEdge edge =
        edge(
            x -> {
              x.authenticate(
                  token -> {
                    tokens.add(token);
                    if (!"good".equals(token)) {
                      throw ApiError.unauthorized("session_unknown", "unknown session", "Bearer");
                    }
                    return session;
                  });
              return HttpResponse.ok(Map.of());
            });
    APIGatewayV2HTTPEvent good = event("POST", "/links", "POST /links");
    good.setHeaders(Map.of("Authorization", "Bearer good"));
    APIGatewayV2HTTPEvent other = event("POST", "/links", "POST /links");
    other.setHeaders(Map.of("authorization", "Basic good"));

    assertThat(edge.handle(good).getStatusCode()).isEqualTo(200);
    JsonNode ok = lastLog();
    APIGatewayV2HTTPResponse refused = edge.handle(other);

    assertThat(tokens).containsExactly("good", "Basic good");
    assertThat(ok.path("organizationID").asText()).isEqualTo("tcu");
    assertThat(field(ok, "memberId").asText()).isEqualTo("m-1");
    assertThat(refused.getStatusCode()).isEqualTo(401);
    assertThat(refused.getHeaders()).containsEntry("WWW-Authenticate", "Bearer");
    JsonNode no = lastLog();
    assertThat(no.path("organizationID").asText()).isEqualTo(PlatformLogger.NO_ORGANIZATION);
    assertThat(no.path("events").get(0).path("action").asText()).isEqualTo("authenticate");
  }

  @Test
  void aRouteDeclaredTwice_isAMistakeAtBuildTime() {
    HttpEdge.Builder builder =
        HttpEdge.builder(logger).route("GET /a", "a", x -> HttpResponse.ok(Map.of()));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.route("GET /a", "b", x -> HttpResponse.ok(Map.of())));
  }
}
