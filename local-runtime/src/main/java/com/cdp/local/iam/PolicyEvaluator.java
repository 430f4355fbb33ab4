package com.cdp.local.iam;

import java.util.List;
import java.util.Map;

/**
 * IAM's evaluation for a caller and a resource in the same account: an explicit Deny in any
 * applicable statement wins; otherwise an Allow in the caller's identity policies or in the
 * resource's policy (naming the caller) allows; otherwise the call is implicitly denied.
 */
final class PolicyEvaluator {
  /**
   * The outcome, and for a denial whether an explicit Deny (and in which kind of policy) caused it.
   */
  enum Decision {
    ALLOW,
    IMPLICIT_DENY,
    EXPLICIT_DENY_IDENTITY,
    EXPLICIT_DENY_RESOURCE;

    boolean allowed() {
      return this == ALLOW;
    }
  }

  /**
   * One thing a request does: the IAM action, its resource ARN and the request's condition keys.
   */
  record Check(String action, String resource, Map<String, List<String>> context) {
    Check {
      context = Map.copyOf(context);
    }
  }

  private PolicyEvaluator() {}

  static Decision evaluate(
      String roleArn, List<Statement> identity, List<Statement> resourcePolicy, Check check) {
    boolean allowed = false;
    for (Statement s : identity) {
      if (applies(s, check)) {
        if (s.effect() == Statement.Effect.DENY) {
          return Decision.EXPLICIT_DENY_IDENTITY;
        }
        allowed = true;
      }
    }
    for (Statement s : resourcePolicy) {
      if (s.appliesToPrincipal(roleArn) && applies(s, check)) {
        if (s.effect() == Statement.Effect.DENY) {
          return Decision.EXPLICIT_DENY_RESOURCE;
        }
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
  }

  private static boolean applies(Statement s, Check check) {
    return s.appliesToAction(check.action())
        && s.appliesToResource(check.resource())
        && Conditions.hold(s.conditions(), check.context());
  }
}
