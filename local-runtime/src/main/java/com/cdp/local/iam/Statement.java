package com.cdp.local.iam;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One IAM policy statement with every intrinsic resolved. Exactly one of {@code actions}/{@code
 * notActions} and one of {@code resources}/{@code notResources} is non-empty. {@code principals} is
 * only set on resource-policy statements ({@code *} for everyone).
 *
 * @param conditions operator (e.g. {@code ForAllValues:StringLike}) to condition key to values
 */
record Statement(
    Effect effect,
    List<String> actions,
    List<String> notActions,
    List<String> resources,
    List<String> notResources,
    Map<String, Map<String, List<String>>> conditions,
    List<String> principals,
    String source) {

  enum Effect {
    ALLOW,
    DENY
  }

  Statement {
    Objects.requireNonNull(effect, "effect");
    actions = List.copyOf(actions);
    notActions = List.copyOf(notActions);
    resources = List.copyOf(resources);
    notResources = List.copyOf(notResources);
    conditions = Map.copyOf(conditions);
    principals = List.copyOf(principals);
  }

  /** An identity-policy statement without NotAction/NotResource and without conditions. */
  static Statement allow(List<String> actions, List<String> resources, String source) {
    return new Statement(
        Effect.ALLOW, actions, List.of(), resources, List.of(), Map.of(), List.of(), source);
  }

  boolean appliesToAction(String action) {
    if (!notActions.isEmpty()) {
      return notActions.stream().noneMatch(a -> Wildcard.matches(a, action, true));
    }
    return actions.stream().anyMatch(a -> Wildcard.matches(a, action, true));
  }

  boolean appliesToResource(String resource) {
    if (!notResources.isEmpty()) {
      return notResources.stream().noneMatch(r -> Wildcard.matches(r, resource, false));
    }
    return resources.stream().anyMatch(r -> Wildcard.matches(r, resource, false));
  }

  /** Resource-policy statements name their principals: {@code *} or the caller's role ARN. */
  boolean appliesToPrincipal(String roleArn) {
    return principals.stream().anyMatch(p -> p.equals("*") || p.equals(roleArn));
  }
}
