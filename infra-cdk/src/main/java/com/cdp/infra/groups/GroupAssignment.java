package com.cdp.infra.groups;

import com.cdp.infra.PlatformFunction;
import com.cdp.infra.PlatformStack;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.MountPoint;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.Volume;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Group assignment (CONTRACTS 1b): an upload under {@code group-assignments/} on any organization's
 * data-delivery bucket invokes the trigger function, which starts one Fargate task per object
 * version with {@code RunTask}. Least privilege throughout: the task may read uploads and write
 * reports under {@code group-assignments/} and read and write the groups table; the trigger may run
 * only this task definition, in this cluster, and pass only its two roles.
 *
 * <p>Network: a small VPC of public subnets without NAT gateways; the task gets a public IP for
 * ECR, CloudWatch Logs and SNS, reaches S3 and DynamoDB through gateway endpoints, accepts no
 * inbound traffic and may only connect out on 443.
 */
public final class GroupAssignment extends Construct {
  public static final String HANDLER =
      "com.cdp.groups.trigger.GroupAssignmentTriggerHandler::handleRequest";

  /** The container's name (the trigger's container overrides name it). */
  public static final String CONTAINER = "task";

  /** CDK context key: the directory holding the task's Dockerfile (default: the module). */
  public static final String IMAGE_CONTEXT = "cdp:groupAssignmentImage";

  public static final String MODULE = "task-group-assignment";
  public static final int TASK_CPU = 1024;
  public static final int TASK_MEMORY_MIB = 2048;

  /**
   * The task's exit code when it processed the file, whatever the file's status: a file rejected by
   * validation exits 0 too (its report says why), so it is not an operational failure.
   */
  public static final int EXIT_PROCESSED = 0;

  private final Cluster cluster;
  private final FargateTaskDefinition taskDefinition;
  private final PlatformFunction.Deployed trigger;
  private final Queue deadLetters;
  private final CfnRule taskFailures;
  private final LogGroup taskFailureEvents;

  /** The image directory from the {@value #IMAGE_CONTEXT} context, else the task module. */
  public GroupAssignment(Construct scope, String id, PlatformStack stack) {
    this(scope, id, stack, imageDirectory(scope));
  }

  /** With an explicit directory holding the task's Dockerfile (synthesis never runs Docker). */
  public GroupAssignment(Construct scope, String id, PlatformStack stack, Path imageDirectory) {
    super(scope, id);
    String env = stack.config().name();

    Vpc vpc =
        Vpc.Builder.create(this, "Vpc")
            .maxAzs(2)
            .natGateways(0)
            .subnetConfiguration(
                List.of(
                    SubnetConfiguration.builder()
                        .name("tasks")
                        .subnetType(SubnetType.PUBLIC)
                        .cidrMask(24)
                        .build()))
            .gatewayEndpoints(
                Map.of(
                    "S3",
                        GatewayVpcEndpointOptions.builder()
                            .service(GatewayVpcEndpointAwsService.S3)
                            .build(),
                    "DynamoDb",
                        GatewayVpcEndpointOptions.builder()
                            .service(GatewayVpcEndpointAwsService.DYNAMODB)
                            .build()))
            .build();
    // Rejected connections are logged (troubleshooting the HTTPS-only egress), not all traffic.
    vpc.addFlowLog(
        "FlowLog",
        FlowLogOptions.builder()
            .destination(
                FlowLogDestination.toCloudWatchLogs(
                    LogGroup.Builder.create(this, "FlowLogs")
                        .retention(PlatformFunction.retention(stack.config().logRetentionDays()))
                        .removalPolicy(RemovalPolicy.DESTROY)
                        .build()))
            .trafficType(FlowLogTrafficType.REJECT)
            .build());
    SecurityGroup tasks =
        SecurityGroup.Builder.create(this, "TaskSecurityGroup")
            .vpc(vpc)
            .description("group-assignment tasks: no inbound, HTTPS out only")
            .allowAllOutbound(false)
            .build();
    tasks.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "AWS APIs over HTTPS");

    this.cluster =
        Cluster.Builder.create(this, "Cluster")
            .clusterName("cdp-" + env + "-groups")
            .vpc(vpc)
            .containerInsightsV2(ContainerInsights.ENABLED)
            .build();

