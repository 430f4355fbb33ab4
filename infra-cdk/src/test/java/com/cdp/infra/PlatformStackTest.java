package com.cdp.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.table.Tables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class PlatformStackTest {
  private final Template dev = StackFixture.template("dev");

  @Test
  void everyTableOfLibModel_isOnDemandEncryptedWithPointInTimeRecovery() {
    for (var table : Tables.ALL) {
      dev.hasResourceProperties(
          "AWS::DynamoDB::Table",
          Map.of(
              "TableName", table.physicalName("dev"),
              "BillingMode", "PAY_PER_REQUEST",
              "SSESpecification", Map.of("SSEEnabled", true),
              "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
    }
  }

  @Test
  void tablesWithTtl_haveTtlEnabledOnTheTtlAttribute() {
    dev.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName", Tables.SESSIONS.physicalName("dev"),
            "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true)));
  }

  @Test
  void realtimeTable_hasTheMemberTopicIndex() {
    dev.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName", Tables.REALTIME.physicalName("dev"),
            "GlobalSecondaryIndexes", List.of(Match.objectLike(Map.of("IndexName", Tables.GSI1)))));
  }

  @Test
  void eachOrganization_hasAnEncryptedPrivateVersionedDataDeliveryBucket() {
    for (String org : List.of("tcu", "demo")) {
      dev.hasResourceProperties(
          "AWS::S3::Bucket",
          Map.of(
              "BucketName",
              "cdp-dev-" + org + "-data-delivery",
              "VersioningConfiguration",
              Map.of("Status", "Enabled"),
              "PublicAccessBlockConfiguration",
              Map.of(
                  "BlockPublicAcls",
                  true,
                  "BlockPublicPolicy",
                  true,
                  "IgnorePublicAcls",
                  true,
                  "RestrictPublicBuckets",
                  true),
              "BucketEncryption",
              Match.objectLike(Map.of())));
    }
  }

  @Test
  void productionTables_areRetainedAndDeletionProtected() {
    Template prod = StackFixture.template("prod");
    prod.hasResource(
        "AWS::DynamoDB::Table",
        Map.of(
            "DeletionPolicy",
            "Retain",
            "Properties",
            Match.objectLike(
                Map.of("TableName", "cdp-prod-warehouse", "DeletionProtectionEnabled", true))));
  }

  @Test
  void everyEnvironmentConfiguration_loadsAndNamesItself() {
    for (String env : com.cdp.model.id.EnvironmentName.AWS) {
      EnvironmentConfig config = EnvironmentConfig.load(java.nio.file.Path.of("environments"), env);
      assertThat(config.name()).isEqualTo(env);
      assertThat(config.organizations()).isNotEmpty();
    }
  }
}
