package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The wildcard-resource suppressions of PlatformNag name the resources they cover: the findings the
 * platform has are suppressed, a wildcard on any other resource or prefix is not.
 */
class PlatformNagSuppressionsTest {
  private static List<Pattern> wildcardPatterns() {
    List<Pattern> patterns = new ArrayList<>();
    for (NagPackSuppression s : PlatformNag.suppressions()) {
      if (!s.getId().equals("AwsSolutions-IAM5") || s.getAppliesTo() == null) {
        continue;
      }
      for (Object a : s.getAppliesTo()) {
        String regex = ((RegexAppliesTo) a).getRegex();
        patterns.add(Pattern.compile(regex.substring(1, regex.lastIndexOf('/'))));
      }
    }
    return patterns;
  }

  private static boolean suppressed(String finding) {
    return wildcardPatterns().stream().anyMatch(p -> p.matcher(finding).find());
  }

  @Test
  void theWildcardsThePlatformGrants_areSuppressed() {
    assertThat(
            List.of(
                "Resource::<DataDeliverytcu783D20F7.Arn>/transactions/*",
                "Resource::<DataDeliverydemoA3D08C8A.Arn>/group-assignments/reports/*",
                "Resource::<DataDeliverytcu783D20F7.Arn>/chunks/transactions/*",
                "Resource::<LoggingBucket574180CD.Arn>/*",
                "Resource::arn:<AWS::Partition>:execute-api:us-east-1:123456789012:"
                    + "<RealtimeWebSocketApiF9B350A8>/live/*/@connections/*",
                "Action::s3:GetObject*"))
        .allMatch(PlatformNagSuppressionsTest::suppressed);
  }

  @Test
  void aWildcardOnAnyOtherResourceOrPrefix_isNotSuppressed() {
    assertThat(
            List.of(
                "Resource::arn:<AWS::Partition>:dynamodb:us-east-1:123456789012:table/cdp-dev-links/*",
                "Resource::arn:<AWS::Partition>:secretsmanager:us-east-1:123456789012:secret:cdp/dev/*",
                "Resource::arn:<AWS::Partition>:execute-api:us-east-1:123456789012:<OtherApi12345678>/*",
                "Resource::<TablewarehouseABCDEF12.Arn>/*",
                "Resource::<DataDeliverytcu783D20F7.Arn>/*",
                "Resource::<DataDeliverytcu783D20F7.Arn>/secrets/*",
                "Resource::<LoggingBucket574180CD.Arn>/athena-results/other/*/x*"))
        .noneMatch(PlatformNagSuppressionsTest::suppressed);
  }
}
