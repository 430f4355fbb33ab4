package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.assertions.Template;

/** Reads a synthesized template as JSON for assertions that Template's matchers cannot express. */
public final class TemplateJson {
  private TemplateJson() {}

  /** All resources of a type, keyed by logical id. */
  public static JsonNode resources(Template template, String type) {
    return Json.mapper().valueToTree(template.findResources(type));
  }

  /** The one logical id of that type containing {@code idPart} (dashes ignored). */
  public static String logicalIdOf(Template template, String type, String idPart) {
    List<String> ids = new ArrayList<>();
    resources(template, type)
        .fieldNames()
        .forEachRemaining(
            id -> {
              if (id.contains(idPart.replace("-", ""))) {
                ids.add(id);
              }
            });
    assertThat(ids).as("%s resources named like %s", type, idPart).hasSize(1);
    return ids.get(0);
  }

  /** The one resource of that type whose logical id contains {@code idPart}. */
  public static JsonNode only(Template template, String type, String idPart) {
    return resources(template, type).get(logicalIdOf(template, type, idPart));
  }

  /** The one IAM policy attached to the role whose logical id contains {@code roleIdPart}. */
  public static JsonNode policyOfRole(Template template, String roleIdPart) {
    String roleId = logicalIdOf(template, "AWS::IAM::Role", roleIdPart);
    List<JsonNode> policies = new ArrayList<>();
    resources(template, "AWS::IAM::Policy")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().at("/Properties/Roles").toString().contains(roleId)) {
                policies.add(e.getValue());
              }
            });
    assertThat(policies).hasSize(1);
    return policies.get(0);
  }
}
