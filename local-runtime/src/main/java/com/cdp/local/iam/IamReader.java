package com.cdp.local.iam;

import com.cdp.local.iam.IamPolicies.ResourcePolicy;
import com.cdp.local.iam.IamPolicies.Role;
import com.cdp.local.template.Intrinsics;
import com.cdp.local.template.TemplateException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the template's IAM: roles with their {@code AWS::IAM::Policy}/{@code
 * AWS::IAM::ManagedPolicy} documents, inline {@code Policies} and AWS managed policies; the
 * execution role of each function and the task role of each ECS task definition; and the resource
 * policies of buckets, topics, buses, secrets and KMS keys. Intrinsics are resolved as the local
 * platform resolves them, so the ARNs in the statements are the ARNs the front door computes.
 */
public final class IamReader {
  /**
   * The AWS managed policies the template attaches, by name: their documents are AWS's, not the
   * template's. Only the basic execution role is used by the platform.
   */
  static final Map<String, List<Statement>> MANAGED =
      Map.of(
          "service-role/AWSLambdaBasicExecutionRole",
          List.of(
              Statement.allow(
                  List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                  List.of("*"),
                  "AWSLambdaBasicExecutionRole")));

  private final JsonNode resources;
  private final Intrinsics intrinsics;

  public IamReader(JsonNode template, Intrinsics intrinsics) {
    this.resources = template.path("Resources");
    this.intrinsics = intrinsics;
  }

  /** The IAM of a synthesized cloud assembly's local stack (see {@code CloudAssembly}). */
  public static IamPolicies read(java.nio.file.Path assembly) {
    JsonNode template = com.cdp.local.template.CloudAssembly.templateJson(assembly);
    return new IamReader(
            template,
            new Intrinsics(
                template,
                com.cdp.local.template.CloudAssembly.region(assembly),
                com.cdp.local.template.CloudAssembly.STACK))
        .read();
  }

