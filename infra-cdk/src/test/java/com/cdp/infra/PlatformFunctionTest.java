package com.cdp.infra;

import java.util.Map;
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
}
