package com.cdp.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions the way CloudFormation would for a stack deployed in
 * account {@code 000000000000}: {@code Ref} (resources, parameters with defaults, pseudo
 * parameters), {@code Fn::GetAtt} (the attributes the platform's resources expose), {@code
 * Fn::Join}, {@code Fn::Sub}, {@code Fn::Select}, {@code Fn::Split}, {@code Fn::If} with {@code
 * Conditions} ({@code Fn::Equals}, {@code Fn::And}, {@code Fn::Or}, {@code Fn::Not}, {@code
 * Condition}) and {@code Fn::Base64}. Physical names follow the resource's name property when the
 * template sets one, else {@code STACK-LogicalId} (CloudFormation adds a random suffix; locally the
 * name only has to be stable). Anything else is a {@link TemplateException} naming the logical id
 * and property being resolved.
 */
public final class Intrinsics {
  /** The account the local platform answers for. */
  public static final String ACCOUNT = "000000000000";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  /** The property that names each resource type, where CloudFormation lets the template name it. */
  private static final Map<String, String> NAME_PROPERTIES =
      Map.ofEntries(
          Map.entry("AWS::DynamoDB::Table", "TableName"),
          Map.entry("AWS::S3::Bucket", "BucketName"),
          Map.entry("AWS::Lambda::Function", "FunctionName"),
          Map.entry("AWS::SNS::Topic", "TopicName"),
          Map.entry("AWS::SQS::Queue", "QueueName"),
          Map.entry("AWS::Events::EventBus", "Name"),
          Map.entry("AWS::Events::Rule", "Name"),
          Map.entry("AWS::SecretsManager::Secret", "Name"),
          Map.entry("AWS::Logs::LogGroup", "LogGroupName"),
          Map.entry("AWS::IAM::Role", "RoleName"),
          Map.entry("AWS::ECS::Cluster", "ClusterName"),
          Map.entry("AWS::KinesisFirehose::DeliveryStream", "DeliveryStreamName"),
          Map.entry("AWS::Scheduler::ScheduleGroup", "Name"),
          Map.entry("AWS::Scheduler::Schedule", "Name"),
          Map.entry("AWS::Athena::WorkGroup", "Name"),
          // Ref of a custom domain is the domain name (API mappings name their domain so).
          Map.entry("AWS::ApiGatewayV2::DomainName", "DomainName"));

  private final JsonNode resources;
  private final JsonNode parameters;
  private final JsonNode conditions;
  private final String region;
  private final String stackName;
  private final Map<String, Boolean> conditionValues = new HashMap<>();

  public Intrinsics(JsonNode template, String region, String stackName) {
    this.resources = template.path("Resources");
    this.parameters = template.path("Parameters");
    this.conditions = template.path("Conditions");
    this.region = region;
    this.stackName = stackName;
  }

  public String region() {
    return region;
  }

  /** A property value with every intrinsic resolved ({@code AWS::NoValue} entries removed). */
  public JsonNode resolve(JsonNode value, String logicalId, String property) {
    JsonNode resolved = resolveOrNoValue(value, logicalId, property);
    return resolved == null ? NODES.missingNode() : resolved;
  }

  /** A property that must resolve to a string (numbers and booleans are given as text). */
  public String string(JsonNode value, String logicalId, String property) {
    JsonNode resolved = resolve(value, logicalId, property);
    if (!resolved.isValueNode()) {
      throw new TemplateException(
          logicalId, property, "expected a string, found " + describe(resolved));
    }
    return resolved.asText();
  }

  /** Whether a condition of the template's {@code Conditions} holds. */
  public boolean condition(String name, String logicalId, String property) {
    Boolean known = conditionValues.get(name);
    if (known != null) {
      return known;
    }
    JsonNode definition = conditions.get(name);
    if (definition == null) {
      throw new TemplateException(logicalId, property, "unknown condition '" + name + "'");
    }
    boolean value = evaluate(definition, logicalId, property);
    conditionValues.put(name, value);
    return value;
  }