    this.taskDefinition =
        FargateTaskDefinition.Builder.create(this, "TaskDefinition")
            .family("cdp-" + env + "-group-assignment")
            .cpu(TASK_CPU)
            .memoryLimitMiB(TASK_MEMORY_MIB)
            .runtimePlatform(
                RuntimePlatform.builder()
                    .cpuArchitecture(CpuArchitecture.X86_64)
                    .operatingSystemFamily(OperatingSystemFamily.LINUX)
                    .build())
            .build();
    taskDefinition.addVolume(Volume.builder().name("tmp").build());
    LogGroup logs = logGroup("TaskLogs", "/cdp/" + env + "/group-assignment", stack);
    Map<String, String> environment = new LinkedHashMap<>(stack.commonEnvironment());
    environment.remove("JAVA_TOOL_OPTIONS"); // the image sets its own (heap follows task memory)
    environment.put("CDP_SERVER", "group-assignment-task");
    environment.put("TABLE_GROUPS", Tables.GROUPS.physicalName(env));
    ContainerDefinition container =
        taskDefinition.addContainer(
            CONTAINER,
            ContainerDefinitionOptions.builder()
                .containerName(CONTAINER)
                .image(
                    ContainerImage.fromAsset(
                        imageDirectory.toString(),
                        AssetImageProps.builder().platform(Platform.LINUX_AMD64).build()))
                .essential(true)
                .readonlyRootFilesystem(true)
                .environment(environment)
                .logging(
                    LogDriver.awsLogs(
                        AwsLogDriverProps.builder().logGroup(logs).streamPrefix("task").build()))
                .build());
    container.addMountPoints(
        MountPoint.builder().containerPath("/tmp").sourceVolume("tmp").readOnly(false).build());

    // The task: read uploads and write reports under group-assignments/, use the groups table.
    List<String> uploads = new java.util.ArrayList<>();
    List<String> reports = new java.util.ArrayList<>();
    for (Bucket bucket : orderedBuckets(stack)) {
      uploads.add(bucket.arnForObjects(Triggers.GROUP_ASSIGNMENT_FILES.prefix() + "*"));
      reports.add(bucket.arnForObjects(Triggers.GROUP_ASSIGNMENT_FILES.excludedPrefix() + "*"));
    }
    if (!uploads.isEmpty()) {
      taskDefinition.addToTaskRolePolicy(
          PolicyStatement.Builder.create()
              .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
              .resources(uploads)
              .build());
      taskDefinition.addToTaskRolePolicy(
          PolicyStatement.Builder.create()
              .actions(List.of("s3:PutObject"))
              .resources(reports)
              .build());
    }
    String groupsTable = stack.table(Tables.GROUPS).getTableArn();
    taskDefinition.addToTaskRolePolicy(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:BatchGetItem",
                    // Planned writes, batched under the organization's apply lock.
                    "dynamodb:BatchWriteItem",
                    "dynamodb:Query",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem"))
            .resources(List.of(groupsTable))
            .build());

    // The task publishes its platform log messages (LOG_TOPIC_ARN) like every function.
    stack.logging().grantPublish(taskDefinition.getTaskRole());

