package com.cdp.infra.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.infra.EnvironmentConfig;
import com.cdp.infra.EnvironmentFiles;
import com.cdp.infra.StackFixture;
import com.cdp.infra.TemplateJson;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The short domains are served through CloudFront with a CLOUDFRONT-scope AWS WAF web ACL (WAF
 * cannot be attached to an HTTP API): a rate-based rule per client IP on the anonymous requests,
 * the origin is the API's regional custom domain with the viewer's Host, nothing cached.
 */
class ShortLinkEdgeTest {
  private final Template template = StackFixture.template("dev");

  private JsonNode webAcl() {
    return TemplateJson.only(template, "AWS::WAFv2::WebACL", "UrlShortenerWebAcl");
  }

  private JsonNode distribution() {
    return TemplateJson.only(template, "AWS::CloudFront::Distribution", "UrlShortenerEdge")
        .at("/Properties/DistributionConfig");
  }

  @Test
  void webAcl_isCloudFrontScoped_andAllowsByDefault() {
    assertThat(webAcl().at("/Properties/Scope").asText()).isEqualTo("CLOUDFRONT");
    assertThat(webAcl().at("/Properties/DefaultAction/Allow").isObject()).isTrue();
  }

  @Test
  void webAcl_blocksAClientIpAboveTheRate_with429() {
    JsonNode rules = webAcl().at("/Properties/Rules");
    assertThat(rules.size()).isEqualTo(1);
    JsonNode rule = rules.get(0);
    JsonNode rate = rule.at("/Statement/RateBasedStatement");
    assertThat(rate.path("AggregateKeyType").asText()).isEqualTo("IP");
    assertThat(rate.path("Limit").asInt()).isEqualTo(UrlShortener.REDIRECTS_PER_IP_PER_5_MINUTES);
    assertThat(rate.path("EvaluationWindowSec").asInt()).isEqualTo(300);
    assertThat(rule.at("/Action/Block/CustomResponse/ResponseCode").asInt()).isEqualTo(429);
    assertThat(rule.at("/VisibilityConfig/CloudWatchMetricsEnabled").asBoolean()).isTrue();
  }

  @Test
  void rateRule_leavesTheLinksApiOfThePlatformsServicesOut() {
    JsonNode scope =
        webAcl().at("/Properties/Rules/0/Statement/RateBasedStatement/ScopeDownStatement");
    JsonNode matches = scope.at("/NotStatement/Statement/OrStatement/Statements");
    assertThat(matches.toString())
        .contains("\"SearchString\":\"/links\"", "\"PositionalConstraint\":\"EXACTLY\"")
        .contains("\"SearchString\":\"/links/\"", "\"PositionalConstraint\":\"STARTS_WITH\"")
        .contains("UriPath");
  }

  @Test
  void distribution_servesBothShortDomains_withTheWebAcl() {
    assertThat(distribution().path("Aliases").toString())
        .isEqualTo("[\"dev.cdp.link\",\"*.dev.cdp.link\"]");
    String aclId = TemplateJson.logicalIdOf(template, "AWS::WAFv2::WebACL", "UrlShortenerWebAcl");
    assertThat(distribution().at("/WebACLId/Fn::GetAtt/0").asText()).isEqualTo(aclId);
    assertThat(distribution().at("/ViewerCertificate/MinimumProtocolVersion").asText())
        .isEqualTo("TLSv1.2_2021");
    assertThat(distribution().at("/Logging/Prefix").asText()).isEqualTo("short-links-edge/");
  }

  @Test
  void distribution_forwardsTheViewersHost_toTheRegionalDomain_andCachesNothing() {
    JsonNode behavior = distribution().path("DefaultCacheBehavior");
    // AWS managed policies: CachingDisabled and AllViewer (forwards Host, which picks the org).
    assertThat(behavior.path("CachePolicyId").asText())
        .isEqualTo("4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
    assertThat(behavior.path("OriginRequestPolicyId").asText())
        .isEqualTo("216adef6-5c7f-47e4-b989-5492eafa07d3");
    assertThat(behavior.path("AllowedMethods").toString()).contains("POST", "PATCH", "DELETE");
    JsonNode origin = distribution().at("/Origins/0");
    assertThat(origin.at("/DomainName/Fn::GetAtt/1").asText()).isEqualTo("RegionalDomainName");
    assertThat(origin.at("/DomainName/Fn::GetAtt/0").asText()).contains("UrlShortenerBareDomain");
    assertThat(origin.at("/CustomOriginConfig/OriginProtocolPolicy").asText())
        .isEqualTo("https-only");
    assertThat(origin.at("/CustomOriginConfig/OriginSSLProtocols").toString())
        .isEqualTo("[\"TLSv1.2\"]");
  }

  @Test
  void anEnvironmentOutsideUsEast1_isRefusedWithAReason() {
    EnvironmentConfig elsewhere = EnvironmentFiles.withField("dev", "region", "eu-west-1");
    assertThatThrownBy(() -> StackFixture.stack(elsewhere)).hasMessageContaining("us-east-1");
  }
}
