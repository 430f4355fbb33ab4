package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.local.template.LocalTemplate;
import com.cdp.model.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A rule target's input as EventBridge builds it from the event. */
class RuleInputTest {
  private static final String EVENT =
      "{\"version\":\"0\",\"id\":\"e1\",\"detail-type\":\"account_nicknameupdated\","
          + "\"source\":\"cdp.platform\",\"time\":\"2026-12-03T10:00:00Z\",\"resources\":[\"r0\"],"
          + "\"detail\":{\"organizationId\":\"tcu\",\"accountId\":\"A1\",\"memberId\":\"M1\","
          + "\"nickname\":\"Rainy \\\"day\\\" fund\",\"amount\":12.5}}";

  private static LocalTemplate.Target target(
      Optional<String> input,
      Optional<String> inputPath,
      Optional<LocalTemplate.InputTransformer> transformer) {
    return new LocalTemplate.Target(
        "t0",
        "arn:aws:lambda:us-east-1:000000000000:function:f",
        input,
        inputPath,
        transformer,
        185,
        86400,
        Optional.empty());
  }

  @Test
  void withoutInputSettings_theTargetGetsTheWholeEvent() {
    String out =
        new RuleInput("r", target(Optional.empty(), Optional.empty(), Optional.empty()))
            .apply(EVENT);
    assertThat(Json.tree(out)).isEqualTo(Json.tree(EVENT));
  }

  @Test
  void input_isTheConstant_andInputPath_selectsPartOfTheEvent() {
    assertThat(
            new RuleInput("r", target(Optional.of("{\"a\":1}"), Optional.empty(), Optional.empty()))
                .apply(EVENT))
        .isEqualTo("{\"a\":1}");
    assertThat(
            Json.tree(
                new RuleInput(
                        "r", target(Optional.empty(), Optional.of("$.detail"), Optional.empty()))
                    .apply(EVENT)))
        .isEqualTo(Json.tree(EVENT).path("detail"));
    assertThat(
            new RuleInput(
                    "r", target(Optional.empty(), Optional.of("$.resources[0]"), Optional.empty()))
                .apply(EVENT))
        .isEqualTo("\"r0\"");
  }

  @Test
  void inputTransformer_placesJsonValuesOutsideStrings_andTextInsideThem() {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("org", "$.detail.organizationId");
    paths.put("nick", "$.detail.nickname");
    paths.put("amount", "$.detail.amount");
    paths.put("missing", "$.detail.nothing");
    String template =
        "{\"organizationId\":<org>,\"params\":{\"nickname\":<nick>,\"amount\":<amount>,"
            + "\"none\":<missing>},\"note\":\"<org> renamed to <nick> by <aws.events.rule-name>\"}";
    String out =
        new RuleInput(
                "nickname-to-core",
                target(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(new LocalTemplate.InputTransformer(paths, template))))
            .apply(EVENT);

    var json = Json.tree(out);
    assertThat(json.path("organizationId").asText()).isEqualTo("tcu");
    assertThat(json.path("params").path("nickname").asText()).isEqualTo("Rainy \"day\" fund");
    assertThat(json.path("params").path("amount").asDouble()).isEqualTo(12.5);
    assertThat(json.path("params").path("none").isNull()).isTrue();
    assertThat(json.path("note").asText())
        .isEqualTo("tcu renamed to Rainy \"day\" fund by nickname-to-core");
  }

  @Test
  void aPathThatIsNotASimpleJsonPath_isRefusedAtStart_namingTheRuleAndTarget() {
    assertThatThrownBy(
            () ->
                new RuleInput(
                    "bad-rule",
                    target(Optional.empty(), Optional.of("$..detail[*]"), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad-rule")
        .hasMessageContaining("t0")
        .hasMessageContaining("$..detail[*]");
  }
}