    // The trigger: run this task definition in this cluster, pass its roles, keep run records.
    Map<String, String> triggerEnv = new LinkedHashMap<>();
    triggerEnv.put("GROUP_TASK_CLUSTER", cluster.getClusterArn());
    triggerEnv.put("GROUP_TASK_DEFINITION", taskDefinition.getTaskDefinitionArn());
    triggerEnv.put("GROUP_TASK_CONTAINER", CONTAINER);
    triggerEnv.put(
        "GROUP_TASK_SUBNETS",
        Fn.join(",", vpc.getPublicSubnets().stream().map(s -> s.getSubnetId()).toList()));
    triggerEnv.put("GROUP_TASK_SECURITY_GROUPS", tasks.getSecurityGroupId());
    triggerEnv.put("GROUP_TASK_ASSIGN_PUBLIC_IP", "ENABLED");
    triggerEnv.put("GROUP_TRIGGER_LEASE", "PT2M");
    this.trigger =
        PlatformFunction.create(
            this,
            stack,
            new PlatformFunction.Spec(
                "GroupAssignmentTrigger",
                "lambda-group-assignment-trigger",
                HANDLER,
                512,
                Duration.seconds(60),
                triggerEnv));
    trigger
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("ecs:RunTask"))
                .resources(List.of(taskDefinition.getTaskDefinitionArn()))
                .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", cluster.getClusterArn())))
                .build());
    trigger
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole"))
                .resources(
                    List.of(
                        taskDefinition.getTaskRole().getRoleArn(),
                        taskDefinition.obtainExecutionRole().getRoleArn()))
                .conditions(
                    Map.of(
                        "StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")))
                .build());
    trigger
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(
                    List.of(
                        "dynamodb:GetItem",
                        "dynamodb:PutItem",
                        "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem"))
                .resources(List.of(groupsTable))
                .build());
    if (!uploads.isEmpty()) {
      // HeadObject of the notified version: the upload's transaction-id metadata names the flow.
      trigger
          .function()
          .addToRolePolicy(
              PolicyStatement.Builder.create()
                  .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                  .resources(uploads)
                  .build());
    }

    // Failed invocations (after Lambda's two retries) land in an encrypted queue that alarms.
    this.deadLetters =
        Queue.Builder.create(this, "TriggerFailures")
            .queueName("cdp-" + env + "-group-assignment-trigger-failures")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    trigger
        .alias()
        .configureAsyncInvoke(
            EventInvokeConfigOptions.builder()
                .retryAttempts(2)
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(deadLetters))
                .build());
    stack.monitoring().deadLetterQueue("GroupAssignmentTriggerFailures", deadLetters);

    // Tasks that ended without processing their file: the stopped-task events go to a log group
    // operators can read, and the rule's TriggeredRules metric alarms.
    String failureLog = "/aws/events/cdp-" + env + "-group-assignment-task-failures";
    this.taskFailureEvents = logGroup("TaskFailureEvents", failureLog, stack);
    // EventBridge writes to CloudWatch Logs under the log group's resource policy (a target role
    // is not used). Written here rather than with events-targets' CloudWatchLogGroup, which puts
    // the policy with a custom-resource Lambda allowed logs:PutResourcePolicy on every resource.
    taskFailureEvents.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .principals(
                List.of(
                    new ServicePrincipal("events.amazonaws.com"),
                    new ServicePrincipal("delivery.logs.amazonaws.com")))
            .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
            .resources(List.of(taskFailureEvents.getLogGroupArn()))
            .build());
    this.taskFailures =
        CfnRule.Builder.create(this, "TaskFailures")
            .name(taskFailuresRuleName(env))
            .description("group-assignment tasks that stopped without processing their file")
            .eventPattern(taskFailurePattern())
            .state("ENABLED")
            .targets(
                List.of(
                    CfnRule.TargetProperty.builder()
                        .id("stopped-task-events")
                        .arn(
                            Stack.of(this)
                                .formatArn(
                                    ArnComponents.builder()
                                        .service("logs")
                                        .resource("log-group")
                                        .resourceName(taskFailureEvents.getLogGroupName())
                                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                                        .build()))
                        .build()))
            .build();
    stack
        .monitoring()
        .alarm(
            "GroupAssignmentTaskFailures",
            Metric.Builder.create()
                .namespace("AWS/Events")
                .metricName("TriggeredRules")
                // A rule on the default bus has the RuleName dimension only.
                .dimensionsMap(Map.of("RuleName", taskFailuresRuleName(env)))
                .statistic("Sum")
                .period(Duration.minutes(5))
                .build(),
            1,
            "a group-assignment task stopped without processing its file (exit code other than "
                + EXIT_PROCESSED
                + ", or it never started): see log group "
                + failureLog);

    // Every organization's uploads under group-assignments/, any name (a name not ending in .csv
    // gets a rejected report; reports are skipped by the code).
    LambdaDestination destination = new LambdaDestination(trigger.alias());
    for (Bucket bucket : orderedBuckets(stack)) {
      bucket.addEventNotification(
          EventType.OBJECT_CREATED,
          destination,
          NotificationKeyFilter.builder().prefix(Triggers.GROUP_ASSIGNMENT_FILES.prefix()).build());
    }
  }

  /** A log group with the environment's retention, kept when a production stack is deleted. */
  private LogGroup logGroup(String id, String name, PlatformStack stack) {
    return LogGroup.Builder.create(this, id)
        .logGroupName(name)
        .retention(PlatformFunction.retention(stack.config().logRetentionDays()))
        .removalPolicy(stack.config().isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
        .build();
  }

  static String taskFailuresRuleName(String env) {
    return "cdp-" + env + "-group-assignment-task-failures";
  }

  /**
   * ECS "Task State Change" events (default bus) of this cluster and task definition family (any
   * revision: the ARN up to and including the colon before the revision) whose task stopped without
   * processing its file. The task exits {@value #EXIT_PROCESSED} when it processed the file,
   * including one rejected by validation (a user's problem, explained in the report); 1 when
   * processing failed part-way (DynamoDB or S3 unavailable); 2 when the input could not be read or
   * the task was misconfigured; others when the JVM died (3 on OutOfMemoryError, 137 when killed,
   * 143 when stopped by SIGTERM).
   *
   * <p>Two cases, in {@code $or}: a container exit code other than {@value #EXIT_PROCESSED}, or no
   * exit code at all. The exit code, not {@code stopCode}, is what tells success from failure: a
   * processed file and a crash both stop with {@code EssentialContainerExited}. ECS sets {@code
   * containers[].exitCode} only for a container that ran, so the second case catches every task
   * that never started ({@code stopCode} {@code TaskFailedToStart}: image pull, ENI, log or secret
   * set-up failures), one stopped before its container ran (e.g. {@code UserInitiated} while
   * pending) and an {@code EssentialContainerExited} stop without an exit code, and stays right
   * when ECS adds stop codes. The task definition has one container, so "the" exit code is
   * unambiguous. Event shape: Amazon ECS Developer Guide, "Amazon ECS task state change events"
   * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).
   */
  private Map<String, Object> taskFailurePattern() {
    String familyArnPrefix =
        Stack.of(this)
            .formatArn(
                ArnComponents.builder()
                    .service("ecs")
                    .resource("task-definition")
                    .resourceName(taskDefinition.getFamily() + ":")
                    .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                    .build());
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("clusterArn", List.of(cluster.getClusterArn()));
    detail.put("taskDefinitionArn", List.of(Map.of("prefix", familyArnPrefix)));
    detail.put("lastStatus", List.of("STOPPED"));
    detail.put(
        "$or",
        List.of(
            Map.of(
                "containers",
                Map.of("exitCode", List.of(Map.of("anything-but", List.of(EXIT_PROCESSED))))),
            Map.of("containers", Map.of("exitCode", List.of(Map.of("exists", false))))));
    Map<String, Object> pattern = new LinkedHashMap<>();
    pattern.put("source", List.of("aws.ecs"));
    pattern.put("detail-type", List.of("ECS Task State Change"));
    pattern.put("detail", detail);
    return pattern;
  }

  private static List<Bucket> orderedBuckets(PlatformStack stack) {
    return stack.dataDeliveryBuckets().entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(OrganizationId::value)))
        .map(Map.Entry::getValue)
        .toList();
  }

  private static Path imageDirectory(Construct scope) {
    Object configured = scope.getNode().tryGetContext(IMAGE_CONTEXT);
    if (configured != null) {
      return Path.of(configured.toString()).toAbsolutePath();
    }
    // cdk runs in infra-cdk/ (cdk.json); the module is its sibling.
    Path here = Path.of("").toAbsolutePath();
    Path sibling = here.resolveSibling(MODULE);
    return Files.isDirectory(sibling) ? sibling : here.resolve(MODULE);
  }

  public Cluster cluster() {
    return cluster;
  }

  public FargateTaskDefinition taskDefinition() {
    return taskDefinition;
  }

  public PlatformFunction.Deployed trigger() {
    return trigger;
  }

  public Queue deadLetters() {
    return deadLetters;
  }

  /** The rule matching tasks that stopped without processing their file. */
  public CfnRule taskFailures() {
    return taskFailures;
  }

  /** Where the rule writes the stopped-task events. */
  public LogGroup taskFailureEvents() {
    return taskFailureEvents;
  }
}
