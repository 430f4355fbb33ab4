package com.cdp.infra.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.infra.StackFixture;
import com.cdp.infra.TemplateJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The Firehose delivery role gets only what delivery to S3 needs: it can never delete logs. */
class LogDeliveryRoleTest {
  private final Template template = StackFixture.template("dev");

  private List<String> actions() {
    List<String> actions = new ArrayList<>();
    for (JsonNode s :
        TemplateJson.policyOfRole(template, "LoggingDeliveryRole")
            .at("/Properties/PolicyDocument/Statement")) {
      JsonNode a = s.get("Action");
      if (a.isTextual()) {
        actions.add(a.asText());
      } else {
        a.forEach(x -> actions.add(x.asText()));
      }
    }
    return actions;
  }

  @Test
  void deliveryRole_cannotDeleteOrOverwriteWithWildcards() {
    assertThat(actions())
        .noneMatch(a -> a.toLowerCase().contains("delete"))
        .noneMatch(a -> a.startsWith("s3:") && a.endsWith("*"))
        .noneMatch(a -> a.equals("s3:PutObjectAcl") || a.equals("s3:PutObjectLegalHold"));
  }

  @Test
  void deliveryRole_hasTheS3ActionsFirehoseDocuments() {
    assertThat(actions().stream().filter(a -> a.startsWith("s3:")))
        .containsExactlyInAnyOrder(
            "s3:AbortMultipartUpload",
            "s3:GetBucketLocation",
            "s3:GetObject",
            "s3:ListBucket",
            "s3:ListBucketMultipartUploads",
            "s3:PutObject");
  }

  @Test
  void deliveryRole_usesTheLogKeyOnlyThroughS3() {
    for (JsonNode s :
        TemplateJson.policyOfRole(template, "LoggingDeliveryRole")
            .at("/Properties/PolicyDocument/Statement")) {
      if (s.get("Action").toString().contains("kms:")) {
        assertThat(s.at("/Condition/StringEquals/kms:ViaService").asText())
            .isEqualTo("s3.us-east-1.amazonaws.com");
        assertThat(s.get("Action").toString()).doesNotContain("kms:Encrypt", "ReEncrypt");
      }
    }
  }
}
