package com.cdp.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The environment's alarms, all notifying one encrypted SNS topic (mailed to the on-call address).
 * Every platform function gets error and throttle alarms; areas add alarms for their dead-letter
 * queues and their own failure metrics.
 */
public final class Monitoring extends Construct {
  private final Topic alarmTopic;
  private final java.util.Set<String> alarmedQueues = new java.util.HashSet<>();

  public Monitoring(Construct scope, String id, EnvironmentConfig config) {
    super(scope, id);
    Key key =
        Key.Builder.create(this, "AlarmTopicKey")
            .enableKeyRotation(true)
            .description("encrypts the platform alarm topic")
            .build();
    this.alarmTopic =
        Topic.Builder.create(this, "AlarmTopic")
            .topicName("cdp-" + config.name() + "-alarms")
            .masterKey(key)
            .enforceSsl(true)
            .build();
    // CloudWatch must be able to use the key to publish alarm notifications: only the two actions
    // SNS encryption needs, and only for this account's alarms (aws:SourceAccount), so another
    // account's alarm cannot use the key through the service principal (confused deputy).
    key.grant(
        new software.amazon.awscdk.services.iam.ServicePrincipal("cloudwatch.amazonaws.com")
            .withConditions(
                java.util.Map.of(
                    "StringEquals",
                    java.util.Map.of(
                        "aws:SourceAccount", software.amazon.awscdk.Stack.of(this).getAccount()))),
        "kms:Decrypt",
        "kms:GenerateDataKey*");
    alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail()));
  }

  public Topic alarmTopic() {
    return alarmTopic;
  }

  /** Alarms on any error and any throttle of the function within five minutes. */
  public void function(String id, IFunction function) {
    alarm(id + "Errors", function.metricErrors(fiveMinutes()), 1, "errors in " + id);
    alarm(
        id + "Throttles",
        function.metricThrottles(fiveMinutes()),
        1,
        "throttled invocations of " + id);
  }

  /**
   * How long an event may wait in Lambda's asynchronous queue for a function with reserved
   * concurrency before the backlog alarms (the platform's maximum event age is 6 hours).
   */
  public static final int MAX_QUEUED_EVENT_MINUTES = 30;

  /**
   * For an asynchronously invoked function with reserved concurrency: alarms on any error, and when
   * an event has waited in Lambda's queue for {@link #MAX_QUEUED_EVENT_MINUTES} minutes. Not on
   * throttles: they are the cap working (throttled events stay queued and are retried), and would
   * page for every burst.
   */
  public void cappedFunction(String id, IFunction function) {
    alarm(id + "Errors", function.metricErrors(fiveMinutes()), 1, "errors in " + id);
    alarm(
        id + "EventAge",
        function.metric(
            "AsyncEventAge",
            MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()),
        MAX_QUEUED_EVENT_MINUTES * 60_000, // AsyncEventAge is in milliseconds
        "events waited over "
            + MAX_QUEUED_EVENT_MINUTES
            + " minutes for "
            + id
            + ": its reserved concurrency is too low for the load, or it is failing and retrying");
  }

  /** Alarms as soon as a message waits in a dead-letter queue. */
  public void deadLetterQueue(String id, IQueue queue) {
    if (!alarmedQueues.add(queue.getNode().getPath())) {
      return;
    }
    alarm(
        id + "Depth",
        queue.metricApproximateNumberOfMessagesVisible(fiveMinutes()),
        1,
        "messages waiting in dead-letter queue " + id);
  }

  /** Alarms when the metric reaches the threshold in a five-minute period. */
  public Alarm alarm(String id, IMetric metric, double threshold, String description) {
    return alarm(
        id, metric, threshold, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, description);
  }

  /** Alarms when the metric falls below the threshold in a period (a success ratio, say). */
  public Alarm alarmBelow(String id, IMetric metric, double threshold, String description) {
    return alarm(id, metric, threshold, ComparisonOperator.LESS_THAN_THRESHOLD, description);
  }

  private Alarm alarm(
      String id,
      IMetric metric,
      double threshold,
      ComparisonOperator operator,
      String description) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .metric(metric)
            .threshold(threshold)
            .evaluationPeriods(1)
            .comparisonOperator(operator)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .alarmDescription(description)
            .build();
    alarm.addAlarmAction(new SnsAction(alarmTopic));
    return alarm;
  }

  private static MetricOptions fiveMinutes() {
    return MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
  }
}
