package com.cdp.infra.links;

import com.cdp.infra.ApiEndpoints;
import com.cdp.infra.GeneratedSecret;
import com.cdp.infra.PlatformFunction;
import com.cdp.infra.PlatformStack;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.OriginSslPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.SecurityPolicyProtocol;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
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

  /**
   * Per-route throttles: anonymous redirects may use most of the stage; link creation (internal
   * services with an API key) a small, fixed share, so a flood of redirects cannot starve link
   * creation nor a runaway sender the redirects. Routes without an entry (the lifecycle routes) get
   * {@link #OTHER_ROUTES}.
   */
  public static final Map<String, ThrottleSettings> ROUTE_THROTTLES =
      Map.of(
          "GET /{code}", ApiEndpoints.throttle(400, 800),
          "POST /links", ApiEndpoints.throttle(20, 40));

  public static final ThrottleSettings OTHER_ROUTES = ApiEndpoints.throttle(50, 100);

  /**
   * Requests one client IP may send to the short domains (other than the {@code /links} API, whose
   * callers are the platform's own services) in any five minutes before AWS WAF answers 429: two a
   * second, far above what a person clicking links does, and low enough to stop code enumeration.
   */
  public static final int REDIRECTS_PER_IP_PER_5_MINUTES = 600;

  /** The region where CloudFront-scope web ACLs and CloudFront's certificates must live. */
  public static final String CLOUDFRONT_REGION = "us-east-1";

  private final HttpApi api;
  private final Secret pepper;
  private final Secret cursorKey;
  private final PlatformFunction.Deployed function;
  private final DomainName bareDomain;
  private final DomainName organizationDomains;
  private final CfnWebACL webAcl;
  private final Distribution distribution;

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
    Map<String, String> environment =
        new java.util.HashMap<>(
            Map.of(
                "SHORT_DOMAIN",
                shortDomain,
                "SHORT_URL_SCHEME",
                localGateway(stack).isPresent() ? "http" : "https",
                "ORGANIZATIONS",
                String.join(",", stack.config().organizations()),
                "API_KEY_PEPPER_SECRET_ARN",
                pepper.getSecretArn(),
                "CURSOR_SECRET_ARN",
                cursorKey.getSecretArn(),
                // Per-organization expired-link pages (empty: the bare 403 everywhere).
                "EXPIRED_LINK_PAGES",
                stack.config().expiredLinkPagesSetting()));
    // Locally short links are plain HTTP on the gateway (its scheme and port).
    localGateway(stack).ifPresent(origin -> environment.put("SHORT_URL_ORIGIN", origin));
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
                environment));
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
    ApiEndpoints.routeThrottles(stage, api, OTHER_ROUTES, ROUTE_THROTTLES);
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

    // ---- the public edge: CloudFront with AWS WAF (docs/OPERATIONS.md, "Short-link edge") ----
    // WAF cannot be associated with an HTTP API, so the short domains are served by a CloudFront
    // distribution carrying a CLOUDFRONT-scope web ACL; its origin is the API's regional custom
    // domain, reached with the viewer's Host header (which the function needs to tell the
    // organization) and without caching (a link can be revoked or expire at any time).
    if (!CLOUDFRONT_REGION.equals(stack.config().region())) {
      throw new IllegalStateException(
          "the short-link edge (CloudFront + WAF) needs the stack in "
              + CLOUDFRONT_REGION
              + " (web ACL scope CLOUDFRONT and the distribution's certificate live there); "
              + env
              + " is in "
              + stack.config().region());
    }
    this.webAcl = webAcl(env);
    this.distribution =
        Distribution.Builder.create(this, "Edge")
            .comment("short links of " + env + " (" + shortDomain + ", *." + shortDomain + ")")
            .domainNames(List.of(shortDomain, "*." + shortDomain))
            .certificate(certificate)
            .minimumProtocolVersion(SecurityPolicyProtocol.TLS_V1_2_2021)
            .httpVersion(HttpVersion.HTTP2_AND_3)
            .priceClass(PriceClass.PRICE_CLASS_100)
            .webAclId(webAcl.getAttrArn())
            .enableLogging(true)
            .logBucket(stack.accessLogBucket())
            .logFilePrefix("short-links-edge/")
            .defaultBehavior(
                BehaviorOptions.builder()
                    .origin(
                        HttpOrigin.Builder.create(bareDomain.getRegionalDomainName())
                            .protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY)
                            .originSslProtocols(List.of(OriginSslPolicy.TLS_V1_2))
                            .build())
                    .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                    .allowedMethods(AllowedMethods.ALLOW_ALL)
                    .cachePolicy(CachePolicy.CACHING_DISABLED)
                    .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER)
                    .build())
            .build();
    CfnOutput.Builder.create(this, "ShortDomainTarget")
        .description(
            "Point "
                + shortDomain
                + " and *."
                + shortDomain
                + " (alias/CNAME) at this CloudFront name")
        .value(distribution.getDistributionDomainName())
        .build();
  }

  /**
   * The web ACL of the short domains: allow by default, and block with 429 a client IP that sends
   * more than {@link #REDIRECTS_PER_IP_PER_5_MINUTES} requests outside the {@code /links} API in
   * five minutes.
   */
  private CfnWebACL webAcl(String env) {
    CfnWebACL.StatementProperty linksApi =
        CfnWebACL.StatementProperty.builder()
            .orStatement(
                CfnWebACL.OrStatementProperty.builder()
                    .statements(
                        List.of(uriPath("EXACTLY", "/links"), uriPath("STARTS_WITH", "/links/")))
                    .build())
            .build();
    return CfnWebACL.Builder.create(this, "WebAcl")
        .name("cdp-" + env + "-short-links")
        .description("rate limit of anonymous short-link requests per client IP")
        .scope("CLOUDFRONT")
        .defaultAction(
            CfnWebACL.DefaultActionProperty.builder()
                .allow(CfnWebACL.AllowActionProperty.builder().build())
                .build())
        .visibilityConfig(visibility("cdp-" + env + "-short-links"))
        .rules(
            List.of(
                CfnWebACL.RuleProperty.builder()
                    .name("redirects-per-ip")
                    .priority(0)
                    .action(
                        CfnWebACL.RuleActionProperty.builder()
                            .block(
                                CfnWebACL.BlockActionProperty.builder()
                                    .customResponse(
                                        CfnWebACL.CustomResponseProperty.builder()
                                            .responseCode(429)
                                            .build())
                                    .build())
                            .build())
                    .statement(
                        CfnWebACL.StatementProperty.builder()
                            .rateBasedStatement(
                                CfnWebACL.RateBasedStatementProperty.builder()
                                    .aggregateKeyType("IP")
                                    .limit(REDIRECTS_PER_IP_PER_5_MINUTES)
                                    .evaluationWindowSec(300)
                                    .scopeDownStatement(
                                        CfnWebACL.StatementProperty.builder()
                                            .notStatement(
                                                CfnWebACL.NotStatementProperty.builder()
                                                    .statement(linksApi)
                                                    .build())
                                            .build())
                                    .build())
                            .build())
                    .visibilityConfig(visibility("cdp-" + env + "-short-links-redirects-per-ip"))
                    .build()))
        .build();
  }

  private static CfnWebACL.StatementProperty uriPath(String constraint, String value) {
    return CfnWebACL.StatementProperty.builder()
        .byteMatchStatement(
            CfnWebACL.ByteMatchStatementProperty.builder()
                .fieldToMatch(CfnWebACL.FieldToMatchProperty.builder().uriPath(Map.of()).build())
                .positionalConstraint(constraint)
                .searchString(value)
                .textTransformations(
                    List.of(
                        CfnWebACL.TextTransformationProperty.builder()
                            .priority(0)
                            .type("NONE")
                            .build()))
                .build())
        .build();
  }

  private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
    return CfnWebACL.VisibilityConfigProperty.builder()
        .cloudWatchMetricsEnabled(true)
        .metricName(metric)
        .sampledRequestsEnabled(true)
        .build();
  }

  /** The CloudFront distribution serving the short domains. */
  public Distribution distribution() {
    return distribution;
  }

  /** The web ACL (scope CLOUDFRONT) of the distribution. */
  public CfnWebACL webAcl() {
    return webAcl;
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

  /**
   * The local environment's gateway origin ({@code http://127.0.0.1:4510}), where its short links
   * are served over plain HTTP: the origin of its Connector Hub URL, as the local hub is the
   * simulator on that gateway. The local platform moves that origin to the gateway's actual port.
   */
  static java.util.Optional<String> localGateway(PlatformStack stack) {
    if (!"local".equals(stack.config().name())) {
      return java.util.Optional.empty();
    }
    java.net.URI hub = java.net.URI.create(stack.config().connectorHubUrl());
    return java.util.Optional.of(hub.getScheme() + "://" + hub.getRawAuthority());
  }
}
