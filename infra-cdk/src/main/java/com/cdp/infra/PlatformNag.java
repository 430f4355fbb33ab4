package com.cdp.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;

/**
 * cdk-nag's AwsSolutions rules on every stack, and the platform's suppressions, each with the
 * reason it is acceptable. Suppressions are narrowed with {@code appliesTo} where cdk-nag reports
 * the finding per action or resource; every wildcard resource is named (its construct and the key
 * prefix), so a new wildcard, on another resource or another prefix, fails the check until it gets
 * its own suppression and reason.
 */
public final class PlatformNag {
  private PlatformNag() {}

  /** Adds the checks to the stack and the suppressions below. */
  public static void apply(Stack stack) {
    Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    NagSuppressions.addStackSuppressions(stack, suppressions(), true);
  }

  static List<NagPackSuppression> suppressions() {
    return List.of(
        suppress(
            "AwsSolutions-IAM4",
            "Functions use AWSLambdaBasicExecutionRole (write their own log streams) and the Fargate task's"
                + " execution role uses AmazonECSTaskExecutionRolePolicy (pull its image, write its logs): AWS-maintained"
                + " policies scoped to exactly those duties.",
            regex(
                "^Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/(AWSLambdaBasicExecutionRole|AmazonECSTaskExecutionRolePolicy)$")),
        suppress(
            "AwsSolutions-IAM5",
            "Action wildcards come from CDK grant helpers (e.g. s3:GetObject*, kms:GenerateDataKey*), which expand to"
                + " the read/write action families of one named resource.",
            regex("^Action::[a-z0-9-]+:[A-Za-z]*\\*$")),
        suppress(
            "AwsSolutions-IAM5",
            "Object keys under the contract's prefixes of an organization's data-delivery bucket: uploads"
                + " (transactions/, group-assignments/), their reports and the chunker's chunks; file names are the"
                + " credit union's.",
            regex(
                "^Resource::<DataDelivery[A-Za-z0-9]+\\.Arn>/(transactions|transactions/reports|chunks/transactions"
                    + "|group-assignments|group-assignments/reports)/\\*$")),
        suppress(
            "AwsSolutions-IAM5",
            "Objects of the platform logs bucket: Firehose writes under dynamic partition prefixes it computes from"
                + " each record (no delete: see LoggingPipeline).",
            regex("^Resource::<LoggingBucket[0-9A-F]{8}\\.Arn>/\\*$")),
        suppress(
            "AwsSolutions-IAM5",
            "The connections of the realtime WebSocket API's live stage: the relay posts to and closes connections"
                + " whose ids API Gateway assigns at connect time.",
            regex(
                "^Resource::arn:<AWS::Partition>:execute-api:[a-z0-9-]+:[0-9]+:<RealtimeWebSocketApi[0-9A-F]{8}>"
                    + "/live/\\*/@connections/\\*$")),
        suppress(
            "AwsSolutions-IAM5",
            "Resource::* is used only for xray:PutTraceSegments/PutTelemetryRecords and ecr:GetAuthorizationToken,"
                + " which AWS does not allow to be scoped to a resource (asserted by PlatformNagTest).",
            regex("^Resource::\\*$")),
        suppress(
            "AwsSolutions-L1",
            "The platform targets the java17 Lambda runtime by decision (Java 17 bytecode across the reactor);"
                + " moving to java21 is a separate, tested change."),
        suppress(
            "AwsSolutions-APIG4",
            "Routes authenticate inside the function: end-user session tokens (transactions, realtime) and hashed,"
                + " revocable API keys (short-link creation); short-link redirects are public by design."),
        suppress(
            "AwsSolutions-APIG1",
            "API Gateway access logs duplicate the per-request platform logs every function publishes through"
                + " lib-logging (SNS -> Firehose -> Athena), which carry the transactionId timeline."),
        suppress(
            "AwsSolutions-SQS3",
            "These queues are the dead-letter / on-failure destinations themselves; a DLQ of a DLQ would only move"
                + " the alarmed-on messages (every such queue has a depth alarm)."),
        suppress(
            "AwsSolutions-SMG4",
            "The cursor-signing key and the API-key pepper are rotated by the documented procedure in"
                + " docs/OPERATIONS.md (tokens carry a key id; previous keys stay valid for one cursor lifetime)."),
        suppress(
            "AwsSolutions-ECS2",
            "The task's environment holds only resource names (tables, environment), no secrets."));
  }

  private static NagPackSuppression suppress(
      String id, String reason, RegexAppliesTo... appliesTo) {
    NagPackSuppression.Builder builder = NagPackSuppression.builder().id(id).reason(reason);
    if (appliesTo.length > 0) {
      builder.appliesTo(List.of((Object[]) appliesTo));
    }
    return builder.build();
  }

  private static RegexAppliesTo regex(String pattern) {
    return RegexAppliesTo.builder().regex("/" + pattern + "/g").build();
  }
}
