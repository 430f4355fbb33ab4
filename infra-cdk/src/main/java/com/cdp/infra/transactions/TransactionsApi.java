package com.cdp.infra.transactions;

import com.cdp.infra.ApiEndpoints;
import com.cdp.infra.GeneratedSecret;
import com.cdp.infra.PlatformFunction;
import com.cdp.infra.PlatformStack;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * The transactions API: an HTTP API with the {@code GET /accounts/{accountId}/transactions} route
 * of {@link Triggers#ROUTES}, the get-transactions function behind its {@code live} alias, and the
 * Secrets Manager secret that signs paging cursors. The function may only read: {@code Query} and
 * {@code GetItem} on the warehouse, {@code GetItem} on sessions, {@code GetSecretValue} on the
 * signing secret.
 */
public final class TransactionsApi extends Construct {
  public static final String HANDLER = "com.cdp.transactions.GetTransactionsHandler::handleRequest";

  /** Steady-state and burst request rates of the API's stage (requests per second). */
  public static final int RATE_LIMIT = 100;

  public static final int BURST_LIMIT = 200;

  /** The API's one route may use the whole stage; a route added later gets half of it. */
  public static final Map<String, ThrottleSettings> ROUTE_THROTTLES =
      Map.of(
          "GET /accounts/{accountId}/transactions", ApiEndpoints.throttle(RATE_LIMIT, BURST_LIMIT));

  public static final ThrottleSettings OTHER_ROUTES =
      ApiEndpoints.throttle(RATE_LIMIT / 2, BURST_LIMIT / 2);

  private final HttpApi api;
  private final Secret signingKey;
  private final PlatformFunction.Deployed function;

  public TransactionsApi(Construct scope, String id, PlatformStack stack) {
    super(scope, id);
    String env = stack.config().name();
    this.signingKey =
        GeneratedSecret.create(
            this,
            "CursorSigningKey",
            stack,
            "cursor-signing-key",
            64,
            "HMAC-SHA256 key for transactions API paging cursors. Rotate with"
                + " put-secret-value: the previous version keeps verifying (AWSPREVIOUS).");
    this.function =
        PlatformFunction.create(
            this,
            stack,
            new PlatformFunction.Spec(
                "GetTransactions",
                "lambda-get-transactions",
                HANDLER,
                1024,
                Duration.seconds(10),
                Map.of("CURSOR_SECRET_ARN", signingKey.getSecretArn(), "CURSOR_TTL", "PT1H")));
    function
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:Query", "dynamodb:GetItem"))
                .resources(List.of(stack.table(Tables.WAREHOUSE).getTableArn()))
                .build());
    function
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:GetItem"))
                .resources(List.of(stack.table(Tables.SESSIONS).getTableArn()))
                .build());
    function
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("secretsmanager:GetSecretValue"))
                .resources(List.of(signingKey.getSecretArn()))
                .build());

    this.api =
        HttpApi.Builder.create(this, "Api")
            .apiName("cdp-" + env + "-transactions")
            .description("Transactions API (CONTRACTS section 4)")
            .createDefaultStage(false)
            .build();
    var stage = ApiEndpoints.defaultStage(api, "DefaultStage", RATE_LIMIT, BURST_LIMIT);
    ApiEndpoints.routeThrottles(stage, api, OTHER_ROUTES, ROUTE_THROTTLES);
    HttpLambdaIntegration integration =
        new HttpLambdaIntegration("GetTransactionsIntegration", function.alias());
    com.cdp.infra.HttpRoutes.add(api, Triggers.Functions.GET_TRANSACTIONS, integration);
  }

  public HttpApi api() {
    return api;
  }

  public Secret signingKey() {
    return signingKey;
  }

  public PlatformFunction.Deployed function() {
    return function;
  }
}
