package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.iam.IamPolicies.Role;
import org.junit.jupiter.api.Test;

/** The IAM reader on the real synthesized local template. */
class IamReaderTest {
  @Test
  void everyFunctionHasItsExecutionRoleWithTheTemplatesStatements() {
    IamPolicies policies = RealTemplate.policies();
    for (var f : RealTemplate.template().functions()) {
      assertThat(policies.roleOfFunction(f.name())).as(f.name()).isPresent();
    }
    Role loader =
        policies.roleOfFunction(RealTemplate.function("lambda-txn-loader").name()).orElseThrow();
    assertThat(loader.arn()).startsWith("arn:aws:iam::000000000000:role/");
    assertThat(loader.statements())
        .anySatisfy(
            s -> {
              assertThat(s.actions()).contains("dynamodb:BatchWriteItem");
              assertThat(s.resources()).containsExactly(RealTemplate.table("warehouse"));
            });
    // the AWS managed basic execution role is attached too
    assertThat(loader.statements())
        .anySatisfy(s -> assertThat(s.actions()).contains("logs:PutLogEvents"));
  }

  @Test
  void realtimeGrantsCarryTheirLeadingKeysConditions() {
    Role relay =
        RealTemplate.policies()
            .roleOfFunction(RealTemplate.function("lambda-relay-message").name())
            .orElseThrow();
    assertThat(relay.statements())
        .anySatisfy(
            s ->
                assertThat(s.conditions().get("ForAllValues:StringLike"))
                    .containsKey("dynamodb:LeadingKeys"));
  }

  @Test
  void theGroupTaskPassesItsTaskAndExecutionRoles() {
    assertThat(RealTemplate.policies().taskRoles().values())
        .anySatisfy(
            roles ->
                assertThat(roles)
                    .hasSize(2)
                    .allMatch(r -> r.startsWith("arn:aws:iam::000000000000:role/")));
  }

  @Test
  void bucketAndTopicPoliciesAreAttachedToTheirResources() {
    IamPolicies policies = RealTemplate.policies();
    assertThat(policies.resourceStatements("arn:aws:s3:::tcu-data-delivery/transactions/a.csv"))
        .anySatisfy(s -> assertThat(s.effect()).isEqualTo(Statement.Effect.DENY));
    assertThat(policies.resourceStatements("arn:aws:s3:::tcu-data-delivery-other/x")).isEmpty();
  }
}
