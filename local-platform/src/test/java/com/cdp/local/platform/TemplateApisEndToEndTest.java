package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.local.platform.realtime.TemplateWebSocketRoutes;
import com.cdp.local.runtime.FunctionPool;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import com.cdp.testing.RepoRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real synthesized local template's APIs on the gateway, with the real functions from their
 * {@code -lambda.jar}s in their own JVMs on the local Runtime API: the deployed handlers accept the
 * events the gateway builds and their answers come back as API Gateway maps them. (Only the answers
 * that need no secret: the flows themselves switch to this path with the platform's own function
 * pool.) One platform and one pool for the class; each function starts once.
 */
class TemplateApisEndToEndTest {
  private static LocalPlatform platform;
  private static FunctionPool pool;
  private static LocalTemplate template;
  private static AutoCloseable webSocketApi;

  @BeforeAll
  static void start() throws Exception {
    Path repo = RepoRoot.find();
    Path data = Files.createTempDirectory("template-apis");
    // The template-driven platform: its template, its function pool, its secrets and endpoints.
    platform = LocalPlatform.start(LocalOptions.forTests(data, repo), List.of());
    template = platform.template();
    pool = platform.functions();
    TemplateHttpApis.Invoker invoker = TemplateHttpApis.Invoker.of(platform);
    platform.gateway().httpApis(new TemplateHttpApis(template.apis(), invoker));
    LocalTemplate.Api realtime =
        template.apis().stream()
            .filter(a -> a.protocol().equals("WEBSOCKET"))
            .findFirst()
            .orElseThrow();
    // The gateway is already listening: mount the WebSocket API on a gateway of its own.
    webSocketGateway = LocalGatewayAccess.create();
    webSocketApi =
        new TemplateWebSocketRoutes(realtime, invoker)
            .serve(
                webSocketGateway.gateway(),
                "/realtime",
                "/_aws/realtime",
                "live",
                (name, task) -> new Thread(task, name).start(),
                Duration.ofMinutes(10),
                Duration.ofHours(2));
    webSocketGateway.start();
  }

  private static LocalGatewayAccess webSocketGateway;

  @AfterAll
  static void stop() throws Exception {
    if (webSocketApi != null) {
      webSocketApi.close();
    }
    if (webSocketGateway != null) {
      webSocketGateway.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void transactionsRoute_reachesTheDeployedGetTransactionsJar_andItsAnswerIsMapped()
      throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(platform.gatewayUrl() + "/accounts/A000000001/transactions"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    // No bearer token: the function's own 401, its headers and its JSON error body.
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("cache-control")).contains("no-store");
    assertThat(Json.tree(response.body()).path("code").asText()).as(response.body()).isNotBlank();
    LocalTemplate.Function function =
        template.functions().stream()
            .filter(f -> f.module().orElse("").equals("lambda-get-transactions"))
            .findFirst()
            .orElseThrow();
    assertThat(pool.pids(function)).as("served by its own JVM").hasSize(1);
  }

  @Test
  void realtimeConnect_withAnUnknownToken_isRefusedByTheDeployedWsConnectJar() {
    String token = "A".repeat(43);
    URI uri =
        URI.create(
            webSocketGateway.gateway().url().toString().replaceFirst("^http", "ws")
                + "/realtime?token="
                + token);

    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(uri, new WebSocket.Listener() {})
                    .get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
  }
}
