package com.cdp.infra.links;

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
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * The URL shortener: an HTTP API serving the {@link Triggers#ROUTES} of the url-shortener function
 * ({@code GET /{code}} and the {@code /links} management routes) on two custom domains, the
 * environment's short domain (links without an organization) and its wildcard {@code *.<short
 * domain>} (one host per organization), with one ACM certificate for both (DNS-validated: the
 * validation records and the domains' DNS records pointing at the API's regional names are managed
 * where the zone lives). The function may get, put, update and query the links table (TTL on {@code
 * ttl}, from lib-model) and read the API-key pepper and list-cursor secrets. The default
 * execute-api endpoint is disabled: links only resolve on the short hosts.
 */
public final class UrlShortener extends Construct {
  public static final String HANDLER = "com.cdp.links.UrlShortenerHandler::handleRequest";

  /** Steady-state and burst request rates of the stage (requests per second). */
  public static final int RATE_LIMIT = 500;

  public static final int BURST_LIMIT = 1000;

  private final HttpApi api;
  private final Secret pepper;
  private final Secret cursorKey;
  private final PlatformFunction.Deployed function;
  private final DomainName bareDomain;
  private final DomainName organizationDomains;

  public UrlShortener(Construct scope, String id, PlatformStack stack) {
    super(scope, id);
    String env = stack.config().name();
    String shortDomain = stack.config().shortDomain();
    this.pepper =
        GeneratedSecret.create(
            this,
            "ApiKeyPepper",
            stack,
            "api-key-pepper",
            48,
            "Key of the HMAC that short-link API keys are stored under. Changing it invalidates"
                + " every issued key (re-issue them).");
    this.cursorKey =
        GeneratedSecret.create(
            this,
            "CursorKey",
            stack,
            "links-cursor-key",
            48,
            "Key of the HMAC that signs GET /links paging cursors. Changing it only invalidates"
                + " cursors in flight (they live one hour).");
    this.function =
        PlatformFunction.create(
            this,
            stack,
            new PlatformFunction.Spec(
                "UrlShortener",
                "lambda-url-shortener",
                HANDLER,
                1024,
                Duration.seconds(10),
                Map.of(
                    "SHORT_DOMAIN",
                    shortDomain,
                    "SHORT_URL_SCHEME",
                    "https",
                    "ORGANIZATIONS",
                    String.join(",", stack.config().organizations()),
                    "API_KEY_PEPPER_SECRET_ARN",
                    pepper.getSecretArn(),
                    "CURSOR_SECRET_ARN",
                    cursorKey.getSecretArn())));
    function
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(
                    List.of(
                        "dynamodb:GetItem",
                        "dynamodb:PutItem",
                        "dynamodb:UpdateItem",
                        "dynamodb:Query"))
                .resources(List.of(stack.table(Tables.LINKS).getTableArn()))
                .build());
    function
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("secretsmanager:GetSecretValue"))
                .resources(List.of(pepper.getSecretArn(), cursorKey.getSecretArn()))
                .build());

    this.api =
        HttpApi.Builder.create(this, "Api")
            .apiName("cdp-" + env + "-links")
            .description(
                "Short links (CONTRACTS section 5) on " + shortDomain + " and *." + shortDomain)
            .createDefaultStage(false)
            .disableExecuteApiEndpoint(true)
            .build();
    HttpStage stage = ApiEndpoints.defaultStage(api, "DefaultStage", RATE_LIMIT, BURST_LIMIT);
    Certificate certificate =
        ApiEndpoints.certificate(this, "Certificate", shortDomain, "*." + shortDomain);
    this.bareDomain =
        ApiEndpoints.mappedDomain(
            this, "BareDomain", "BareMapping", shortDomain, certificate, api, stage);
    this.organizationDomains =
        ApiEndpoints.mappedDomain(
            this,
            "OrganizationDomains",
            "OrganizationMapping",
            "*." + shortDomain,
            certificate,
            api,
            stage);
    HttpLambdaIntegration integration =
        new HttpLambdaIntegration("UrlShortenerIntegration", function.alias());
    com.cdp.infra.HttpRoutes.add(api, Triggers.Functions.URL_SHORTENER, integration);
  }

  public HttpApi api() {
    return api;
  }

  public Secret pepper() {
    return pepper;
  }

  public Secret cursorKey() {
    return cursorKey;
  }

  public PlatformFunction.Deployed function() {
    return function;
  }

  public DomainName bareDomain() {
    return bareDomain;
  }

  public DomainName organizationDomains() {
    return organizationDomains;
  }
}
