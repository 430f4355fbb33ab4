package com.cdp.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {
  private static final String TEMPLATE =
      """
      {
        "Parameters": {"Stage": {"Type": "String", "Default": "blue"},
                       "NoDefault": {"Type": "String"}},
        "Conditions": {
          "IsBlue": {"Fn::Equals": [{"Ref": "Stage"}, "blue"]},
          "IsGreen": {"Fn::Equals": [{"Ref": "Stage"}, "green"]},
          "BlueOrGreen": {"Fn::Or": [{"Condition": "IsBlue"}, {"Condition": "IsGreen"}]},
          "BlueNotGreen": {"Fn::And": [{"Condition": "IsBlue"}, {"Fn::Not": [{"Condition": "IsGreen"}]}]}
        },
        "Resources": {
          "Bus": {"Type": "AWS::Events::EventBus", "Properties": {"Name": "platform"}},
          "Queue": {"Type": "AWS::SQS::Queue"},
          "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "a.B::c"}},
          "FnLive": {"Type": "AWS::Lambda::Alias",
                     "Properties": {"FunctionName": {"Ref": "Fn"}, "Name": "live"}},
          "Bucket": {"Type": "AWS::S3::Bucket"},
          "Unknown": {"Type": "AWS::WAFv2::WebACL"}
        }
      }
      """;

  private final Intrinsics intrinsics = new Intrinsics(json(TEMPLATE), "us-east-1", "cdp-local");

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private String resolve(String value) {
    return intrinsics.string(json(value), "Test", "Value");
  }

  @Test
  void refResolvesPseudoParametersParameterDefaultsAndResources() {
    assertThat(resolve("{\"Ref\":\"AWS::AccountId\"}")).isEqualTo("000000000000");
    assertThat(resolve("{\"Ref\":\"AWS::Region\"}")).isEqualTo("us-east-1");
    assertThat(resolve("{\"Ref\":\"AWS::Partition\"}")).isEqualTo("aws");
    assertThat(resolve("{\"Ref\":\"AWS::StackName\"}")).isEqualTo("cdp-local");
    assertThat(resolve("{\"Ref\":\"Stage\"}")).isEqualTo("blue");
    assertThat(resolve("{\"Ref\":\"Bus\"}")).isEqualTo("platform");
    assertThat(resolve("{\"Ref\":\"Fn\"}")).isEqualTo("cdp-local-Fn");
    assertThat(resolve("{\"Ref\":\"Bucket\"}")).isEqualTo("cdp-local-bucket");
    assertThat(resolve("{\"Ref\":\"Queue\"}"))
        .isEqualTo("https://sqs.us-east-1.amazonaws.com/000000000000/cdp-local-Queue");
    assertThat(resolve("{\"Ref\":\"FnLive\"}"))
        .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:cdp-local-Fn:live");
  }

  @Test
  void noValueRemovesThePropertyOrElement() {
    JsonNode resolved =
        intrinsics.resolve(
            json("{\"A\":{\"Ref\":\"AWS::NoValue\"},\"B\":[1,{\"Ref\":\"AWS::NoValue\"},2]}"),
            "Test",
            "Value");
    assertThat(resolved.toString()).isEqualTo("{\"B\":[1,2]}");
  }

  @Test
  void getAttInBothFormsGivesArns() {
    assertThat(resolve("{\"Fn::GetAtt\":[\"Queue\",\"Arn\"]}"))
        .isEqualTo("arn:aws:sqs:us-east-1:000000000000:cdp-local-Queue");
    assertThat(resolve("{\"Fn::GetAtt\":\"Bus.Arn\"}"))
        .isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/platform");
    assertThat(resolve("{\"Fn::GetAtt\":[\"Fn\",\"Arn\"]}"))
        .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:cdp-local-Fn");
  }

  @Test
  void joinSelectAndSplitCompose() {
    assertThat(resolve("{\"Fn::Join\":[\"-\",[\"a\",{\"Ref\":\"Stage\"},\"c\"]]}"))
        .isEqualTo("a-blue-c");
    // The qualifier CDK gives an EventInvokeConfig: the alias name out of the alias ARN.
    assertThat(resolve("{\"Fn::Select\":[7,{\"Fn::Split\":[\":\",{\"Ref\":\"FnLive\"}]}]}"))
        .isEqualTo("live");
    assertThat(intrinsics.resolve(json("{\"Fn::Split\":[\",\",\"a,,b\"]}"), "T", "V").toString())
        .isEqualTo("[\"a\",\"\",\"b\"]");
  }

  @Test
  void subReplacesRefsAttributesVariablesAndKeepsEscapes() {
    assertThat(resolve("{\"Fn::Sub\":\"arn:${AWS::Partition}:s3:::${Bucket}/*\"}"))
        .isEqualTo("arn:aws:s3:::cdp-local-bucket/*");
    assertThat(resolve("{\"Fn::Sub\":\"${Queue.Arn}\"}"))
        .isEqualTo("arn:aws:sqs:us-east-1:000000000000:cdp-local-Queue");
    assertThat(resolve("{\"Fn::Sub\":[\"${Name}-${Stage}\",{\"Name\":{\"Ref\":\"Bus\"}}]}"))
        .isEqualTo("platform-blue");
    assertThat(resolve("{\"Fn::Sub\":\"literal ${!NotAVariable}\"}"))
        .isEqualTo("literal ${NotAVariable}");
  }

  @Test
  void ifFollowsConditionsThroughEqualsAndOrNotAndCondition() {
    assertThat(resolve("{\"Fn::If\":[\"IsBlue\",\"yes\",\"no\"]}")).isEqualTo("yes");
    assertThat(resolve("{\"Fn::If\":[\"IsGreen\",\"yes\",\"no\"]}")).isEqualTo("no");
    assertThat(resolve("{\"Fn::If\":[\"BlueOrGreen\",\"yes\",\"no\"]}")).isEqualTo("yes");
    assertThat(resolve("{\"Fn::If\":[\"BlueNotGreen\",\"yes\",\"no\"]}")).isEqualTo("yes");
    JsonNode dropped =
        intrinsics.resolve(
            json("{\"X\":{\"Fn::If\":[\"IsGreen\",\"yes\",{\"Ref\":\"AWS::NoValue\"}]}}"),
            "T",
            "V");
    assertThat(dropped.has("X")).isFalse();
  }

  @Test
  void whatCannotBeResolvedNamesTheLogicalIdAndProperty() {
    assertThatThrownBy(
            () -> intrinsics.string(json("{\"Fn::ImportValue\":\"shared\"}"), "MyFn", "Handler"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("MyFn.Handler")
        .hasMessageContaining("Fn::ImportValue");
    assertThatThrownBy(
            () -> intrinsics.string(json("{\"Fn::GetAtt\":[\"Unknown\",\"Arn\"]}"), "MyFn", "Env"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("MyFn.Env")
        .hasMessageContaining("AWS::WAFv2::WebACL");
    assertThatThrownBy(() -> intrinsics.string(json("{\"Ref\":\"Nope\"}"), "MyFn", "Env"))
        .hasMessageContaining("unknown 'Nope'");
    assertThatThrownBy(() -> intrinsics.string(json("{\"Ref\":\"NoDefault\"}"), "MyFn", "Env"))
        .hasMessageContaining("no default");
    assertThatThrownBy(
            () -> intrinsics.string(json("{\"Fn::If\":[\"Missing\",\"a\",\"b\"]}"), "MyFn", "Env"))
        .hasMessageContaining("unknown condition 'Missing'");
  }
}
