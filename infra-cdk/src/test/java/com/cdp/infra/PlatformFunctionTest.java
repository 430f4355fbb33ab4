package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class PlatformFunctionTest {
  @Test
  void create_buildsJava17Arm64WithSnapStartAliasAndAlarms() {
    PlatformStack stack = StackFixture.stack("qa");
    PlatformFunction.create(
        stack,
        stack,
        new PlatformFunction.Spec(
            "Probe",
            "lambda-probe",
            "com.cdp.Probe::handleRequest",
            512,
            Duration.seconds(10),
            Map.of("X", "1")));
    Template template = Template.fromStack(stack);

    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Runtime", "java17",
            "Architectures", java.util.List.of("arm64"),
            "Handler", "com.cdp.Probe::handleRequest",
            "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
            "TracingConfig", Map.of("Mode", "Active"),
            "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "X", "1", "CDP_ENV", "qa", "TABLE_WAREHOUSE", "cdp-qa-warehouse")))));
    template.hasResourceProperties("AWS::Lambda::Alias", Map.of("Name", "live"));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of("MetricName", "Errors", "Namespace", "AWS/Lambda", "Threshold", 1));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm", Map.of("MetricName", "Throttles", "Namespace", "AWS/Lambda"));
  }

  @Test
  void alarmTopic_isKmsEncryptedAndMailsOnCall() {
    Template template = StackFixture.template("dev");
    template.hasResourceProperties(
        "AWS::SNS::Topic",
        Map.of("TopicName", "cdp-dev-alarms", "KmsMasterKeyId", Match.anyValue()));
    template.hasResourceProperties(
        "AWS::SNS::Subscription",
        Map.of("Protocol", "email", "Endpoint", "platform-oncall@example.com"));
  }

  /** Reserved concurrency by platform function name (null: none), read from the template. */
  private static Map<String, Integer> reservedByFunction(Template template, String env) {
    Pattern platformFunction = Pattern.compile("lambda-(\\S+) \\(" + env + "\\)");
    Map<String, Integer> reserved = new HashMap<>();
    TemplateJson.resources(template, "AWS::Lambda::Function")
        .forEach(
            resource -> {
              JsonNode properties = resource.get("Properties");
              JsonNode value = properties.get("ReservedConcurrentExecutions");
              Matcher m = platformFunction.matcher(properties.path("Description").asText(""));
              if (m.matches()) {
                reserved.put(m.group(1), value == null ? null : value.intValue());
              } else {
                // CDK's own helpers (e.g. the bucket-notification handler) are never capped.
                assertThat(value).as("reserved concurrency of %s", properties).isNull();
              }
            });
    return reserved;
  }

  @Test
  void reservedConcurrency_isOnTheConfiguredAsynchronousFunctionsOnly() {
    Map<String, Integer> prod = reservedByFunction(StackFixture.template("prod"), "prod");
    assertThat(prod.keySet()).containsExactlyInAnyOrderElementsOf(EnvironmentConfig.FUNCTIONS);
    Map<String, Integer> capped = new HashMap<>(prod);
    capped.values().removeIf(java.util.Objects::isNull);
    assertThat(capped)
        .isEqualTo(
            Map.of(
                "txn-loader", 20,
                "txn-cleanser", 5,
                "platform-txn-added", 10,
                "relay-message", 20,
                "group-assignment-trigger", 5));
    assertThat(prod)
        .containsEntry("get-transactions", null)
        .containsEntry("ws-connect", null)
        .containsEntry("ws-subscribe", null)
        .containsEntry("url-shortener", null)
        .containsEntry("txn-chunker", null)
        .containsEntry("call-connector", null);

    for (String env : com.cdp.model.id.EnvironmentName.AWS) {
      EnvironmentConfig config = EnvironmentConfig.load(Path.of("environments"), env);
      Map<String, Integer> reserved = reservedByFunction(StackFixture.template(env), env);
      assertThat(reserved.keySet()).as(env).isEqualTo(EnvironmentConfig.FUNCTIONS);
      reserved.forEach(
          (function, value) -> {
            var configured = config.reservedConcurrency(function);
            assertThat(value)
                .as("%s in %s", function, env)
                .isEqualTo(configured.isPresent() ? configured.getAsInt() : null);
          });
    }
    assertThat(reservedByFunction(StackFixture.template("dev"), "dev"))
        .containsEntry("txn-loader", 5)
        .containsEntry("get-transactions", null);
  }

  /** The function logical ids that alarms on {@code metric} watch. */
  private static List<String> functionsAlarmedOn(Template template, String metric) {
    List<String> functions = new ArrayList<>();
    TemplateJson.resources(template, "AWS::CloudWatch::Alarm")
        .forEach(
            alarm -> {
              JsonNode p = alarm.get("Properties");
              if (p.path("Namespace").asText().equals("AWS/Lambda")
                  && p.path("MetricName").asText().equals(metric)) {
                functions.add(p.at("/Dimensions/0/Value/Ref").asText());
              }
            });
    return functions;
  }

  @Test
  void cappedFunctions_alarmOnQueuedEventAgeInsteadOfThrottles() {
    Template dev = StackFixture.template("dev");
    String loader = TemplateJson.logicalIdOf(dev, "AWS::Lambda::Function", "IngestionTxnLoader");
    String relay = TemplateJson.logicalIdOf(dev, "AWS::Lambda::Function", "RelayMessage");
    String transactions = TemplateJson.logicalIdOf(dev, "AWS::Lambda::Function", "GetTransactions");

    assertThat(functionsAlarmedOn(dev, "Throttles"))
        .contains(transactions)
        .doesNotContain(loader, relay);
    assertThat(functionsAlarmedOn(dev, "AsyncEventAge"))
        .contains(loader, relay)
        .doesNotContain(transactions)
        .hasSize(5);
    assertThat(functionsAlarmedOn(dev, "Errors")).contains(loader, relay, transactions);
    dev.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "MetricName", "AsyncEventAge",
            "Namespace", "AWS/Lambda",
            "Statistic", "Maximum",
            "Threshold", 30 * 60 * 1000,
            "ComparisonOperator", "GreaterThanOrEqualToThreshold",
            "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", loader))),
            "AlarmActions", Match.anyValue()));
  }
}
