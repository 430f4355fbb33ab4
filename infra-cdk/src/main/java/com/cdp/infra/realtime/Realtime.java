package com.cdp.infra.realtime;

import com.cdp.infra.ApiEndpoints;
import com.cdp.infra.GeneratedSecret;
import com.cdp.infra.PlatformFunction;
import com.cdp.infra.PlatformStack;
import com.cdp.model.json.Json;
import com.cdp.model.realtime.RealtimeKeys;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The realtime area: the WebSocket API ({@code $connect}/{@code $disconnect} on ws-connect, {@code
 * $default} on ws-subscribe with its reply as route response) on the environment's custom domain
 * ({@code ENV.cdp-realtime.com}), the REST routes {@code /realtime/subscriptions} and {@code
 * /realtime/events} (catch-up, cursors signed with a generated secret) on an HTTP API, and the
 * relay behind the EventBridge rule {@link Triggers#RELAY_ACCOUNT_EVENTS} with a dead-letter queue.
 * Each function gets only the table actions it uses; only the relay may manage connections, and
 * only on this API's stage.
 */
public final class Realtime extends Construct {
  public static final String CONNECT_HANDLER =
      "com.cdp.realtime.connect.ConnectHandler::handleRequest";
  public static final String SUBSCRIBE_HANDLER =
      "com.cdp.realtime.subscribe.SubscribeHandler::handleRequest";
  public static final String RELAY_HANDLER = "com.cdp.realtime.relay.RelayHandler::handleRequest";

  public static final String STAGE = "live";

  /** Steady-state and burst rates of the WebSocket stage and the REST API (per second). */
  public static final int RATE_LIMIT = 500;

  public static final int BURST_LIMIT = 1000;

  /**
   * Per-route throttles. {@code $connect} authenticates a token and writes two items per call, so
   * it gets a fifth of the stage: a flood of connects cannot starve the frames of clients already
   * connected. The REST routes each get a fifth of their API.
   */
  public static final Map<String, ThrottleSettings> WEBSOCKET_ROUTE_THROTTLES =
      Map.of("$connect", ApiEndpoints.throttle(RATE_LIMIT / 5, BURST_LIMIT / 5));

  public static final ThrottleSettings REST_ROUTE_THROTTLE =
      ApiEndpoints.throttle(RATE_LIMIT / 5, BURST_LIMIT / 5);

  /**
   * The partition-key prefixes of the realtime table ({@link RealtimeKeys}) each function may
   * touch, enforced with {@code dynamodb:LeadingKeys}. ws-connect records and removes connections
   * (its {@code CONN#} item and its entry under {@code SESSION#}); ws-subscribe reads a connection
   * and writes the session's subscriptions; the relay queries a member's subscriptions ({@code
   * ORG#}, the GSI1 key) and a session's connections, claims events ({@code EVENT#}) and removes
   * gone connections. A new item kind needs its prefix added here for the functions that use it.
   */
  /** The start of GSI1's partition key ({@link RealtimeKeys#memberTopic}). */
  static final String MEMBER_TOPIC_PREFIX = "ORG#";

  static final List<String> CONNECT_KEYS =
      List.of(RealtimeKeys.connection(""), RealtimeKeys.session(""), RealtimeKeys.STREAM_PREFIX);

  /** ws-subscribe runs the member's stream pump (replays): the streams and the topic index too. */
  static final List<String> SUBSCRIBE_KEYS =
      List.of(
          RealtimeKeys.connection(""),
          RealtimeKeys.session(""),
          RealtimeKeys.STREAM_PREFIX,
          MEMBER_TOPIC_PREFIX);

  static final List<String> RELAY_QUERY_KEYS =
      List.of(RealtimeKeys.session(""), MEMBER_TOPIC_PREFIX, RealtimeKeys.STREAM_PREFIX);

  static final List<String> RELAY_WRITE_KEYS =
      List.of(
          RealtimeKeys.EVENT_PREFIX,
          RealtimeKeys.session(""),
          RealtimeKeys.connection(""),
          RealtimeKeys.STREAM_PREFIX);

  /** The relay's timeout; its de-duplication claim lease is the same. */
  public static final Duration RELAY_TIMEOUT = Duration.seconds(60);

  /** ws-subscribe runs replays: up to API Gateway's 29-second integration limit. */
  public static final Duration SUBSCRIBE_TIMEOUT = Duration.seconds(29);

  /** Open connections a session may have; the oldest is closed beyond. */
  public static final int MAX_CONNECTIONS_PER_SESSION = 5;

  /** Posts the relay keeps in flight. */
  public static final int RELAY_CONCURRENCY = 16;

  /** The secret's name, {@code cdp/ENV/realtime-cursor-key}. */
  public static final String CURSOR_KEY_NAME = "realtime-cursor-key";

  private final Secret cursorKey;
  private final WebSocketApi webSocketApi;
  private final WebSocketStage stage;
  private final HttpApi restApi;
  private final DomainName domain;
  private final Queue deadLetters;
  private final PlatformFunction.Deployed connect;
  private final PlatformFunction.Deployed subscribe;
  private final PlatformFunction.Deployed relay;

  public Realtime(Construct scope, String id, PlatformStack stack) {
    super(scope, id);
    String env = stack.config().name();
    String realtimeTable = stack.table(Tables.REALTIME).getTableArn();
    String sessionsTable = stack.table(Tables.SESSIONS).getTableArn();
    // Kept events expire through the table's TTL (attribute ttl) after the replay window.
    String replayWindow = "PT" + stack.config().replayWindowHours() + "H";

    connect =
        PlatformFunction.create(
            this,
            stack,
            new PlatformFunction.Spec(
                "WsConnect",
                "lambda-ws-connect",
                CONNECT_HANDLER,
                512,
                Duration.seconds(10),
                Map.of(
                    "MAX_CONNECTIONS_PER_SESSION", Integer.toString(MAX_CONNECTIONS_PER_SESSION))));
    allow(connect, List.of("dynamodb:GetItem"), sessionsTable);
    // Query: the session's connections (the per-session limit) and the member stream's end.
    allowKeys(
        connect,
        List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"),
        CONNECT_KEYS,
        realtimeTable);

    // GET /realtime/events pages are signed with this key (SignedCursors).
    cursorKey =
        GeneratedSecret.create(
            this,
            // Not "CursorKey": other constructs' tests find their secret by that part of the id.
            "EventsPagingKey",
            stack,
            CURSOR_KEY_NAME,
            48,
            "Key of the HMAC that signs GET /realtime/events paging cursors. Changing it only"
                + " invalidates cursors in flight (they live one hour).");
    subscribe =
        PlatformFunction.create(
            this,
            stack,
            new PlatformFunction.Spec(
                "WsSubscribe",
                "lambda-ws-subscribe",
                SUBSCRIBE_HANDLER,
                512,
                SUBSCRIBE_TIMEOUT,
                Map.of(
                    "REALTIME_REPLAY_WINDOW",
                    replayWindow,
                    "CURSOR_SECRET_ARN",
                    cursorKey.getSecretArn())));
    cursorKey.grantRead(subscribe.function());
    allow(subscribe, List.of("dynamodb:GetItem"), sessionsTable);
    // It runs the member's stream pump (replays): the relay's table access, gsi1 included.
    allowKeys(
        subscribe,
        List.of(
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Query"),
        SUBSCRIBE_KEYS,
        realtimeTable,
        realtimeTable + "/index/" + Tables.GSI1);

    // ---- WebSocket API on the custom domain ----
    webSocketApi =
        WebSocketApi.Builder.create(this, "WebSocketApi")
            .apiName("cdp-" + env + "-realtime")
            .description("Realtime events for end users (CONTRACTS section 3)")
            .routeSelectionExpression("$request.body.action")
            .connectRouteOptions(
                WebSocketRouteOptions.builder()
                    .integration(
                        new WebSocketLambdaIntegration("ConnectIntegration", connect.alias()))
                    .build())
            .disconnectRouteOptions(
                WebSocketRouteOptions.builder()
                    .integration(
                        new WebSocketLambdaIntegration("DisconnectIntegration", connect.alias()))
                    .build())
            .defaultRouteOptions(
                WebSocketRouteOptions.builder()
                    .integration(
                        new WebSocketLambdaIntegration("DefaultIntegration", subscribe.alias()))
                    .returnResponse(true)
                    .build())
            .build();
    stage =
        WebSocketStage.Builder.create(this, "Stage")
            .webSocketApi(webSocketApi)
            .stageName(STAGE)
            .autoDeploy(true)
            .throttle(ApiEndpoints.throttle(RATE_LIMIT, BURST_LIMIT))
            .build();
    ApiEndpoints.routeThrottles(
        stage,
        webSocketApi,
        ApiEndpoints.throttle(RATE_LIMIT, BURST_LIMIT),
        WEBSOCKET_ROUTE_THROTTLES);
    String realtimeDomain = stack.config().realtimeDomain();
    domain =
        ApiEndpoints.mappedDomain(
            this,
            "Domain",
            "Mapping",
            realtimeDomain,
            ApiEndpoints.certificate(this, "Certificate", realtimeDomain),
            webSocketApi,
            stage);
    // ws-connect closes a session's oldest connection over the limit; ws-subscribe posts replays.
    for (PlatformFunction.Deployed f : List.of(connect, subscribe)) {
      f.function().addEnvironment("REALTIME_MANAGEMENT_ENDPOINT", stage.getCallbackUrl());
      stage.grantManagementApiAccess(f.function());
    }
    CfnOutput.Builder.create(this, "RealtimeDomainTarget")
        .description("Point " + realtimeDomain + " (CNAME/alias) at this regional name")
        .value(domain.getRegionalDomainName())
        .build();

    // ---- REST routes for subscriptions ----
    restApi =
        HttpApi.Builder.create(this, "RestApi")
            .apiName("cdp-" + env + "-realtime-subscriptions")
            .description("REST subscriptions of the realtime API (CONTRACTS section 3)")
            .createDefaultStage(false)
            .build();
    var restStage = ApiEndpoints.defaultStage(restApi, "RestStage", RATE_LIMIT, BURST_LIMIT);
    ApiEndpoints.routeThrottles(restStage, restApi, REST_ROUTE_THROTTLE, Map.of());
    HttpLambdaIntegration rest =
        new HttpLambdaIntegration("SubscriptionsIntegration", subscribe.alias());
    com.cdp.infra.HttpRoutes.add(restApi, Triggers.Functions.WS_SUBSCRIBE, rest);

    // ---- the relay behind the bus rule ----
    relay =
        PlatformFunction.create(
            this,
            stack,
            new PlatformFunction.Spec(
                "RelayMessage",
                "lambda-relay-message",
                RELAY_HANDLER,
                1024,
                RELAY_TIMEOUT,
                Map.of(
                    "REALTIME_MANAGEMENT_ENDPOINT",
                    stage.getCallbackUrl(),
                    "RELAY_CONCURRENCY",
                    Integer.toString(RELAY_CONCURRENCY),
                    "RELAY_CLAIM_LEASE",
                    "PT" + RELAY_TIMEOUT.toSeconds() + "S",
                    "REALTIME_REPLAY_WINDOW",
                    replayWindow,
                    // The URLConnection client keeps only 5 idle connections per host by default:
                    // with 16 posts in flight the rest would pay a new TLS handshake every time.
                    "JAVA_TOOL_OPTIONS",
                    stack.commonEnvironment().getOrDefault("JAVA_TOOL_OPTIONS", "")
                        + " -Dhttp.maxConnections="
                        + 2 * RELAY_CONCURRENCY)));
    allowKeys(
        relay,
        List.of("dynamodb:Query"),
        RELAY_QUERY_KEYS,
        realtimeTable,
        realtimeTable + "/index/" + Tables.GSI1);
    // The relay addresses an account event to the account's owners (AccountOwnership).
    allow(relay, List.of("dynamodb:Query"), stack.table(Tables.WAREHOUSE).getTableArn());
    allowKeys(
        relay,
        List.of(
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
        RELAY_WRITE_KEYS,
        realtimeTable);
    stage.grantManagementApiAccess(relay.function());

    deadLetters =
        Queue.Builder.create(this, "RelayDeadLetters")
            .queueName("cdp-" + env + "-relay-message-dlq")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    stack.monitoring().deadLetterQueue("RelayDeadLetters", deadLetters);
    // The relay reports posts that failed other than with 410 Gone (after retries) as an EMF
    // metric.
    stack
        .monitoring()
        .alarm(
            "RelayPostFailures",
            software.amazon.awscdk.services.cloudwatch.Metric.Builder.create()
                .namespace("CDP/Realtime")
                .metricName("PostFailures")
                .dimensionsMap(java.util.Map.of("Environment", env))
                .statistic("Sum")
                .period(software.amazon.awscdk.Duration.minutes(5))
                .build(),
            1,
            "WebSocket posts failed (not 410 Gone) after retries: users missed realtime events");
    // Replays that could not be completed (a post failed, or the pump threw and the event is
    // retried): the connections concerned keep waiting for them.
    stack
        .monitoring()
        .alarm(
            "RelayReplayFailures",
            software.amazon.awscdk.services.cloudwatch.Metric.Builder.create()
                .namespace("CDP/Realtime")
                .metricName("ReplayFailures")
                .dimensionsMap(java.util.Map.of("Environment", env))
                .statistic("Sum")
                .period(software.amazon.awscdk.Duration.minutes(5))
                .build(),
            1,
            "Realtime replays failed: reconnecting users are waiting for missed events");
    // Failed invocations (after Lambda's own two retries) land in the queue too.
    relay
        .alias()
        .configureAsyncInvoke(
            EventInvokeConfigOptions.builder()
                .retryAttempts(2)
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(deadLetters))
                .build());
    Triggers.EventTrigger trigger = Triggers.RELAY_ACCOUNT_EVENTS;
    Rule.Builder.create(this, "RelayRule")
        .ruleName("cdp-" + env + "-" + trigger.ruleName())
        .description("account_* events to the realtime relay")
        .eventBus(stack.eventBus())
        .eventPattern(eventPattern(trigger.pattern()))
        .targets(
            List.of(
                LambdaFunction.Builder.create(relay.alias())
                    .deadLetterQueue(deadLetters)
                    .retryAttempts(185)
                    .maxEventAge(Duration.hours(24))
                    .build()))
        .build();
  }

  /**
   * As {@link #allow}, only on items whose partition key (of the table, or of the index for an
   * index query) starts with one of the prefixes. The {@code Null} test makes a request without a
   * key (a Scan) fail the condition instead of passing {@code ForAllValues} vacuously.
   */
  private static void allowKeys(
      PlatformFunction.Deployed f,
      List<String> actions,
      List<String> prefixes,
      String... resources) {
    List<String> patterns = prefixes.stream().map(p -> p + "*").toList();
    f.function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(resources))
                .conditions(
                    Map.of(
                        "ForAllValues:StringLike",
                        Map.of("dynamodb:LeadingKeys", patterns),
                        "Null",
                        Map.of("dynamodb:LeadingKeys", "false")))
                .build());
  }

  private static void allow(
      PlatformFunction.Deployed f, List<String> actions, String... resources) {
    f.function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(resources))
                .build());
  }

  /**
   * The CDK form of a {@link Triggers} pattern (lists of exact values on {@code source}, {@code
   * detail-type} and {@code detail} fields: what the platform's rules use).
   */
  static EventPattern eventPattern(String json) {
    JsonNode pattern = Json.tree(json);
    EventPattern.Builder builder = EventPattern.builder();
    var fields = pattern.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      switch (field.getKey()) {
        case "source" -> builder.source(strings(field.getValue()));
        case "detail-type" -> builder.detailType(strings(field.getValue()));
        case "detail" -> builder.detail(Json.convert(field.getValue(), Map.class));
        default ->
            throw new IllegalArgumentException("unsupported pattern field " + field.getKey());
      }
    }
    return builder.build();
  }

  private static List<String> strings(JsonNode values) {
    List<String> list = new ArrayList<>();
    for (JsonNode v : values) {
      if (!v.isTextual()) {
        throw new IllegalArgumentException("only exact-match values are supported: " + v);
      }
      list.add(v.asText());
    }
    return list;
  }

  public WebSocketApi webSocketApi() {
    return webSocketApi;
  }

  public WebSocketStage stage() {
    return stage;
  }

  public HttpApi restApi() {
    return restApi;
  }

  public DomainName domain() {
    return domain;
  }

  public Queue deadLetters() {
    return deadLetters;
  }

  public PlatformFunction.Deployed relay() {
    return relay;
  }

  public Secret cursorKey() {
    return cursorKey;
  }
}