  public IamPolicies read() {
    Map<String, List<Statement>> byRole = new LinkedHashMap<>();
    Map<String, String> roleLogicalIds = new HashMap<>();
    Map<String, String> functionRoles = new HashMap<>();
    Map<String, List<String>> taskRoles = new HashMap<>();
    List<ResourcePolicy> resourcePolicies = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String id = e.getKey();
      JsonNode props = e.getValue().path("Properties");
      switch (e.getValue().path("Type").asText()) {
        case "AWS::IAM::Role" -> {
          String name = intrinsics.physicalName(id);
          roleLogicalIds.put(name, id);
          List<Statement> statements = byRole.computeIfAbsent(name, n -> new ArrayList<>());
          for (JsonNode arn : props.path("ManagedPolicyArns")) {
            String resolved = intrinsics.string(arn, id, "ManagedPolicyArns");
            String managed = resolved.substring(resolved.indexOf(":policy/") + ":policy/".length());
            List<Statement> known = MANAGED.get(managed);
            if (known == null) {
              throw new TemplateException(
                  id,
                  "ManagedPolicyArns",
                  "AWS managed policy " + managed + " is not known locally");
            }
            statements.addAll(known);
          }
          JsonNode inline = props.path("Policies");
          for (int i = 0; i < inline.size(); i++) {
            statements.addAll(
                document(inline.get(i).path("PolicyDocument"), id, "Policies[" + i + "]", false));
          }
        }
        case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" -> {
          List<Statement> statements =
              document(props.path("PolicyDocument"), id, "PolicyDocument", false);
          for (JsonNode role : props.path("Roles")) {
            byRole
                .computeIfAbsent(intrinsics.string(role, id, "Roles"), n -> new ArrayList<>())
                .addAll(statements);
          }
        }
        case "AWS::Lambda::Function" ->
            functionRoles.put(
                intrinsics.physicalName(id), roleName(props.path("Role"), id, "Role"));
        case "AWS::ECS::TaskDefinition" -> {
          // the roles RunTask passes (iam:PassRole): the task role and the execution role
          List<String> passed = new ArrayList<>();
          for (String property : List.of("TaskRoleArn", "ExecutionRoleArn")) {
            if (props.has(property)) {
              passed.add(intrinsics.string(props.get(property), id, property));
            }
          }
          taskRoles.put(intrinsics.string(props.get("Family"), id, "Family"), passed);
        }
        case "AWS::S3::BucketPolicy" ->
            resourcePolicies.add(
                new ResourcePolicy(
                    id,
                    List.of("arn:aws:s3:::" + intrinsics.string(props.get("Bucket"), id, "Bucket")),
                    document(props.path("PolicyDocument"), id, "PolicyDocument", true)));
        case "AWS::SNS::TopicPolicy" -> {
          List<String> topics = new ArrayList<>();
          props.path("Topics").forEach(t -> topics.add(intrinsics.string(t, id, "Topics")));
          resourcePolicies.add(
              new ResourcePolicy(
                  id, topics, document(props.path("PolicyDocument"), id, "PolicyDocument", true)));
        }
        case "AWS::SecretsManager::ResourcePolicy" ->
            resourcePolicies.add(
                new ResourcePolicy(
                    id,
                    List.of(intrinsics.string(props.get("SecretId"), id, "SecretId")),
                    document(props.path("ResourcePolicy"), id, "ResourcePolicy", true)));
        case "AWS::Events::EventBusPolicy" -> {
          String bus = intrinsics.string(props.get("EventBusName"), id, "EventBusName");
          String busArn =
              "arn:aws:events:"
                  + intrinsics.region()
                  + ":"
                  + Intrinsics.ACCOUNT
                  + ":event-bus/"
                  + bus;
          JsonNode statement = intrinsics.resolve(props.path("Statement"), id, "Statement");
          resourcePolicies.add(
              new ResourcePolicy(
                  id, List.of(busArn), List.of(statement(statement, id, "Statement", true))));
        }
        case "AWS::KMS::Key" ->
            resourcePolicies.add(
                new ResourcePolicy(
                    id,
                    List.of(intrinsics.getAtt(id, "Arn", id, "Arn")),
                    document(props.path("KeyPolicy"), id, "KeyPolicy", true)));
        default -> {}
      }
    }
    Map<String, Role> roles = new HashMap<>();
    byRole.forEach(
        (name, statements) -> {
          String logicalId = roleLogicalIds.get(name);
          if (logicalId != null) {
            roles.put(
                name,
                new Role(
                    logicalId,
                    name,
                    intrinsics.getAtt(logicalId, "Arn", logicalId, "Arn"),
                    statements));
          }
        });
    return new IamPolicies(roles, functionRoles, taskRoles, resourcePolicies);
  }

  private String roleName(JsonNode arn, String id, String property) {
    String resolved = intrinsics.string(arn, id, property);
    return resolved.substring(resolved.lastIndexOf('/') + 1);
  }

  private List<Statement> document(
      JsonNode raw, String id, String property, boolean resourcePolicy) {
    JsonNode doc = intrinsics.resolve(raw, id, property);
    List<Statement> out = new ArrayList<>();
    JsonNode statements = doc.path("Statement");
    if (statements.isObject()) {
      out.add(statement(statements, id, property + ".Statement", resourcePolicy));
    } else {
      for (int i = 0; i < statements.size(); i++) {
        out.add(
            statement(statements.get(i), id, property + ".Statement[" + i + "]", resourcePolicy));
      }
    }
    return out;
  }

  private static Statement statement(JsonNode s, String id, String where, boolean resourcePolicy) {
    Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> ops = s.path("Condition").fields();
        ops.hasNext(); ) {
      Map.Entry<String, JsonNode> op = ops.next();
      if (!Conditions.supported(op.getKey())) {
        throw new TemplateException(
            id,
            where + ".Condition",
            "condition operator " + op.getKey() + " is not evaluated locally");
      }
      Map<String, List<String>> keys = new LinkedHashMap<>();
      op.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), strings(k.getValue())));
      conditions.put(op.getKey(), keys);
    }
    List<String> principals = new ArrayList<>();
    if (resourcePolicy) {
      JsonNode p = s.path("Principal");
      if (p.isTextual()) {
        principals.add(p.asText());
      } else {
        principals.addAll(strings(p.path("AWS")));
        strings(p.path("Service")).forEach(svc -> principals.add("service:" + svc));
      }
    }
    String effect = s.path("Effect").asText();
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw new TemplateException(id, where + ".Effect", "must be Allow or Deny: " + effect);
    }
    return new Statement(
        effect.equals("Allow") ? Statement.Effect.ALLOW : Statement.Effect.DENY,
        strings(s.path("Action")),
        strings(s.path("NotAction")),
        resourcePolicy && !s.has("Resource") && !s.has("NotResource")
            ? List.of("*")
            : strings(s.path("Resource")),
        strings(s.path("NotResource")),
        conditions,
        principals,
        id + (s.has("Sid") ? " (" + s.get("Sid").asText() + ")" : ""));
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      out.add(node.asText());
    }
    return out;
  }
}
