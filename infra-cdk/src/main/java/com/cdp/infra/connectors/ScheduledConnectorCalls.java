package com.cdp.infra.connectors;

import com.cdp.infra.PlatformFunction;
import com.cdp.infra.PlatformStack;
import com.cdp.model.connector.ConnectorEventCall;
import com.cdp.model.json.Json;
import com.cdp.schedules.ConnectorSchedule;
import com.cdp.schedules.ConnectorSchedules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Permission;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.scheduler.CfnScheduleGroup;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Connector Hub calls from {@code config/schedules.json}: the call-connector function (timeout
 * {@link #FUNCTION_TIMEOUT}, longer than its hub timeout {@link #HUB_TIMEOUT}), one EventBridge
 * Scheduler schedule per configured schedule of the environment (in one schedule group, with the
 * contract payload as input) and one rule on the platform bus per event call (an input transformer
 * builds the same payload). Scheduler and EventBridge invoke Lambda asynchronously, so failures are
 * handled twice: delivery failures by the schedule's/rule's retry policy and dead-letter queue,
 * function errors (5xx, timeouts, unreachable hub) by Lambda's asynchronous retries and the
 * on-failure destination: the same dead-letter queue, which alarms.
 */
public final class ScheduledConnectorCalls extends Construct {
  public static final String HANDLER = "com.cdp.connectors.CallConnectorHandler::handleRequest";
  public static final Duration HUB_TIMEOUT = Duration.seconds(10);
  public static final Duration FUNCTION_TIMEOUT = Duration.seconds(30);

  /** Lambda's asynchronous retries of a failed invocation (its maximum). */
  public static final int FUNCTION_RETRIES = 2;

  /** Delivery retries of a schedule or rule target, and how long an undelivered event is kept. */
  public static final int DELIVERY_RETRIES = 3;

  public static final Duration MAX_EVENT_AGE = Duration.hours(1);

  /** EventBridge Scheduler's limit on a target's input and EventBridge's on an input template. */
  public static final int MAX_INPUT_CHARS = 8192;

  private final PlatformFunction.Deployed function;
  private final Queue deadLetters;
  private final List<CfnSchedule> schedules = new ArrayList<>();
  private final List<CfnRule> rules = new ArrayList<>();

  /** Reads {@code config/schedules.json} from the repository the app runs in. */
  public ScheduledConnectorCalls(Construct scope, String id, PlatformStack stack) {
    this(scope, id, stack, ConnectorSchedules.load(ConnectorSchedules.locate(Path.of(""))));
  }

  public ScheduledConnectorCalls(
      Construct scope, String id, PlatformStack stack, ConnectorSchedules configured) {
    super(scope, id);
    String env = stack.config().name();
    ConnectorSchedules config = configured.forEnvironment(env);
    for (ConnectorSchedule s : config.schedules()) {
      if (Json.write(s.targetInput()).length() > MAX_INPUT_CHARS) {
        throw new IllegalArgumentException(
            "schedule "
                + s.name()
                + ": the payload is longer than "
                + MAX_INPUT_CHARS
                + " characters");
      }
      String org = s.request().organizationId().value();
      if (!stack.config().organizations().contains(org)) {
        throw new IllegalArgumentException(
            "schedule "
                + s.name()
                + " calls for organization "
                + org
                + ", which environment "
                + env
                + " does not serve (organizations: "
                + stack.config().organizations()
                + ")");
      }
    }

    this.deadLetters =
        Queue.Builder.create(this, "DeadLetters")
            .queueName("cdp-" + env + "-call-connector-dlq")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    stack.monitoring().deadLetterQueue("CallConnectorDeadLetters", deadLetters);

    this.function =
        PlatformFunction.create(
            this,
            stack,
            new PlatformFunction.Spec(
                "CallConnector",
                "lambda-call-connector",
                HANDLER,
                512,
                FUNCTION_TIMEOUT,
                Map.of(
                    "CONNECTOR_HUB_URL",
                    stack.config().connectorHubUrl(),
                    "HUB_TIMEOUT",
                    "PT" + HUB_TIMEOUT.toSeconds().intValue() + "S")));
    stack.allowConnectorHubCalls(function);
    function
        .alias()
        .configureAsyncInvoke(
            EventInvokeConfigOptions.builder()
                .retryAttempts(FUNCTION_RETRIES)
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(deadLetters))
                .build());

    if (!config.schedules().isEmpty()) {
      Role role =
          Role.Builder.create(this, "SchedulerRole")
              .assumedBy(new ServicePrincipal("scheduler.amazonaws.com"))
              .description("EventBridge Scheduler invoking call-connector (" + env + ")")
              .build();
      function.alias().grantInvoke(role);
      deadLetters.grantSendMessages(role);
      CfnScheduleGroup group =
          CfnScheduleGroup.Builder.create(this, "Group").name("cdp-" + env + "-connectors").build();
      for (ConnectorSchedule s : config.schedules()) {
        CfnSchedule schedule =
            CfnSchedule.Builder.create(this, "Schedule-" + s.name())
                .name(s.name())
                .groupName(group.getName())
                .description(s.description().isEmpty() ? null : s.description())
                .scheduleExpression(s.expression().expression())
                .scheduleExpressionTimezone(s.timezone().getId())
                .flexibleTimeWindow(
                    CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state("ENABLED")
                .target(
                    CfnSchedule.TargetProperty.builder()
                        .arn(function.alias().getFunctionArn())
                        .roleArn(role.getRoleArn())
                        // the payload, plus the fire's identity (Scheduler's context
                        // attributes), from which the function derives the transactionId
                        .input(Json.write(s.targetInput()))
                        .retryPolicy(
                            CfnSchedule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(DELIVERY_RETRIES)
                                .maximumEventAgeInSeconds(MAX_EVENT_AGE.toSeconds())
                                .build())
                        .deadLetterConfig(
                            CfnSchedule.DeadLetterConfigProperty.builder()
                                .arn(deadLetters.getQueueArn())
                                .build())
                        .build())
                .build();
        schedule.addDependency(group);
        schedules.add(schedule);
      }
    }

    for (ConnectorEventCall call : config.eventCalls()) {
      if (call.inputTemplate().length() > MAX_INPUT_CHARS) {
        throw new IllegalArgumentException(
            "event call "
                + call.name()
                + ": the input template is longer than "
                + MAX_INPUT_CHARS
                + " characters");
      }
      CfnRule rule =
          CfnRule.Builder.create(this, "Rule-" + call.name())
              .name("cdp-" + env + "-connector-" + call.name())
              .eventBusName(stack.eventBus().getEventBusName())
              .eventPattern(Json.mapper().convertValue(Json.tree(call.pattern()), Map.class))
              .state("ENABLED")
              .targets(
                  List.of(
                      CfnRule.TargetProperty.builder()
                          .id("call-connector")
                          .arn(function.alias().getFunctionArn())
                          .inputTransformer(
                              CfnRule.InputTransformerProperty.builder()
                                  .inputPathsMap(call.inputPaths())
                                  .inputTemplate(call.inputTemplate())
                                  .build())
                          .retryPolicy(
                              CfnRule.RetryPolicyProperty.builder()
                                  .maximumRetryAttempts(DELIVERY_RETRIES)
                                  .maximumEventAgeInSeconds(MAX_EVENT_AGE.toSeconds())
                                  .build())
                          .deadLetterConfig(
                              CfnRule.DeadLetterConfigProperty.builder()
                                  .arn(deadLetters.getQueueArn())
                                  .build())
                          .build()))
              .build();
      function
          .alias()
          .addPermission(
              "InvokedBy-" + call.name(),
              Permission.builder()
                  .principal(new ServicePrincipal("events.amazonaws.com"))
                  .sourceArn(rule.getAttrArn())
                  .build());
      deadLetters.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .effect(Effect.ALLOW)
              .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
              .actions(List.of("sqs:SendMessage"))
              .resources(List.of(deadLetters.getQueueArn()))
              .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", rule.getAttrArn())))
              .build());
      rules.add(rule);
    }
  }

  public PlatformFunction.Deployed function() {
    return function;
  }

  public Queue deadLetters() {
    return deadLetters;
  }

  public List<CfnSchedule> schedules() {
    return List.copyOf(schedules);
  }

  public List<CfnRule> rules() {
    return List.copyOf(rules);
  }
}
