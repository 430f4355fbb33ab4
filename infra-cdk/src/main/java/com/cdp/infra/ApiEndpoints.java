package com.cdp.infra;

import java.util.List;
import software.amazon.awscdk.services.apigatewayv2.ApiMapping;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IApi;
import software.amazon.awscdk.services.apigatewayv2.IStage;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.certificatemanager.ICertificate;
import software.constructs.Construct;

/**
 * How the platform's API Gateway APIs are exposed, the same way everywhere: an HTTP API's
 * throttled, auto-deployed {@code $default} stage, and custom domains (a DNS-validated ACM
 * certificate, a regional domain name, the mapping to a stage). Callers pass the construct ids, so
 * the resources keep their logical ids.
 */
public final class ApiEndpoints {
  private ApiEndpoints() {}

  /** Steady-state and burst request rates (per second) of a stage. */
  public static ThrottleSettings throttle(int rateLimit, int burstLimit) {
    return ThrottleSettings.builder().rateLimit(rateLimit).burstLimit(burstLimit).build();
  }

  /** Adds the API's {@code $default} stage, deployed on every change and throttled. */
  public static HttpStage defaultStage(HttpApi api, String id, int rateLimit, int burstLimit) {
    return api.addStage(
        id,
        HttpStageOptions.builder()
            .stageName("$default")
            .autoDeploy(true)
            .throttle(throttle(rateLimit, burstLimit))
            .build());
  }

  /**
   * Gives every route of the API its own throttle on the stage: {@code byRoute} (keyed by route
   * key, e.g. {@code "POST /links"}) where an area sets one, {@code otherRoutes} for the rest. The
   * stage's limit caps the sum of all routes; a route's own limit keeps one noisy route (say,
   * anonymous redirects) from using up what the others need. The settings are computed when the
   * template is synthesized, so routes added after this call get a throttle too. A key that names
   * no route of the API fails the synthesis (a typo would otherwise leave the route unthrottled).
   */
  public static void routeThrottles(
      IStage stage,
      Construct api,
      ThrottleSettings otherRoutes,
      java.util.Map<String, ThrottleSettings> byRoute) {
    software.amazon.awscdk.services.apigatewayv2.CfnStage cfnStage =
        (software.amazon.awscdk.services.apigatewayv2.CfnStage) stage.getNode().getDefaultChild();
    java.util.Map<String, ThrottleSettings> overrides = new java.util.TreeMap<>(byRoute);
    cfnStage.setRouteSettings(
        software.amazon.awscdk.Lazy.any(
            new software.amazon.awscdk.IStableAnyProducer() {
              @Override
              public Object produce() {
                java.util.Map<String, Object> settings = new java.util.TreeMap<>();
                for (software.constructs.IConstruct c : api.getNode().findAll()) {
                  if (c instanceof software.amazon.awscdk.services.apigatewayv2.CfnRoute route) {
                    ThrottleSettings limit =
                        overrides.getOrDefault(route.getRouteKey(), otherRoutes);
                    settings.put(
                        route.getRouteKey(),
                        java.util.Map.of(
                            "ThrottlingRateLimit", limit.getRateLimit(),
                            "ThrottlingBurstLimit", limit.getBurstLimit()));
                  }
                }
                for (String key : overrides.keySet()) {
                  if (!settings.containsKey(key)) {
                    throw new IllegalStateException(
                        "route throttle for '"
                            + key
                            + "', which is not a route of "
                            + api.getNode().getPath());
                  }
                }
                return settings;
              }
            }));
  }

  /**
   * A DNS-validated certificate for {@code domain} and the alternative names (the validation
   * records are managed where the zone lives).
   */
  public static Certificate certificate(
      Construct scope, String id, String domain, String... alternativeNames) {
    Certificate.Builder builder =
        Certificate.Builder.create(scope, id)
            .domainName(domain)
            .validation(CertificateValidation.fromDns());
    if (alternativeNames.length > 0) {
      builder.subjectAlternativeNames(List.of(alternativeNames));
    }
    return builder.build();
  }

  /**
   * The custom domain {@code domain} (construct {@code id}) with the certificate, mapped to the
   * API's stage (construct {@code mappingId}).
   */
  public static DomainName mappedDomain(
      Construct scope,
      String id,
      String mappingId,
      String domain,
      ICertificate certificate,
      IApi api,
      IStage stage) {
    DomainName name =
        DomainName.Builder.create(scope, id).domainName(domain).certificate(certificate).build();
    ApiMapping.Builder.create(scope, mappingId).api(api).domainName(name).stage(stage).build();
    return name;
  }
}
