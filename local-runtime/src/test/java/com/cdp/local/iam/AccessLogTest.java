package com.cdp.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The least-privilege report and the denial list, on the real template's grants. */
class AccessLogTest {
  @Test
  void aGrantIsUnusedUntilACallOfItsRoleMatchesItsActionAndResource() {
    IamPolicies policies = RealTemplate.policies();
    String role =
        policies
            .roleOfFunction(RealTemplate.function("lambda-txn-loader").name())
            .orElseThrow()
            .name();
    String warehouse = RealTemplate.table("warehouse");
    AccessLog.UnusedGrant batchWrite =
        new AccessLog.UnusedGrant(role, "dynamodb:BatchWriteItem", warehouse, "");
    List<AccessLog.UnusedGrant> before = AccessLog.unusedGrants(policies, Set.of());
    assertThat(before).anyMatch(g -> same(g, batchWrite));
    List<AccessLog.UnusedGrant> after =
        AccessLog.unusedGrants(
            policies, Set.of(new AccessLog.Use(role, "dynamodb:BatchWriteItem", warehouse)));
    assertThat(after).noneMatch(g -> same(g, batchWrite));
    assertThat(after)
        .anyMatch(
            g ->
                g.role().equals(role)
                    && g.action().equals("dynamodb:UpdateItem")
                    && g.resource().equals(warehouse));
    assertThat(after).hasSize(before.size() - 1);
    // another role's use of the same action does not count for this one
    assertThat(
            AccessLog.unusedGrants(
                policies, Set.of(new AccessLog.Use("other", "dynamodb:BatchWriteItem", warehouse))))
        .anyMatch(g -> same(g, batchWrite));
  }

  @Test
  void denialsAndUsesAreWrittenForTheCommandsAndCountedOnce() throws Exception {
    AccessLog log = new AccessLog();
    log.allowed("r", "s3:GetObject", "arn:aws:s3:::b/k");
    log.denied("r", "f", "s3:PutObject", "arn:aws:s3:::b/k", "User: ... not authorized", true);
    log.denied("r", "f", "s3:PutObject", "arn:aws:s3:::b/k", "User: ... not authorized", true);
    Path dir = Files.createTempDirectory("iam-log");
    log.writeTo(dir);
    assertThat(AccessLog.readUsage(dir))
        .containsExactly(new AccessLog.Use("r", "s3:GetObject", "arn:aws:s3:::b/k"));
    assertThat(AccessLog.readDenials(dir))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.count()).isEqualTo(2);
              assertThat(d.function()).isEqualTo("f");
            });
    assertThat(log.deniedCount()).isEqualTo(2);
  }

  private static boolean same(AccessLog.UnusedGrant a, AccessLog.UnusedGrant b) {
    return a.role().equals(b.role())
        && a.action().equals(b.action())
        && a.resource().equals(b.resource());
  }
}
