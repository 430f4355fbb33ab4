package com.cdp.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the template grants: each role's identity statements, which role each function (and each ECS
 * task passes: task role and execution role ARNs, by family) runs as, and the resource policies
 * attached to buckets, topics, buses, secrets and keys. Read by {@link IamReader}; evaluated by the
 * {@link FrontDoor}.
 */
public record IamPolicies(
    Map<String, Role> roles,
    Map<String, String> functionRoles,
    Map<String, List<String>> taskRoles,
    List<ResourcePolicy> resourcePolicies) {

  public IamPolicies {
    roles = Map.copyOf(roles);
    functionRoles = Map.copyOf(functionRoles);
    taskRoles = Map.copyOf(taskRoles);
    resourcePolicies = List.copyOf(resourcePolicies);
  }

  /** A role: its name and ARN and every statement of the policies attached to it. */
  public record Role(String logicalId, String name, String arn, List<Statement> statements) {
    public Role {
      statements = List.copyOf(statements);
    }
  }

  /** A resource policy and the resource ARNs it is attached to. */
  public record ResourcePolicy(String source, List<String> attachedTo, List<Statement> statements) {
    public ResourcePolicy {
      attachedTo = List.copyOf(attachedTo);
      statements = List.copyOf(statements);
    }

    boolean covers(String resourceArn) {
      return attachedTo.stream()
          .anyMatch(a -> resourceArn.equals(a) || resourceArn.startsWith(a + "/"));
    }
  }

  public Optional<Role> role(String name) {
    return Optional.ofNullable(roles.get(name));
  }

  /** The role a function runs as (its execution role). */
  public Optional<Role> roleOfFunction(String functionName) {
    return Optional.ofNullable(functionRoles.get(functionName)).flatMap(this::role);
  }

  /**
   * These policies with one grant taken away (a test-only hook, as if the template lacked it): the
   * action is removed from the function's role's Allow statements that name exactly that resource.
   */
  public IamPolicies withoutGrant(String functionName, String action, String resource) {
    Role role =
        roleOfFunction(functionName)
            .orElseThrow(
                () -> new IllegalArgumentException("no role for function " + functionName));
    List<Statement> kept = new ArrayList<>();
    for (Statement s : role.statements()) {
      if (s.effect() == Statement.Effect.ALLOW && s.resources().contains(resource)) {
        List<String> actions = new ArrayList<>(s.actions());
        actions.removeIf(a -> a.equalsIgnoreCase(action));
        if (actions.isEmpty()) {
          continue;
        }
        s =
            new Statement(
                s.effect(),
                actions,
                s.notActions(),
                s.resources(),
                s.notResources(),
                s.conditions(),
                s.principals(),
                s.source());
      }
      kept.add(s);
    }
    java.util.Map<String, Role> roles = new java.util.HashMap<>(this.roles);
    roles.put(role.name(), new Role(role.logicalId(), role.name(), role.arn(), kept));
    return new IamPolicies(roles, functionRoles, taskRoles, resourcePolicies);
  }

  /** The statements of every resource policy attached to the resource. */
  List<Statement> resourceStatements(String resourceArn) {
    List<Statement> out = new ArrayList<>();
    for (ResourcePolicy p : resourcePolicies) {
      if (p.covers(resourceArn)) {
        out.addAll(p.statements());
      }
    }
    return out;
  }
}
