package com.cdp.infra.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.infra.StackFixture;
import com.cdp.infra.TemplateJson;
import com.cdp.model.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class UrlShortenerTest {
  private final Template dev = StackFixture.template("dev");

  @Test
  void expiredLinkPages_ofTheEnvironmentFile_reachTheFunction_andNoneMeansTheBare403() {
    var config = com.cdp.infra.EnvironmentConfig.load(java.nio.file.Path.of("environments"), "dev");
    var withPages =
        new com.cdp.infra.EnvironmentConfig(
            config.name(),
            config.region(),
            config.organizations(),
            config.shortDomain(),
            config.realtimeDomain(),
            config.connectorHubUrl(),
            config.logRetentionDays(),
            config.alarmEmail(),
            config.reservedConcurrency(),
            config.segmint(),
            config.connectorSources(),
            config.logging(),
            config.realtimeReplayWindowHours(),
            Map.of("tcu", "https://www.tcu.example/link-expired"));
    Template template = Template.fromStack(StackFixture.stack(withPages));
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Handler",
                UrlShortener.HANDLER,
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "EXPIRED_LINK_PAGES", "tcu=https://www.tcu.example/link-expired"))))));
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Handler",
                UrlShortener.HANDLER,
                "Environment",
                Map.of("Variables", Match.objectLike(Map.of("EXPIRED_LINK_PAGES", ""))))));
  }

  @Test
  void api_servesTheShortenerRoutes_onlyThroughTheCustomDomains() {
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::Api",
        Map.of(
            "Name", "cdp-dev-links",
            "ProtocolType", "HTTP",
            "DisableExecuteApiEndpoint", true));
    for (String routeKey :
        List.of(
            "POST /links",
            "GET /links",
            "GET /links/{code}",
            "PATCH /links/{code}",
            "DELETE /links/{code}",
            "GET /links/{code}/stats",
            "GET /links/{code}/qr",
            "GET /{code}")) {
      dev.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", routeKey));
    }
    JsonNode integration = only("AWS::ApiGatewayV2::Integration", "UrlShortenerIntegration");
    assertThat(integration.at("/Properties/IntegrationUri").toString())
        .contains(logicalIdOf("AWS::Lambda::Alias", "UrlShortenerLive"));
  }

  @Test
  void customDomains_areTheShortDomainAndItsWildcard_withOneCertificate_eachMappedToTheStage() {
    dev.hasResourceProperties(
        "AWS::CertificateManager::Certificate",
        Map.of(
            "DomainName", "dev.cdp.link",
            "SubjectAlternativeNames", List.of("*.dev.cdp.link"),
            "ValidationMethod", "DNS"));
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::DomainName", Map.of("DomainName", "dev.cdp.link"));
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::DomainName", Map.of("DomainName", "*.dev.cdp.link"));
    String api = logicalIdOf("AWS::ApiGatewayV2::Api", "UrlShortenerApi");
    for (String domain : List.of("BareDomain", "OrganizationDomains")) {
      dev.hasResourceProperties(
          "AWS::ApiGatewayV2::ApiMapping",
          Map.of(
              "ApiId", Map.of("Ref", api),
              "DomainName", Map.of("Ref", logicalIdOf("AWS::ApiGatewayV2::DomainName", domain))));
    }
  }

  @Test
  void stage_isThrottled() {
    dev.hasResourceProperties(
        "AWS::ApiGatewayV2::Stage",
        Map.of(
            "ApiId",
            Map.of("Ref", logicalIdOf("AWS::ApiGatewayV2::Api", "UrlShortenerApi")),
            "DefaultRouteSettings",
            Map.of(
                "ThrottlingRateLimit", UrlShortener.RATE_LIMIT,
                "ThrottlingBurstLimit", UrlShortener.BURST_LIMIT)));
  }

  @Test
  void linksTable_hasTtlOnTheTtlAttribute() {
    dev.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName", Tables.LINKS.physicalName("dev"),
            "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true)));
  }

  @Test
  void function_getsTheShortDomainOrganizationsTableAndPepper() {
    String pepper = logicalIdOf("AWS::SecretsManager::Secret", "ApiKeyPepper");
    String cursorKey = logicalIdOf("AWS::SecretsManager::Secret", "CursorKey");
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            UrlShortener.HANDLER,
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "SHORT_DOMAIN", "dev.cdp.link",
                        "SHORT_URL_SCHEME", "https",
                        "ORGANIZATIONS", "tcu,demo",
                        "API_KEY_PEPPER_SECRET_ARN", Map.of("Ref", pepper),
                        "CURSOR_SECRET_ARN", Map.of("Ref", cursorKey),
                        "TABLE_LINKS", "cdp-dev-links")))));
    dev.hasResourceProperties(
        "AWS::SecretsManager::Secret",
        Map.of(
            "Name",
            "cdp/dev/api-key-pepper",
            "GenerateSecretString",
            Match.objectLike(Map.of("PasswordLength", 48))));
  }

  @Test
  void functionRole_usesOnlyTheLinksTableItemActions_andReadsThePepperAndCursorKey() {
    String links = logicalIdOf("AWS::DynamoDB::Table", "Table-links");
    String pepper = logicalIdOf("AWS::SecretsManager::Secret", "ApiKeyPepper");
    String cursorKey = logicalIdOf("AWS::SecretsManager::Secret", "CursorKey");
    List<String> actions = new ArrayList<>();
    boolean table = false;
    boolean secret = false;
    for (JsonNode s : policyOfTheFunction().at("/Properties/PolicyDocument/Statement")) {
      List<String> these = new ArrayList<>();
      if (s.get("Action").isTextual()) {
        these.add(s.get("Action").asText());
      } else {
        s.get("Action").forEach(a -> these.add(a.asText()));
      }
      actions.addAll(these);
      String resource = s.get("Resource").toString();
      table |= these.contains("dynamodb:PutItem") && resource.contains(links);
      secret |=
          these.equals(List.of("secretsmanager:GetSecretValue"))
              && resource.contains(pepper)
              && resource.contains(cursorKey);
    }
    assertThat(table).isTrue();
    assertThat(secret).isTrue();
    assertThat(actions)
        .filteredOn(a -> a.startsWith("dynamodb:"))
        .containsOnly(
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query");
    assertThat(actions).noneMatch(a -> a.endsWith("*"));
  }

  @Test
  void cursorKey_isAGeneratedSecretOfTheEnvironment() {
    dev.hasResourceProperties(
        "AWS::SecretsManager::Secret",
        Map.of(
            "Name",
            "cdp/dev/links-cursor-key",
            "GenerateSecretString",
            Match.objectLike(Map.of("PasswordLength", 48))));
  }

  @Test
  void productionPepper_isRetained() {
    StackFixture.template("prod")
        .hasResource(
            "AWS::SecretsManager::Secret",
            Map.of(
                "DeletionPolicy",
                "Retain",
                "Properties",
                Match.objectLike(Map.of("Name", "cdp/prod/api-key-pepper"))));
  }

  private JsonNode policyOfTheFunction() {
    return TemplateJson.policyOfRole(dev, "UrlShortenerServiceRole");
  }

  private JsonNode resources(String type) {
    return TemplateJson.resources(dev, type);
  }

  private String logicalIdOf(String type, String idPart) {
    return TemplateJson.logicalIdOf(dev, type, idPart);
  }

  private JsonNode only(String type, String idPart) {
    return TemplateJson.only(dev, type, idPart);
  }

  @Test
  void local_shortUrlsArePlainHttpOnTheGateway_otherEnvironmentsHttpsOnTheDefaultPort() {
    Template local = StackFixture.template("local");
    local.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            UrlShortener.HANDLER,
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "SHORT_DOMAIN", "localhost",
                        "SHORT_URL_SCHEME", "http",
                        "SHORT_URL_ORIGIN", "http://127.0.0.1:4510",
                        "ORGANIZATIONS", "tcu,demo,mcu")))));
    for (Template t : List.of(dev, StackFixture.template("prod"))) {
      Map<String, Map<String, Object>> functions =
          t.findResources(
              "AWS::Lambda::Function",
              Map.of("Properties", Match.objectLike(Map.of("Handler", UrlShortener.HANDLER))));
      assertThat(functions).hasSize(1);
      @SuppressWarnings("unchecked")
      Map<String, Object> variables =
          (Map<String, Object>)
              ((Map<String, Object>)
                      ((Map<String, Object>) functions.values().iterator().next().get("Properties"))
                          .get("Environment"))
                  .get("Variables");
      assertThat(variables).containsEntry("SHORT_URL_SCHEME", "https");
      assertThat(variables).doesNotContainKey("SHORT_URL_ORIGIN");
    }
  }
}
