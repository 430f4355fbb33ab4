package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.id.EnvironmentName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * Every environment synthesizes and passes cdk-nag's AwsSolutions rules; suppressions stay true.
 */
class CdkNagTest {
  @Test
  void everyEnvironment_synthesizesAndPassesAwsSolutionsChecks() {
    for (String env : EnvironmentName.AWS) {
      PlatformStack stack = StackFixture.stack(env);
      PlatformNag.apply(stack);
      List<SynthesisMessage> errors =
          Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
      assertThat(errors.stream().map(m -> m.getId() + " " + firstLine(m)).toList())
          .as("cdk-nag errors in %s", env)
          .isEmpty();
      assertThat(((App) stack.getNode().getRoot()).synth().getStacks()).isNotEmpty();
    }
  }

  @Test
  void resourceWildcards_areOnlyOnActionsThatCannotBeScoped() {
    Template template = StackFixture.template("dev");
    Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
    List<String> allowed =
        List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "ecr:GetAuthorizationToken");
    for (var policy : policies.values()) {
      @SuppressWarnings("unchecked")
      var document =
          (Map<String, Object>)
              ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument");
      @SuppressWarnings("unchecked")
      var statements = (List<Map<String, Object>>) document.get("Statement");
      for (var statement : statements) {
        if ("*".equals(statement.get("Resource"))) {
          Object actions = statement.get("Action");
          List<?> list = actions instanceof List<?> l ? l : List.of(actions);
          assertThat(list).as("actions on Resource *").allMatch(allowed::contains);
        }
      }
    }
  }

  private static String firstLine(SynthesisMessage m) {
    return String.valueOf(m.getEntry().getData()).lines().findFirst().orElse("");
  }
}