  // null = AWS::NoValue (the property or element is left out).
  private JsonNode resolveOrNoValue(JsonNode value, String logicalId, String property) {
    if (value == null || value.isMissingNode()) {
      return null;
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (int i = 0; i < value.size(); i++) {
        JsonNode element = resolveOrNoValue(value.get(i), logicalId, property + "[" + i + "]");
        if (element != null) {
          out.add(element);
        }
      }
      return out;
    }
    if (!value.isObject()) {
      return value;
    }
    if (value.size() == 1) {
      String key = value.fieldNames().next();
      if (key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition")) {
        return function(key, value.get(key), logicalId, property);
      }
    }
    ObjectNode out = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode resolved =
          resolveOrNoValue(field.getValue(), logicalId, property + "." + field.getKey());
      if (resolved != null) {
        out.set(field.getKey(), resolved);
      }
    }
    return out;
  }

  private JsonNode function(String name, JsonNode args, String logicalId, String property) {
    String where = property + " (" + name + ")";
    switch (name) {
      case "Ref":
        if (args.asText().equals("AWS::NoValue")) {
          return null;
        }
        return TextNode.valueOf(ref(args.asText(), logicalId, where));
      case "Fn::GetAtt":
        {
          String target;
          String attribute;
          if (args.isArray() && args.size() == 2) {
            target = args.get(0).asText();
            attribute = string(args.get(1), logicalId, where);
          } else if (args.isTextual() && args.asText().contains(".")) {
            target = args.asText().substring(0, args.asText().indexOf('.'));
            attribute = args.asText().substring(args.asText().indexOf('.') + 1);
          } else {
            throw new TemplateException(logicalId, where, "malformed arguments " + args);
          }
          return TextNode.valueOf(getAtt(target, attribute, logicalId, where));
        }
      case "Fn::Join":
        {
          if (!args.isArray() || args.size() != 2) {
            throw new TemplateException(logicalId, where, "expects [delimiter, [values]]");
          }
          String delimiter = string(args.get(0), logicalId, where);
          JsonNode list = resolve(args.get(1), logicalId, where);
          if (!list.isArray()) {
            throw new TemplateException(logicalId, where, "expects a list, found " + list);
          }
          StringBuilder out = new StringBuilder();
          for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
              out.append(delimiter);
            }
            if (!list.get(i).isValueNode()) {
              throw new TemplateException(
                  logicalId, where, "element " + i + " is not a string: " + list.get(i));
            }
            out.append(list.get(i).asText());
          }
          return TextNode.valueOf(out.toString());
        }
      case "Fn::Sub":
        return TextNode.valueOf(sub(args, logicalId, where));
      case "Fn::Select":
        {
          if (!args.isArray() || args.size() != 2) {
            throw new TemplateException(logicalId, where, "expects [index, [values]]");
          }
          String indexText = string(args.get(0), logicalId, where);
          JsonNode list = resolve(args.get(1), logicalId, where);
          int index;
          try {
            index = Integer.parseInt(indexText);
          } catch (NumberFormatException e) {
            throw new TemplateException(logicalId, where, "index is not a number: " + indexText);
          }
          if (!list.isArray() || index < 0 || index >= list.size()) {
            throw new TemplateException(
                logicalId, where, "index " + index + " is outside " + describe(list));
          }
          return list.get(index);
        }
      case "Fn::Split":
        {
          if (!args.isArray() || args.size() != 2) {
            throw new TemplateException(logicalId, where, "expects [delimiter, string]");
          }
          String delimiter = string(args.get(0), logicalId, where);
          String source = string(args.get(1), logicalId, where);
          if (delimiter.isEmpty()) {
            throw new TemplateException(logicalId, where, "the delimiter is empty");
          }
          ArrayNode out = NODES.arrayNode();
          for (String part : source.split(Pattern.quote(delimiter), -1)) {
            out.add(part);
          }
          return out;
        }
      case "Fn::If":
        {
          if (!args.isArray() || args.size() != 3) {
            throw new TemplateException(logicalId, where, "expects [condition, then, else]");
          }
          boolean holds = condition(args.get(0).asText(), logicalId, where);
          return resolveOrNoValue(args.get(holds ? 1 : 2), logicalId, property);
        }
      case "Fn::Base64":
        return TextNode.valueOf(
            java.util.Base64.getEncoder()
                .encodeToString(
                    string(args, logicalId, where)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      case "Condition":
        return NODES.booleanNode(condition(args.asText(), logicalId, where));
      default:
        throw new TemplateException(
            logicalId, where, "the local platform does not resolve " + name);
    }
  }

  private boolean evaluate(JsonNode definition, String logicalId, String property) {
    if (!definition.isObject() || definition.size() != 1) {
      throw new TemplateException(logicalId, property, "malformed condition " + definition);
    }
    String name = definition.fieldNames().next();
    JsonNode args = definition.get(name);
    switch (name) {
      case "Fn::Equals":
        {
          JsonNode a = resolve(args.get(0), logicalId, property);
          JsonNode b = resolve(args.get(1), logicalId, property);
          return a.isValueNode() && b.isValueNode() ? a.asText().equals(b.asText()) : a.equals(b);
        }
      case "Fn::And":
        {
          boolean all = true;
          for (JsonNode c : args) {
            all &= evaluate(c, logicalId, property);
          }
          return all;
        }
      case "Fn::Or":
        {
          boolean any = false;
          for (JsonNode c : args) {
            any |= evaluate(c, logicalId, property);
          }
          return any;
        }
      case "Fn::Not":
        return !evaluate(args.get(0), logicalId, property);
      case "Condition":
        return condition(args.asText(), logicalId, property);
      default:
        throw new TemplateException(
            logicalId, property, "the local platform does not evaluate condition " + name);
    }
  }

  private String sub(JsonNode args, String logicalId, String where) {
    String text;
    Map<String, String> variables = new HashMap<>();
    if (args.isTextual()) {
      text = args.asText();
    } else if (args.isArray() && args.size() == 2 && args.get(0).isTextual()) {
      text = args.get(0).asText();
      for (Iterator<Map.Entry<String, JsonNode>> it = args.get(1).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> v = it.next();
        variables.put(v.getKey(), string(v.getValue(), logicalId, where + "." + v.getKey()));
      }
    } else {
      throw new TemplateException(logicalId, where, "expects a string or [string, {variables}]");
    }
    Matcher m = SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String replacement;
      if (name.startsWith("!")) {
        replacement = "${" + name.substring(1) + "}";
      } else if (variables.containsKey(name)) {
        replacement = variables.get(name);
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        int dot = name.indexOf('.');
        replacement = getAtt(name.substring(0, dot), name.substring(dot + 1), logicalId, where);
      } else {
        replacement = ref(name.trim(), logicalId, where);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** What {@code Ref} returns for a pseudo parameter, parameter or resource. */
  public String ref(String name, String logicalId, String property) {
    switch (name) {
      case "AWS::AccountId":
        return ACCOUNT;
      case "AWS::Region":
        return region;
      case "AWS::Partition":
        return "aws";
      case "AWS::URLSuffix":
        return "amazonaws.com";
      case "AWS::StackName":
        return stackName;
      case "AWS::StackId":
        return "arn:aws:cloudformation:"
            + region
            + ":"
            + ACCOUNT
            + ":stack/"
            + stackName
            + "/local";
      case "AWS::NotificationARNs":
        return "";
      default:
        break;
    }
    if (parameters.has(name)) {
      JsonNode defaultValue = parameters.get(name).get("Default");
      if (defaultValue == null) {
        throw new TemplateException(
            logicalId, property, "parameter '" + name + "' has no default value");
      }
      return defaultValue.asText();
    }
    JsonNode resource = resources.get(name);
    if (resource == null) {
      throw new TemplateException(logicalId, property, "Ref to unknown '" + name + "'");
    }
    String type = resource.path("Type").asText();
    String physical = physicalName(name);
    return switch (type) {
      case "AWS::SNS::Topic",
          "AWS::Lambda::Alias",
          "AWS::Lambda::Version",
          "AWS::SecretsManager::Secret",
          "AWS::ECS::TaskDefinition" ->
          getAtt(name, "Arn", logicalId, property);
      case "AWS::SQS::Queue" ->
          "https://sqs." + region + ".amazonaws.com/" + ACCOUNT + "/" + physical;
      default -> physical;
    };
  }

  /** The physical name of a resource: its name property if set, else {@code STACK-LogicalId}. */
  public String physicalName(String logicalId) {
    JsonNode resource = resources.get(logicalId);
    if (resource == null) {
      throw new TemplateException(logicalId, "(name)", "no such resource");
    }
    String type = resource.path("Type").asText();
    String property = NAME_PROPERTIES.get(type);
    if (property != null && resource.path("Properties").has(property)) {
      return string(resource.path("Properties").get(property), logicalId, property);
    }
    String generated = stackName + "-" + logicalId;
    if (type.equals("AWS::S3::Bucket")) {
      generated = generated.toLowerCase(Locale.ROOT);
    }
    return generated.length() > 64 ? generated.substring(0, 64) : generated;
  }

  /** What {@code Fn::GetAtt} returns for the attributes the platform's resources use. */
  public String getAtt(String target, String attribute, String logicalId, String property) {
    JsonNode resource = resources.get(target);
    if (resource == null) {
      throw new TemplateException(logicalId, property, "Fn::GetAtt of unknown '" + target + "'");
    }
    String type = resource.path("Type").asText();
    String name = physicalName(target);
    String arnPrefix = ":" + region + ":" + ACCOUNT + ":";
    String value =
        switch (type + "." + attribute) {
          case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb" + arnPrefix + "table/" + name;
          case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + name;
          case "AWS::S3::Bucket.DomainName" -> name + ".s3.amazonaws.com";
          case "AWS::S3::Bucket.RegionalDomainName" -> name + ".s3." + region + ".amazonaws.com";
          case "AWS::Lambda::Function.Arn" -> "arn:aws:lambda" + arnPrefix + "function:" + name;
          case "AWS::Lambda::Alias.Arn" -> aliasArn(resource, target, property);
          case "AWS::Lambda::Version.Arn", "AWS::Lambda::Version.Version" ->
              versionArn(resource, target, attribute);
          case "AWS::SQS::Queue.Arn" -> "arn:aws:sqs" + arnPrefix + name;
          case "AWS::SQS::Queue.QueueName" -> name;
          case "AWS::SQS::Queue.QueueUrl" -> ref(target, logicalId, property);
          case "AWS::SNS::Topic.Arn", "AWS::SNS::Topic.TopicArn" ->
              "arn:aws:sns" + arnPrefix + name;
          case "AWS::SNS::Topic.TopicName" -> name;
          case "AWS::Events::EventBus.Arn" -> "arn:aws:events" + arnPrefix + "event-bus/" + name;
          case "AWS::Events::EventBus.Name" -> name;
          case "AWS::Events::Rule.Arn" -> "arn:aws:events" + arnPrefix + "rule/" + name;
          case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + ACCOUNT + ":role/" + name;
          case "AWS::IAM::Role.RoleId" -> "AROA" + target.toUpperCase(Locale.ROOT);
          case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs" + arnPrefix + "log-group:" + name + ":*";
          case "AWS::ECS::Cluster.Arn" -> "arn:aws:ecs" + arnPrefix + "cluster/" + name;
          case "AWS::ECS::TaskDefinition.Arn", "AWS::ECS::TaskDefinition.TaskDefinitionArn" ->
              "arn:aws:ecs" + arnPrefix + "task-definition/" + family(resource, target) + ":1";
          case "AWS::SecretsManager::Secret.Arn", "AWS::SecretsManager::Secret.Id" ->
              "arn:aws:secretsmanager" + arnPrefix + "secret:" + name;
          case "AWS::KinesisFirehose::DeliveryStream.Arn" ->
              "arn:aws:firehose" + arnPrefix + "deliverystream/" + name;
          case "AWS::KMS::Key.Arn" -> "arn:aws:kms" + arnPrefix + "key/" + target;
          case "AWS::KMS::Key.KeyId" -> target;
          case "AWS::Scheduler::ScheduleGroup.Arn" ->
              "arn:aws:scheduler" + arnPrefix + "schedule-group/" + name;
          // Network ids reach functions only as RunTask parameters: stable stand-ins suffice.
          case "AWS::EC2::SecurityGroup.GroupId" -> "sg-" + target.toLowerCase(Locale.ROOT);
          case "AWS::EC2::VPC.VpcId" -> "vpc-" + target.toLowerCase(Locale.ROOT);
          case "AWS::EC2::Subnet.SubnetId" -> "subnet-" + target.toLowerCase(Locale.ROOT);
          case "AWS::ApiGatewayV2::Api.ApiId" -> name;
          case "AWS::ApiGatewayV2::Api.ApiEndpoint" -> "http://127.0.0.1";
          case "AWS::Athena::WorkGroup.Arn" -> "arn:aws:athena" + arnPrefix + "workgroup/" + name;
          case "AWS::Glue::Database.Arn" -> "arn:aws:glue" + arnPrefix + "database/" + name;
          default ->
              throw new TemplateException(
                  logicalId,
                  property,
                  "Fn::GetAtt " + target + "." + attribute + " (" + type + ") is not emulated");
        };
    return value;
  }

  private String aliasArn(JsonNode alias, String target, String property) {
    JsonNode props = alias.path("Properties");
    String function = string(props.get("FunctionName"), target, "FunctionName");
    String functionArn =
        function.startsWith("arn:")
            ? function
            : "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + function;
    return functionArn + ":" + string(props.get("Name"), target, "Name");
  }

  private String versionArn(JsonNode version, String target, String attribute) {
    if (attribute.equals("Version")) {
      return "1";
    }
    String function =
        string(version.path("Properties").get("FunctionName"), target, "FunctionName");
    String functionArn =
        function.startsWith("arn:")
            ? function
            : "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + function;
    return functionArn + ":1";
  }

  private String family(JsonNode taskDefinition, String target) {
    JsonNode family = taskDefinition.path("Properties").get("Family");
    return family == null ? stackName + target : string(family, target, "Family");
  }

  private static String describe(JsonNode node) {
    return node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
