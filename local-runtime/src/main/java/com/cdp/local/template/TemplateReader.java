package com.cdp.local.template;

import com.cdp.local.template.LocalTemplate.Api;
import com.cdp.local.template.LocalTemplate.AsyncConfig;
import com.cdp.local.template.LocalTemplate.Bucket;
import com.cdp.local.template.LocalTemplate.Container;
import com.cdp.local.template.LocalTemplate.EventBus;
import com.cdp.local.template.LocalTemplate.Function;
import com.cdp.local.template.LocalTemplate.GeneratedSecret;
import com.cdp.local.template.LocalTemplate.Index;
import com.cdp.local.template.LocalTemplate.InputTransformer;
import com.cdp.local.template.LocalTemplate.LogDelivery;
import com.cdp.local.template.LocalTemplate.Notification;
import com.cdp.local.template.LocalTemplate.Route;
import com.cdp.local.template.LocalTemplate.Rule;
import com.cdp.local.template.LocalTemplate.Schedule;
import com.cdp.local.template.LocalTemplate.Secret;
import com.cdp.local.template.LocalTemplate.Table;
import com.cdp.local.template.LocalTemplate.Target;
import com.cdp.local.template.LocalTemplate.TaskDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a synthesized CloudFormation template into the {@link LocalTemplate} the local platform
 * runs. Only the properties the local platform uses are resolved, so a construct another area adds
 * never stops the start unless the platform would run it; resource types the platform does not
 * emulate are counted in {@link LocalTemplate#notEmulated()}.
 */
public final class TemplateReader {
  /** The resource types whose properties the local platform reads and runs. */
  static final Set<String> EMULATED =
      Set.of(
          "AWS::DynamoDB::Table",
          "AWS::S3::Bucket",
          "AWS::SecretsManager::Secret",
          "AWS::Events::EventBus",
          "AWS::SNS::Topic",
          "AWS::KinesisFirehose::DeliveryStream",
          "AWS::Events::Rule",
          "AWS::Scheduler::Schedule",
          "Custom::S3BucketNotifications",
          "AWS::ApiGatewayV2::Api",
          "AWS::ApiGatewayV2::Route",
          "AWS::ApiGatewayV2::Integration",
          "AWS::ApiGatewayV2::DomainName",
          "AWS::ApiGatewayV2::ApiMapping",
          "AWS::Lambda::Function",
          "AWS::Lambda::Alias",
          "AWS::Lambda::Version",
          "AWS::Lambda::EventInvokeConfig",
          "AWS::SQS::Queue",
          "AWS::ECS::TaskDefinition");

  private final JsonNode template;
  private final JsonNode resources;
  private final Intrinsics intrinsics;
  private final Map<String, Path> assetsByObjectKey;

  /**
   * @param template the template JSON
   * @param region the stack's region (pseudo parameter {@code AWS::Region})
   * @param stackName the stack's name (pseudo parameter {@code AWS::StackName})
   * @param assetsByObjectKey each Lambda code asset's S3 object key mapped to the file it is made
   *     of (from the assembly's asset manifest; see {@link CloudAssembly})
   */
  public TemplateReader(
      JsonNode template, String region, String stackName, Map<String, Path> assetsByObjectKey) {
    this.template = template;
    this.resources = template.path("Resources");
    this.intrinsics = new Intrinsics(template, region, stackName);
    this.assetsByObjectKey = Map.copyOf(assetsByObjectKey);
  }

  public LocalTemplate read() {
    Map<String, Integer> emulated = new TreeMap<>();
    Map<String, Integer> notEmulated = new TreeMap<>();
    List<Table> tables = new ArrayList<>();
    List<Bucket> buckets = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    List<EventBus> buses = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    List<Schedule> schedules = new ArrayList<>();
    List<Notification> notifications = new ArrayList<>();
    List<Api> apis = new ArrayList<>();
    List<Function> functions = new ArrayList<>();
    List<TaskDefinition> taskDefinitions = new ArrayList<>();
    Map<String, AsyncConfig> asyncByFunction = asyncConfigs();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String id = entry.getKey();
      JsonNode resource = entry.getValue();
      String type = resource.path("Type").asText();
      if (resource.has("Condition")
          && !intrinsics.condition(resource.get("Condition").asText(), id, "Condition")) {
        continue;
      }
      JsonNode props = resource.path("Properties");
      boolean counted = EMULATED.contains(type);
      switch (type) {
        case "AWS::DynamoDB::Table" -> tables.add(table(id, props));
        case "AWS::S3::Bucket" -> buckets.add(new Bucket(id, intrinsics.physicalName(id)));
        case "AWS::SecretsManager::Secret" -> secrets.add(secret(id, props));
        case "AWS::Events::EventBus" ->
            buses.add(
                new EventBus(
                    id, intrinsics.physicalName(id), intrinsics.getAtt(id, "Arn", id, "Arn")));
        case "AWS::Events::Rule" -> rules.add(rule(id, props));
        case "AWS::Scheduler::Schedule" -> schedules.add(schedule(id, props));
        case "Custom::S3BucketNotifications" -> notifications.addAll(notifications(id, props));
        case "AWS::ApiGatewayV2::Api" -> apis.add(api(id, props));
        case "AWS::Lambda::Function" -> {
          if (props.has("Code") && props.get("Code").has("ZipFile")) {
            // Inline code (CDK's custom-resource handlers, in Python): the local platform does
            // their work itself (e.g. S3 notifications) and never runs them.
            counted = false;
            type = "AWS::Lambda::Function (inline " + props.path("Runtime").asText() + " code)";
          } else {
            functions.add(function(id, props, asyncByFunction));
          }
        }
        case "AWS::ECS::TaskDefinition" -> taskDefinitions.add(taskDefinition(id, props));
        case "AWS::SNS::Subscription" -> {
          // The log topic's Firehose subscription is read by logDeliveries(); others (alarm
          // e-mails) are not emulated.
          if ("firehose".equals(props.path("Protocol").asText())) {
            counted = true;
          } else {
            type = "AWS::SNS::Subscription (" + props.path("Protocol").asText() + ")";
          }
        }
        default -> {
          // read through the resources above (routes, integrations, aliases, invoke configs,
          // queues as destinations, the log topic) or not emulated
        }
      }
      (counted ? emulated : notEmulated).merge(type, 1, Integer::sum);
    }
    return new LocalTemplate(
        intrinsics.region(),
        List.copyOf(tables),
        List.copyOf(buckets),
        List.copyOf(secrets),
        List.copyOf(buses),
        logDeliveries(),
        List.copyOf(rules),
        List.copyOf(schedules),
        List.copyOf(notifications),
        List.copyOf(apis),
        List.copyOf(functions),
        List.copyOf(taskDefinitions),
        new TreeMap<>(emulated),
        new TreeMap<>(notEmulated));
  }

  private JsonNode prop(JsonNode props, String id, String name) {
    return intrinsics.resolve(props.get(name), id, name);
  }

  private String required(JsonNode props, String id, String name) {
    if (!props.has(name)) {
      throw new TemplateException(id, name, "missing");
    }
    return intrinsics.string(props.get(name), id, name);
  }

  private Optional<String> optional(JsonNode props, String id, String name) {
    JsonNode value = prop(props, id, name);
    return value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  private int integer(JsonNode props, String id, String name, int otherwise) {
    Optional<String> value = optional(props, id, name);
    try {
      return value.map(Integer::parseInt).orElse(otherwise);
    } catch (NumberFormatException e) {
      throw new TemplateException(id, name, "not a whole number: " + value.get());
    }
  }

  private Table table(String id, JsonNode props) {
    JsonNode keys = prop(props, id, "KeySchema");
    List<Index> indexes = new ArrayList<>();
    for (JsonNode gsi : prop(props, id, "GlobalSecondaryIndexes")) {
      JsonNode gsiKeys = gsi.path("KeySchema");
      indexes.add(
          new Index(
              gsi.path("IndexName").asText(),
              key(gsiKeys, "HASH", id).orElseThrow(),
              key(gsiKeys, "RANGE", id)));
    }
    JsonNode ttl = prop(props, id, "TimeToLiveSpecification");
    Optional<String> ttlAttribute =
        ttl.path("Enabled").asBoolean(false)
            ? Optional.of(ttl.path("AttributeName").asText())
            : Optional.empty();
    return new Table(
        id,
        intrinsics.physicalName(id),
        key(keys, "HASH", id)
            .orElseThrow(() -> new TemplateException(id, "KeySchema", "no HASH key")),
        key(keys, "RANGE", id),
        List.copyOf(indexes),
        ttlAttribute);
  }

  private static Optional<String> key(JsonNode schema, String keyType, String id) {
    for (JsonNode k : schema) {
      if (keyType.equals(k.path("KeyType").asText())) {
        return Optional.of(k.path("AttributeName").asText());
      }
    }
    return Optional.empty();
  }

  private Secret secret(String id, JsonNode props) {
    JsonNode generate = prop(props, id, "GenerateSecretString");
    Optional<GeneratedSecret> rules = Optional.empty();
    if (!generate.isMissingNode()) {
      rules =
          Optional.of(
              new GeneratedSecret(
                  generate.path("PasswordLength").asInt(32),
                  generate.path("ExcludePunctuation").asBoolean(false),
                  generate.path("ExcludeCharacters").asText(""),
                  Optional.ofNullable(generate.get("SecretStringTemplate")).map(JsonNode::asText),
                  Optional.ofNullable(generate.get("GenerateStringKey")).map(JsonNode::asText)));
    }
    return new Secret(
        id,
        intrinsics.physicalName(id),
        intrinsics.getAtt(id, "Arn", id, "Arn"),
        optional(props, id, "SecretString"),
        rules);
  }

  private Rule rule(String id, JsonNode props) {
    JsonNode pattern = prop(props, id, "EventPattern");
    List<Target> targets = new ArrayList<>();
    JsonNode rawTargets = props.path("Targets");
    for (int i = 0; i < rawTargets.size(); i++) {
      targets.add(target(id, "Targets[" + i + "]", rawTargets.get(i), 185, 86400));
    }
    return new Rule(
        id,
        intrinsics.physicalName(id),
        optional(props, id, "EventBusName").orElse("default"),
        pattern.isMissingNode() ? Optional.empty() : Optional.of(pattern.toString()),
        optional(props, id, "ScheduleExpression"),
        !"DISABLED".equals(optional(props, id, "State").orElse("ENABLED")),
        List.copyOf(targets));
  }

  private Target target(
      String id, String property, JsonNode raw, int defaultAttempts, int defaultAgeSeconds) {
    JsonNode t = intrinsics.resolve(raw, id, property);
    Optional<InputTransformer> transformer = Optional.empty();
    if (t.has("InputTransformer")) {
      Map<String, String> paths = new LinkedHashMap<>();
      t.path("InputTransformer")
          .path("InputPathsMap")
          .fields()
          .forEachRemaining(e -> paths.put(e.getKey(), e.getValue().asText()));
      transformer =
          Optional.of(
              new InputTransformer(
                  paths, t.path("InputTransformer").path("InputTemplate").asText()));
    }
    JsonNode retry = t.path("RetryPolicy");
    return new Target(
        t.path("Id").asText(""),
        Optional.ofNullable(t.get("Arn"))
            .map(JsonNode::asText)
            .orElseThrow(() -> new TemplateException(id, property + ".Arn", "missing")),
        Optional.ofNullable(t.get("Input")).map(JsonNode::asText),
        Optional.ofNullable(t.get("InputPath")).map(JsonNode::asText),
        transformer,
        retry.path("MaximumRetryAttempts").asInt(defaultAttempts),
        retry.path("MaximumEventAgeInSeconds").asInt(defaultAgeSeconds),
        Optional.ofNullable(t.path("DeadLetterConfig").get("Arn")).map(JsonNode::asText));
  }

  private Schedule schedule(String id, JsonNode props) {
    return new Schedule(
        id,
        intrinsics.physicalName(id),
        optional(props, id, "GroupName").orElse("default"),
        required(props, id, "ScheduleExpression"),
        optional(props, id, "ScheduleExpressionTimezone").orElse("UTC"),
        !"DISABLED".equals(optional(props, id, "State").orElse("ENABLED")),
        // Scheduler's defaults: 185 attempts within 24 hours.
        target(id, "Target", props.get("Target"), 185, 86400));
  }

  private List<Notification> notifications(String id, JsonNode props) {
    String bucket = required(props, id, "BucketName");
    JsonNode configuration = prop(props, id, "NotificationConfiguration");
    List<Notification> out = new ArrayList<>();
    for (JsonNode c : configuration.path("LambdaFunctionConfigurations")) {
      String prefix = null;
      String suffix = null;
      for (JsonNode rule : c.path("Filter").path("Key").path("FilterRules")) {
        String name = rule.path("Name").asText().toLowerCase(java.util.Locale.ROOT);
        if (name.equals("prefix")) {
          prefix = rule.path("Value").asText();
        } else if (name.equals("suffix")) {
          suffix = rule.path("Value").asText();
        }
      }
      List<String> events = new ArrayList<>();
      c.path("Events").forEach(e -> events.add(e.asText()));
      out.add(
          new Notification(
              bucket,
              List.copyOf(events),
              Optional.ofNullable(prefix),
              Optional.ofNullable(suffix),
              c.path("LambdaFunctionArn").asText()));
    }
    for (String other : List.of("QueueConfigurations", "TopicConfigurations")) {
      if (configuration.path(other).size() > 0) {
        throw new TemplateException(
            id, "NotificationConfiguration." + other, "only function notifications are emulated");
      }
    }
    return out;
  }

  private Api api(String id, JsonNode props) {
    Map<String, JsonNode> integrations = new HashMap<>();
    List<Map.Entry<String, JsonNode>> routes = new ArrayList<>();
    List<String> domains = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode apiRef = e.getValue().path("Properties").path("ApiId");
      if (!id.equals(apiRef.path("Ref").asText())) {
        continue;
      }
      switch (e.getValue().path("Type").asText()) {
        case "AWS::ApiGatewayV2::Integration" -> integrations.put(e.getKey(), e.getValue());
        case "AWS::ApiGatewayV2::Route" -> routes.add(e);
        case "AWS::ApiGatewayV2::ApiMapping" ->
            domains.add(required(e.getValue().path("Properties"), e.getKey(), "DomainName"));
        default -> {}
      }
    }
    String apiName = intrinsics.physicalName(id);
    List<Route> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> route : routes) {
      String routeId = route.getKey();
      JsonNode routeProps = route.getValue().path("Properties");
      String routeKey = required(routeProps, routeId, "RouteKey");
      String target = required(routeProps, routeId, "Target");
      if (!target.startsWith("integrations/")) {
        throw new TemplateException(routeId, "Target", "not an integration: " + target);
      }
      String integrationId = integrationLogicalId(target.substring("integrations/".length()));
      JsonNode integration = integrations.get(integrationId);
      if (integration == null) {
        throw new TemplateException(routeId, "Target", "unknown integration " + target);
      }
      JsonNode ip = integration.path("Properties");
      String type = required(ip, integrationId, "IntegrationType");
      if (!type.equals("AWS_PROXY")) {
        throw new TemplateException(
            integrationId, "IntegrationType", type + " integrations are not emulated");
      }
      out.add(
          new Route(
              routeKey,
              functionArnOfIntegrationUri(required(ip, integrationId, "IntegrationUri")),
              optional(ip, integrationId, "PayloadFormatVersion"),
              optional(routeProps, routeId, "RouteResponseSelectionExpression").isPresent()));
    }
    return new Api(
        id,
        apiName,
        required(props, id, "ProtocolType"),
        optional(props, id, "RouteSelectionExpression"),
        List.copyOf(out),
        domains.stream().sorted().toList());
  }

  // Ref of an integration resolves to its physical name: find the integration it names.
  private String integrationLogicalId(String physical) {
    for (Iterator<String> it = resources.fieldNames(); it.hasNext(); ) {
      String id = it.next();
      if (resources.get(id).path("Type").asText().equals("AWS::ApiGatewayV2::Integration")
          && intrinsics.physicalName(id).equals(physical)) {
        return id;
      }
    }
    return physical;
  }

  /** A WebSocket integration URI wraps the function ARN in an API Gateway invocation path. */
  static String functionArnOfIntegrationUri(String uri) {
    int at = uri.indexOf("/functions/");
    if (uri.startsWith("arn:aws:apigateway:") && at >= 0 && uri.endsWith("/invocations")) {
      return uri.substring(at + "/functions/".length(), uri.length() - "/invocations".length());
    }
    return uri;
  }

  private Map<String, AsyncConfig> asyncConfigs() {
    Map<String, AsyncConfig> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().path("Type").asText().equals("AWS::Lambda::EventInvokeConfig")) {
        continue;
      }
      String id = e.getKey();
      JsonNode props = e.getValue().path("Properties");
      String function = LocalTemplate.functionName(required(props, id, "FunctionName"));
      JsonNode destinations = prop(props, id, "DestinationConfig");
      out.put(
          function,
          new AsyncConfig(
              integer(props, id, "MaximumRetryAttempts", 2),
              integer(props, id, "MaximumEventAgeInSeconds", 21600),
              Optional.ofNullable(destinations.path("OnFailure").get("Destination"))
                  .map(JsonNode::asText),
              Optional.ofNullable(destinations.path("OnSuccess").get("Destination"))
                  .map(JsonNode::asText)));
    }
    return out;
  }

  private Function function(String id, JsonNode props, Map<String, AsyncConfig> async) {
    String name = intrinsics.physicalName(id);
    Map<String, String> environment = new TreeMap<>();
    JsonNode variables = props.path("Environment").path("Variables");
    for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> v = it.next();
      environment.put(
          v.getKey(), intrinsics.string(v.getValue(), id, "Environment.Variables." + v.getKey()));
    }
    JsonNode code = prop(props, id, "Code");
    Optional<String> codeKey = Optional.ofNullable(code.get("S3Key")).map(JsonNode::asText);
    OptionalInt reserved =
        props.has("ReservedConcurrentExecutions")
            ? OptionalInt.of(integer(props, id, "ReservedConcurrentExecutions", 0))
            : OptionalInt.empty();
    return new Function(
        id,
        name,
        intrinsics.getAtt(id, "Arn", id, "Arn"),
        required(props, id, "Handler"),
        optional(props, id, "Runtime").orElse("java17"),
        java.util.Collections.unmodifiableMap(environment),
        integer(props, id, "MemorySize", 128),
        integer(props, id, "Timeout", 3),
        reserved,
        codeKey,
        codeKey.map(assetsByObjectKey::get),
        async.getOrDefault(name, AsyncConfig.LAMBDA_DEFAULT));
  }

  private TaskDefinition taskDefinition(String id, JsonNode props) {
    List<Container> containers = new ArrayList<>();
    JsonNode raw = props.path("ContainerDefinitions");
    for (int i = 0; i < raw.size(); i++) {
      String where = "ContainerDefinitions[" + i + "]";
      JsonNode c = raw.get(i);
      Map<String, String> environment = new TreeMap<>();
      JsonNode env = c.path("Environment");
      for (int j = 0; j < env.size(); j++) {
        environment.put(
            env.get(j).path("Name").asText(),
            intrinsics.string(
                env.get(j).get("Value"),
                id,
                where + ".Environment." + env.get(j).path("Name").asText()));
      }
      List<String> command = new ArrayList<>();
      intrinsics
          .resolve(c.get("Command"), id, where + ".Command")
          .forEach(x -> command.add(x.asText()));
      containers.add(
          new Container(
              c.path("Name").asText(),
              intrinsics.string(c.get("Image"), id, where + ".Image"),
              List.copyOf(command),
              java.util.Collections.unmodifiableMap(environment)));
    }
    return new TaskDefinition(
        id,
        required(props, id, "Family"),
        intrinsics.getAtt(id, "Arn", id, "Arn"),
        integer(props, id, "Cpu", 256),
        integer(props, id, "Memory", 512),
        List.copyOf(containers));
  }

  private List<LogDelivery> logDeliveries() {
    List<LogDelivery> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode props = e.getValue().path("Properties");
      if (!e.getValue().path("Type").asText().equals("AWS::SNS::Subscription")
          || !"firehose".equals(props.path("Protocol").asText())) {
        continue;
      }
      String id = e.getKey();
      String topicArn = required(props, id, "TopicArn");
      String streamArn = required(props, id, "Endpoint");
      String streamId = logicalIdOfArn(streamArn, "AWS::KinesisFirehose::DeliveryStream");
      if (streamId == null) {
        throw new TemplateException(
            id, "Endpoint", "no delivery stream in the template: " + streamArn);
      }
      JsonNode s3 =
          prop(
              resources.get(streamId).path("Properties"),
              streamId,
              "ExtendedS3DestinationConfiguration");
      if (s3.isMissingNode()) {
        throw new TemplateException(
            streamId, "ExtendedS3DestinationConfiguration", "only S3 delivery is emulated");
      }
      String bucketArn = s3.path("BucketARN").asText();
      Optional<String> query = Optional.empty();
      for (JsonNode processor : s3.path("ProcessingConfiguration").path("Processors")) {
        for (JsonNode p : processor.path("Parameters")) {
          if (p.path("ParameterName").asText().equals("MetadataExtractionQuery")) {
            query = Optional.of(p.path("ParameterValue").asText());
          }
        }
      }
      out.add(
          new LogDelivery(
              topicArn,
              intrinsics.physicalName(streamId),
              bucketArn.substring(bucketArn.lastIndexOf(':') + 1),
              s3.path("Prefix").asText(""),
              s3.path("ErrorOutputPrefix").asText(""),
              query,
              s3.path("BufferingHints").path("IntervalInSeconds").asInt(300),
              s3.path("BufferingHints").path("SizeInMBs").asInt(5),
              s3.path("CompressionFormat").asText("UNCOMPRESSED")));
    }
    return List.copyOf(out);
  }

  private String logicalIdOfArn(String arn, String type) {
    for (Iterator<String> it = resources.fieldNames(); it.hasNext(); ) {
      String id = it.next();
      if (resources.get(id).path("Type").asText().equals(type)
          && intrinsics.getAtt(id, "Arn", id, "Arn").equals(arn)) {
        return id;
      }
    }
    return null;
  }

  JsonNode template() {
    return template;
  }
}
