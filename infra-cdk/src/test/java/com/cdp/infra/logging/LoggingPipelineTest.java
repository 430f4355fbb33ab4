package com.cdp.infra.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.infra.EnvironmentConfig;
import com.cdp.infra.FunctionCode;
import com.cdp.infra.PlatformFunction;
import com.cdp.infra.PlatformStack;
import com.cdp.infra.StackFixture;
import com.cdp.logging.LogLayout;
import com.cdp.logging.LogType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class LoggingPipelineTest {
  private final Template dev = StackFixture.template("dev");

  private static Object ref(Template template, String type, Map<String, Object> properties) {
    Map<String, Map<String, Object>> found =
        template.findResources(type, Map.of("Properties", Match.objectLike(properties)));
    assertThat(found).as(type + " " + properties).hasSize(1);
    return Map.of("Ref", found.keySet().iterator().next());
  }

  private static EnvironmentConfig withPublishers(EnvironmentConfig c, List<String> accounts) {
    return new EnvironmentConfig(
        c.name(),
        c.region(),
        c.organizations(),
        c.shortDomain(),
        c.realtimeDomain(),
        c.connectorHubUrl(),
        c.logRetentionDays(),
        c.alarmEmail(),
        c.reservedConcurrency(),
        c.segmint(),
        c.connectorSources(),
        new EnvironmentConfig.Logging(accounts, 0.25),
        c.realtimeReplayWindowHours(),
        c.expiredLinkPages());
  }

  @Test
  void topic_letsTheListedAccountsPublish_andItsArnIsAStackOutput() {
    EnvironmentConfig dev = EnvironmentConfig.load(Path.of("environments"), "dev");
    Template t =
        Template.fromStack(
            StackFixture.stack(withPublishers(dev, List.of("111122223333", "444455556666"))));
    com.fasterxml.jackson.databind.JsonNode statement = null;
    for (com.fasterxml.jackson.databind.JsonNode st :
        com.cdp.infra.TemplateJson.only(t, "AWS::SNS::TopicPolicy", "LoggingTopic")
            .get("Properties")
            .get("PolicyDocument")
            .get("Statement")) {
      if ("ListedAccountsPublish".equals(st.path("Sid").asText())) {
        statement = st;
      }
    }
    assertThat(statement).as("the publish statement for listed accounts").isNotNull();
    assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
    assertThat(statement.get("Action").asText()).isEqualTo("sns:Publish");
    assertThat(statement.get("Principal").get("AWS").toString())
        .contains(":iam::111122223333:root")
        .contains(":iam::444455556666:root");
    t.hasResourceProperties(
        "AWS::KMS::Key",
        Map.of(
            "KeyPolicy",
            Match.objectLike(
                Map.of(
                    "Statement",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Sid", "ListedAccountsPublishThroughSns",
                                    "Action", List.of("kms:GenerateDataKey", "kms:Decrypt"),
                                    "Condition",
                                        Map.of(
                                            "StringEquals",
                                            Map.of(
                                                "kms:ViaService",
                                                "sns." + dev.region() + ".amazonaws.com"))))))))));
    t.hasOutput(
        "*",
        Map.of(
            "Export", Map.of("Name", "cdp-dev-log-topic-arn"),
            "Value", Map.of("Ref", Match.stringLikeRegexp("LoggingTopic.*"))));
    // Every function gets the environment's debug sampling rate.
    t.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of("Variables", Match.objectLike(Map.of("LOG_DEBUG_SAMPLE_RATE", "0.25")))));
  }

  @Test
  void topic_withoutListedAccounts_hasNoOutsidePublishers_butStillOutputsItsArn() {
    dev.hasOutput("*", Map.of("Export", Map.of("Name", "cdp-dev-log-topic-arn")));
    assertThat(dev.toJSON().toString()).doesNotContain("ListedAccountsPublish");
    dev.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of("Variables", Match.objectLike(Map.of("LOG_DEBUG_SAMPLE_RATE", "0.1")))));
  }

  @Test
  void loggingSettings_refuseABadAccountOrRate() {
    assertThatThrownBy(() -> new EnvironmentConfig.Logging(List.of("12345"), 0.0))
        .hasMessageContaining("12-digit");
    assertThatThrownBy(() -> new EnvironmentConfig.Logging(List.of(), 2.0))
        .hasMessageContaining("debugSampleRate");
  }

  @Test
  void topic_isEncryptedWithTheKeyAndDeliversRawMessagesToFirehoseWithADeadLetterQueue() {
    dev.hasResourceProperties(
        "AWS::SNS::Topic", Map.of("TopicName", "cdp-dev-logs", "KmsMasterKeyId", Match.anyValue()));
    dev.hasResourceProperties(
        "AWS::SNS::Subscription",
        Map.of(
            "Protocol", "firehose",
            "RawMessageDelivery", true,
            "Endpoint",
                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("LoggingStream.*"), "Arn")),
            "SubscriptionRoleArn", Match.anyValue(),
            "RedrivePolicy", Match.objectLike(Map.of("deadLetterTargetArn", Match.anyValue()))));
  }

  @Test
  void deliveryStream_partitionsWithInlineJqOnTheSevenFieldsIntoTheContractPrefix() {
    dev.hasResourceProperties(
        "AWS::KinesisFirehose::DeliveryStream",
        Map.of(
            "DeliveryStreamName",
            "cdp-dev-logs",
            "DeliveryStreamType",
            "DirectPut",
            "ExtendedS3DestinationConfiguration",
            Match.objectLike(
                Map.of(
                    "Prefix",
                    "logs/environment=!{partitionKeyFromQuery:environment}"
                        + "/organizationID=!{partitionKeyFromQuery:organizationID}"
                        + "/logType=!{partitionKeyFromQuery:logType}/year=!{partitionKeyFromQuery:year}"
                        + "/month=!{partitionKeyFromQuery:month}/day=!{partitionKeyFromQuery:day}"
                        + "/hour=!{partitionKeyFromQuery:hour}/",
                    "ErrorOutputPrefix",
                    Match.stringLikeRegexp("^logs-errors/!\\{firehose:error-output-type\\}/.*"),
                    "CompressionFormat",
                    "GZIP",
                    "BufferingHints",
                    Map.of("SizeInMBs", 64, "IntervalInSeconds", 60),
                    "DynamicPartitioningConfiguration",
                    Match.objectLike(Map.of("Enabled", true)),
                    "EncryptionConfiguration",
                    Match.objectLike(Map.of("KMSEncryptionConfig", Match.anyValue())),
                    "ProcessingConfiguration",
                    Map.of(
                        "Enabled",
                        true,
                        "Processors",
                        List.of(
                            Map.of(
                                "Type",
                                "MetadataExtraction",
                                "Parameters",
                                List.of(
                                    Map.of(
                                        "ParameterName",
                                        "MetadataExtractionQuery",
                                        "ParameterValue",
                                        "{environment:.environment,organizationID:.organizationID,logType:.logType,"
                                            + "year:.year,month:.month,day:.day,hour:.hour}"),
                                    Map.of(
                                        "ParameterName",
                                        "JsonParsingEngine",
                                        "ParameterValue",
                                        "JQ-1.6"))),
                            Map.of(
                                "Type",
                                "AppendDelimiterToRecord",
                                "Parameters",
                                List.of(
                                    Map.of(
                                        "ParameterName",
                                        "Delimiter",
                                        "ParameterValue",
                                        "\\n")))))))));
  }

  @Test
  void bucket_isKmsEncryptedPrivateSslOnly_withLifecycleRules() {
    dev.hasResourceProperties(
        "AWS::S3::Bucket",
        Map.of(
            "BucketName",
            "cdp-dev-logs",
            "BucketEncryption",
            Map.of(
                "ServerSideEncryptionConfiguration",
                List.of(
                    Match.objectLike(
                        Map.of(
                            "BucketKeyEnabled",
                            true,
                            "ServerSideEncryptionByDefault",
                            Match.objectLike(Map.of("SSEAlgorithm", "aws:kms")))))),
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
            "LoggingConfiguration",
            Match.objectLike(Map.of("LogFilePrefix", "platform-logs/")),
            "LifecycleConfiguration",
            Map.of(
                "Rules",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Id",
                                "logs",
                                "Prefix",
                                "logs/",
                                "ExpirationInDays",
                                90,
                                "Status",
                                "Enabled")),
                        Match.objectLike(
                            Map.of(
                                "Id",
                                "logs-errors",
                                "Prefix",
                                "logs-errors/",
                                "ExpirationInDays",
                                90)),
                        Match.objectLike(
                            Map.of(
                                "Id",
                                "athena-results",
                                "Prefix",
                                "athena-results/",
                                "ExpirationInDays",
                                7)))))));
    dev.hasResourceProperties(
        "AWS::S3::BucketPolicy",
        Map.of(
            "Bucket",
            ref(dev, "AWS::S3::Bucket", Map.of("BucketName", "cdp-dev-logs")),
            "PolicyDocument",
            Match.objectLike(
                Map.of(
                    "Statement",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Effect",
                                    "Deny",
                                    "Condition",
                                    Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
    StackFixture.template("prod")
        .hasResourceProperties(
            "AWS::S3::Bucket",
            Map.of(
                "BucketName",
                "cdp-prod-logs",
                "LifecycleConfiguration",
                Map.of(
                    "Rules",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(Map.of("Id", "logs", "ExpirationInDays", 365)))))));
  }

  @Test
  void glue_hasOneTablePerLogTypeWithPartitionProjectionAndNoCrawler() {
    dev.hasResourceProperties(
        "AWS::Glue::Database",
        Map.of("DatabaseInput", Match.objectLike(Map.of("Name", "cdp_dev_logs"))));
    dev.resourceCountIs("AWS::Glue::Table", LogType.values().length);
    dev.resourceCountIs("AWS::Glue::Crawler", 0);
    List<Map<String, String>> partitionKeys = new ArrayList<>();
    for (String key :
        List.of("environment", "organizationid", "logtype", "year", "month", "day", "hour")) {
      partitionKeys.add(Map.of("Name", key, "Type", "string"));
    }
    for (LogType type : LogType.values()) {
      dev.hasResourceProperties(
          "AWS::Glue::Table",
          Map.of(
              "DatabaseName",
              "cdp_dev_logs",
              "TableInput",
              Match.objectLike(
                  Map.of(
                      "Name",
                      type.id(),
                      "TableType",
                      "EXTERNAL_TABLE",
                      "PartitionKeys",
                      partitionKeys,
                      "Parameters",
                      Match.objectLike(
                          Map.of(
                              "projection.enabled",
                              "true",
                              "projection.environment.values",
                              "dev",
                              "projection.organizationid.type",
                              "enum",
                              "projection.organizationid.values",
                              "tcu,demo,platform,unknown",
                              "projection.logtype.values",
                              type.id(),
                              "projection.month.digits",
                              "2",
                              "projection.hour.range",
                              "0,23",
                              "storage.location.template",
                              "s3://cdp-dev-logs/logs/environment=${environment}/organizationID=${organizationid}"
                                  + "/logType=${logtype}/year=${year}/month=${month}/day=${day}/hour=${hour}/")),
                      "StorageDescriptor",
                      Match.objectLike(
                          Map.of(
                              "Location",
                              "s3://cdp-dev-logs/logs/",
                              "SerdeInfo",
                              Match.objectLike(
                                  Map.of(
                                      "SerializationLibrary",
                                      "org.openx.data.jsonserde.JsonSerDe")),
                              "Columns",
                              Match.arrayWith(
                                  List.of(
                                      Map.of("Name", "transactionid", "Type", "string"),
                                      Match.objectLike(
                                          Map.of(
                                              "Name",
                                              "events",
                                              "Type",
                                              Match.stringLikeRegexp(
                                                  "^array<struct<action:string,.*")))))))))));
    }
  }

  @Test
  void athenaWorkgroup_enforcesItsResultsLocationAndABytesScannedLimit() {
    dev.hasResourceProperties(
        "AWS::Athena::WorkGroup",
        Map.of(
            "Name",
            "cdp-dev-logs",
            "WorkGroupConfiguration",
            Match.objectLike(
                Map.of(
                    "EnforceWorkGroupConfiguration",
                    true,
                    "BytesScannedCutoffPerQuery",
                    LoggingPipeline.BYTES_SCANNED_CUTOFF,
                    "ResultConfiguration",
                    Match.objectLike(
                        Map.of(
                            "OutputLocation",
                            "s3://cdp-dev-logs/athena-results/",
                            "EncryptionConfiguration",
                            Match.objectLike(Map.of("EncryptionOption", "SSE_KMS"))))))));
  }

  @Test
  void everyFunction_getsTheTopicArnAndMayPublishToIt() {
    PlatformStack stack = StackFixture.stack("qa");
    PlatformFunction.create(
        stack,
        stack,
        new PlatformFunction.Spec(
            "Probe",
            "lambda-probe",
            "com.cdp.Probe::handleRequest",
            512,
            Duration.seconds(10),
            Map.of()));
    Template template = Template.fromStack(stack);
    Object topic = ref(template, "AWS::SNS::Topic", Map.of("TopicName", "cdp-qa-logs"));

    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            "com.cdp.Probe::handleRequest",
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "LOG_TOPIC_ARN",
                        topic,
                        "JAVA_TOOL_OPTIONS",
                        Match.stringLikeRegexp(
                            ".*-Dslf4j.provider=com.cdp.logging.slf4j.JsonLogProvider.*"))))));
    template.hasResourceProperties(
        "AWS::IAM::Policy",
        Map.of(
            "PolicyDocument",
            Match.objectLike(
                Map.of(
                    "Statement",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Action",
                                    "sns:Publish",
                                    "Effect",
                                    "Allow",
                                    "Resource",
                                    topic)))))),
            "Roles",
            List.of(
                Match.objectLike(Map.of("Ref", Match.stringLikeRegexp("ProbeServiceRole.*"))))));
  }

  @Test
  void bufferingFollowsTheActivePartitionCount_andTooManyPartitionsFailSynthesis()
      throws Exception {
    EnvironmentConfig dev = EnvironmentConfig.load(Path.of("environments"), "dev");
    assertThat(LoggingPipeline.activePartitions(dev)).isEqualTo((2 + 2) * 6 * 2);
    assertThat(LoggingPipeline.bufferIntervalSeconds(48)).isEqualTo(60);
    assertThat(LoggingPipeline.bufferIntervalSeconds(240)).isEqualTo(300);

    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(String.format("cu%02d", i));
    }
    EnvironmentConfig crowded =
        StackFixture.changed(
            EnvironmentConfig.load(Path.of("environments"), "qa"), many, dev.segmint());
    Path code = Files.createTempDirectory("cdk-code");
    Files.writeString(code.resolve("README"), "placeholder");
    assertThatThrownBy(
            () ->
                new PlatformStack(
                    new App(),
                    "crowded",
                    StackProps.builder()
                        .env(
                            Environment.builder()
                                .account("123456789012")
                                .region("us-east-1")
                                .build())
                        .build(),
                    crowded,
                    FunctionCode.placeholder(code)))
        .hasMessageContaining("active Firehose partitions");
  }

  @Test
  void errorPrefix_isTheOneTheLocalStreamMirrors() {
    assertThat(LogLayout.firehoseErrorPrefix())
        .isEqualTo(
            "logs-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}"
                + "/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
  }

  @Test
  void loggingPipeline_passesTheAwsSolutionsChecksInEveryEnvironment() {
    for (String env : com.cdp.model.id.EnvironmentName.AWS) {
      PlatformStack stack = StackFixture.stack(env);
      com.cdp.infra.PlatformNag.apply(stack);
      List<String> errors =
          software.amazon.awscdk.assertions.Annotations.fromStack(stack)
              .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))
              .stream()
              .map(m -> m.getId() + " " + m.getEntry().getData())
              .filter(e -> e.startsWith("/cdp-" + env + "/Logging/"))
              .toList();
      assertThat(errors).as("cdk-nag errors of the logging pipeline in %s", env).isEmpty();
    }
  }

  @Test
  void deliveryProblems_alarmOnThePlatformTopic() {
    Template dev = StackFixture.template("dev");
    Map<String, Object> stream = Map.of("Name", "DeliveryStreamName", "Value", "cdp-dev-logs");
    for (List<Object> alarm :
        List.<List<Object>>of(
            List.of("DeliveryToS3.Success", "Minimum", 1, "LessThanThreshold"),
            List.of("DeliveryToS3.DataFreshness", "Maximum", 1800, "GreaterThanOrEqualToThreshold"),
            List.of("PartitionCountExceeded", "Maximum", 1, "GreaterThanOrEqualToThreshold"))) {
      dev.hasResourceProperties(
          "AWS::CloudWatch::Alarm",
          Map.of(
              "Namespace", "AWS/Firehose",
              "MetricName", alarm.get(0),
              "Statistic", alarm.get(1),
              "Threshold", alarm.get(2),
              "ComparisonOperator", alarm.get(3),
              "Dimensions", List.of(stream),
              "TreatMissingData", "notBreaching",
              "AlarmActions", Match.anyValue()));
    }
  }
}
