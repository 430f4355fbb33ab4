package com.cdp.local.iam;

import com.cdp.local.template.CloudAssembly;
import com.cdp.local.template.Intrinsics;
import com.cdp.local.template.LocalTemplate;
import com.cdp.local.template.SynthesizedLocalTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;

/** The real synthesized local template and its IAM, read once per test JVM. */
final class RealTemplate {
  private static LocalTemplate template;
  private static IamPolicies policies;

  private RealTemplate() {}

  static synchronized LocalTemplate template() {
    if (template == null) {
      template = SynthesizedLocalTemplate.read();
    }
    return template;
  }

  static synchronized IamPolicies policies() {
    if (policies == null) {
      policies = policies(json());
    }
    return policies;
  }

  static JsonNode json() {
    return CloudAssembly.templateJson(assembly());
  }

  static IamPolicies policies(JsonNode templateJson) {
    return new IamReader(
            templateJson,
            new Intrinsics(templateJson, CloudAssembly.region(assembly()), CloudAssembly.STACK))
        .read();
  }

  static Path assembly() {
    return SynthesizedLocalTemplate.assembly();
  }

  /** The deployed function built from a module, e.g. {@code lambda-txn-loader}. */
  static LocalTemplate.Function function(String module) {
    return template().functions().stream()
        .filter(f -> f.module().equals(Optional.of(module)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no function from " + module));
  }

  static String table(String shortName) {
    return "arn:aws:dynamodb:us-east-1:000000000000:table/cdp-local-" + shortName;
  }
}
