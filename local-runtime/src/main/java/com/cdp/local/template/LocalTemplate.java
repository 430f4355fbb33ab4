package com.cdp.local.template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * What the synthesized local template says exists, with every intrinsic resolved: the model {@code
 * ./cdp local} runs. {@code emulated} counts the resources read per CloudFormation type; {@code
 * notEmulated} counts every other type in the template (nothing is skipped silently).
 */
public record LocalTemplate(
    String region,
    List<Table> tables,
    List<Bucket> buckets,
    List<Secret> secrets,
    List<EventBus> eventBuses,
    List<LogDelivery> logDeliveries,
    List<Rule> rules,
    List<Schedule> schedules,
    List<Notification> notifications,
    List<Api> apis,
    List<Function> functions,
    List<TaskDefinition> taskDefinitions,
    SortedMap<String, Integer> emulated,
    SortedMap<String, Integer> notEmulated) {

  /** A DynamoDB table: keys, global secondary indexes and the TTL attribute. */
  public record Table(
      String logicalId,
      String name,
      String partitionKey,
      Optional<String> sortKey,
      List<Index> indexes,
      Optional<String> ttlAttribute) {}

  /** A global secondary index. */
  public record Index(String name, String partitionKey, Optional<String> sortKey) {}

  public record Bucket(String logicalId, String name) {}

  /** A secret: a fixed value, or one generated once (by the {@code GenerateSecretString} rules). */
  public record Secret(
      String logicalId,
      String name,
      String arn,
      Optional<String> secretString,
      Optional<GeneratedSecret> generate) {}

  /** {@code GenerateSecretString}'s rules the platform's secrets use. */
  public record GeneratedSecret(
      int length,
      boolean excludePunctuation,
      String excludeCharacters,
      Optional<String> template,
      Optional<String> generateKey) {}

  public record EventBus(String logicalId, String name, String arn) {}

  /**
   * The log topic and the Firehose delivery stream subscribed to it: where records land (bucket,
   * prefix with its {@code !{partitionKeyFromQuery:...}} keys, error prefix), the jq query that
   * extracts the partition keys, and the buffering hints.
   */
  public record LogDelivery(
      String topicArn,
      String streamName,
      String bucketName,
      String prefix,
      String errorOutputPrefix,
      Optional<String> metadataExtractionQuery,
      int bufferingSeconds,
      int bufferingMb,
      String compression) {}

  /** An EventBridge rule on a bus. */
  public record Rule(
      String logicalId,
      String name,
      String eventBusName,
      Optional<String> eventPattern,
      Optional<String> scheduleExpression,
      boolean enabled,
      List<Target> targets) {}

  /**
   * A rule or schedule target: the ARN it invokes, how the event becomes the input, the retry
   * policy (EventBridge defaults: 185 attempts, 24 h) and the dead-letter queue.
   */
  public record Target(
      String id,
      String arn,
      Optional<String> input,
      Optional<String> inputPath,
      Optional<InputTransformer> inputTransformer,
      int maximumRetryAttempts,
      int maximumEventAgeSeconds,
      Optional<String> deadLetterArn) {}

  public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {}

  /** An EventBridge Scheduler schedule. */
  public record Schedule(
      String logicalId,
      String name,
      String group,
      String expression,
      String timezone,
      boolean enabled,
      Target target) {}

  /** An S3 event notification to a function, from the bucket-notifications custom resource. */
  public record Notification(
      String bucketName,
      List<String> events,
      Optional<String> prefix,
      Optional<String> suffix,
      String functionArn) {}

  /**
   * An API Gateway v2 API (HTTP or WebSocket), its routes, and the custom domain names mapped to it
   * ({@code AWS::ApiGatewayV2::ApiMapping}; a wildcard domain is {@code *.example.com}).
   */
  public record Api(
      String logicalId,
      String name,
      String protocol,
      Optional<String> routeSelectionExpression,
      List<Route> routes,
      List<String> domains) {
    public Api {
      routes = List.copyOf(routes);
      domains = List.copyOf(domains);
    }
  }

  /**
   * A route and the function its integration invokes; for a WebSocket route, whether the function's
   * answer is sent back to the client ({@code RouteResponseSelectionExpression}).
   */
  public record Route(
      String routeKey,
      String functionArn,
      Optional<String> payloadFormatVersion,
      boolean returnsResponse) {
    public Route(String routeKey, String functionArn, Optional<String> payloadFormatVersion) {
      this(routeKey, functionArn, payloadFormatVersion, false);
    }
  }

  /**
   * A function as Lambda would run it: the handler, the resolved environment, memory, timeout, the
   * reserved concurrency, the artifact (the {@code -lambda.jar} the asset manifest names) and the
   * asynchronous invocation settings (Lambda's defaults when the template has no invoke config).
   */
  public record Function(
      String logicalId,
      String name,
      String arn,
      String handler,
      String runtime,
      Map<String, String> environment,
      int memoryMb,
      int timeoutSeconds,
      OptionalInt reservedConcurrency,
      Optional<String> codeKey,
      Optional<Path> code,
      AsyncConfig async) {

    /** The same function with another environment (e.g. the local gateway's actual address). */
    public Function withEnvironment(Map<String, String> replaced) {
      return new Function(
          logicalId,
          name,
          arn,
          handler,
          runtime,
          Map.copyOf(replaced),
          memoryMb,
          timeoutSeconds,
          reservedConcurrency,
          codeKey,
          code,
          async);
    }

    /** The module the function's jar comes from, e.g. {@code lambda-txn-chunker}, if known. */
    public Optional<String> module() {
      return code.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith("-lambda.jar"))
          .map(f -> f.replaceFirst("-\\d[^-]*(-SNAPSHOT)?-lambda\\.jar$", ""));
    }
  }

  /** Asynchronous invocation: retries, maximum event age, and destinations. */
  public record AsyncConfig(
      int maximumRetryAttempts,
      int maximumEventAgeSeconds,
      Optional<String> onFailure,
      Optional<String> onSuccess) {
    public static final AsyncConfig LAMBDA_DEFAULT =
        new AsyncConfig(2, 21600, Optional.empty(), Optional.empty());
  }

  /** An ECS task definition's containers (command and environment), for the local RunTask. */
  public record TaskDefinition(
      String logicalId,
      String family,
      String arn,
      int cpu,
      int memoryMb,
      List<Container> containers) {}

  public record Container(
      String name, String image, List<String> command, Map<String, String> environment) {}

  /** The function an ARN (function, alias or version ARN, or a bare name) invokes. */
  public Optional<Function> function(String arnOrName) {
    String name = functionName(arnOrName);
    return functions.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The function name in a Lambda ARN ({@code arn:aws:lambda:R:A:function:NAME[:QUALIFIER]}). */
  public static String functionName(String arnOrName) {
    if (!arnOrName.startsWith("arn:")) {
      return arnOrName;
    }
    String[] parts = arnOrName.split(":");
    return parts.length >= 7 ? parts[6] : arnOrName;
  }

  /** One line per resource type: read from the template (with counts), then not emulated. */
  public List<String> summary() {
    java.util.ArrayList<String> lines = new java.util.ArrayList<>();
    emulated.forEach((type, count) -> lines.add(String.format("  %-42s %3d", type, count)));
    if (!notEmulated.isEmpty()) {
      StringBuilder not = new StringBuilder("  not emulated: ");
      notEmulated.forEach(
          (type, count) -> not.append(type).append(" (").append(count).append(") "));
      lines.add(not.toString().stripTrailing());
    }
    return lines;
  }
}
