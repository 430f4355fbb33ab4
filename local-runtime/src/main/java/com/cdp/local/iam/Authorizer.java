package com.cdp.local.iam;

import com.cdp.local.iam.AwsErrors.Answer;
import com.cdp.local.iam.AwsErrors.Kind;
import com.cdp.local.iam.IamPolicies.Role;
import com.cdp.local.iam.LocalCredentials.Principal;
import com.cdp.local.iam.PolicyEvaluator.Check;
import com.cdp.local.iam.PolicyEvaluator.Decision;
import com.cdp.local.iam.SigV4Verifier.Result;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The front door's decision for one request, without any HTTP server around it: authenticate
 * (SigV4), work out the checks, evaluate the caller's role and the resources' policies, record the
 * outcome, and answer in the service's error shape, or let the request through.
 */
final class Authorizer {
  /** Forward the request (empty answer), or answer it here. */
  record Outcome(Optional<Answer> answer, String service) {
    boolean forward() {
      return answer.isEmpty();
    }
  }

  private final IamMode mode;
  private final IamPolicies policies;
  private final SigV4Verifier verifier;
  private final RequestActions actions;
  private final AccessLog log;
  private final Clock clock;

  /** The cache key of a decision: the caller's role and the check narrowed to relevant keys. */
  private record DecisionKey(String role, String roleArn, Check check) {}

  static final int MAX_CACHED_DECISIONS = 10_000;
  private final Map<DecisionKey, Decision> decisions = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> conditionKeys = new ConcurrentHashMap<>();
  private final Set<String> resourceConditionKeys;

  Authorizer(
      IamMode mode,
      IamPolicies policies,
      LocalCredentials credentials,
      RequestActions actions,
      AccessLog log,
      Clock clock) {
    this.mode = mode;
    this.policies = policies;
    this.verifier = new SigV4Verifier(credentials);
    this.actions = actions;
    this.log = log;
    this.clock = clock;
    Set<String> keys = new HashSet<>();
    policies
        .resourcePolicies()
        .forEach(p -> p.statements().forEach(st -> keys.addAll(conditionKeysOf(st))));
    this.resourceConditionKeys = Set.copyOf(keys);
  }

  Outcome decide(AwsRequest request) {
    String signedFor = SigV4Verifier.signedService(request).orElse("");
    if (mode == IamMode.OFF) {
      return new Outcome(Optional.empty(), signedFor);
    }
    Result auth = verifier.verify(request, clock.instant());
    if (!auth.verified()) {
      String service = auth.service().isEmpty() ? guessService(request) : auth.service();
      Kind kind =
          switch (auth.refusal().orElseThrow()) {
            case UNSIGNED -> Kind.UNSIGNED;
            case MALFORMED -> Kind.MALFORMED;
            case UNKNOWN_KEY -> Kind.UNKNOWN_KEY;
            case INVALID_TOKEN -> Kind.INVALID_TOKEN;
            case STALE -> Kind.STALE;
            case EXPIRED -> Kind.EXPIRED;
            case BAD_SIGNATURE -> Kind.BAD_SIGNATURE;
            case BODY_MISMATCH -> Kind.BODY_MISMATCH;
          };
      return new Outcome(
          Optional.of(AwsErrors.answer(service, kind, message(kind, auth.detail()))), service);
    }
    Principal principal = auth.principal().orElseThrow();
    String service = auth.service();
    if (principal.admin()) {
      return new Outcome(Optional.empty(), service);
    }
    List<Check> checks;
    try {
      checks = actions.checks(service, request);
    } catch (RequestActions.UnmappableRequest e) {
      return new Outcome(
          Optional.of(AwsErrors.answer(service, Kind.MALFORMED, e.getMessage())), service);
    }
    Answer denial = null;
    for (Check check : checks) {
      Decision decision = decision(principal, check);
      if (decision.allowed()) {
        log.allowed(principal.roleName(), check.action(), check.resource());
        continue;
      }
      String message = deniedMessage(principal, check, decision);
      log.denied(
          principal.roleName(),
          principal.sessionName(),
          check.action(),
          check.resource(),
          message,
          mode == IamMode.ENFORCE);
      if (denial == null) {
        denial = AwsErrors.answer(service, Kind.ACCESS_DENIED, message);
      }
    }
    if (denial != null && mode == IamMode.ENFORCE) {
      return new Outcome(Optional.of(denial), service);
    }
    return new Outcome(Optional.empty(), service);
  }

  /**
   * The policy decision for a caller's check, evaluated once per (role, action, resource, relevant
   * condition keys): the statements are fixed for the front door's life, and a condition can only
   * look at the keys it names, so the request's other keys (e.g. the leading keys of a batch whose
   * role has no {@code dynamodb:LeadingKeys} condition) cannot change the outcome and are left out
   * of the cache key. A check whose relevant keys differ is evaluated afresh.
   */
  private Decision decision(Principal principal, Check check) {
    Set<String> relevant =
        conditionKeys.computeIfAbsent(principal.roleName(), this::conditionKeysOf);
    Map<String, List<String>> context = new HashMap<>();
    check
        .context()
        .forEach(
            (k, v) -> {
              if (relevant.contains(k.toLowerCase(Locale.ROOT))) {
                context.put(k, v);
              }
            });
    Check narrowed = new Check(check.action(), check.resource(), context);
    DecisionKey key = new DecisionKey(principal.roleName(), principal.roleArn(), narrowed);
    Decision cached = decisions.get(key);
    if (cached != null) {
      return cached;
    }
    Decision decision =
        PolicyEvaluator.evaluate(
            principal.roleArn(),
            policies.role(principal.roleName()).map(Role::statements).orElse(List.of()),
            policies.resourceStatements(check.resource()),
            narrowed);
    if (decisions.size() >= MAX_CACHED_DECISIONS) {
      decisions.clear(); // a bound, not an eviction policy: hot keys come back at once
    }
    decisions.put(key, decision);
    return decision;
  }

  /**
   * The condition keys (lower case; IAM's are case-insensitive) any statement that can apply to the
   * role names: its own statements' and every resource policy's.
   */
  private Set<String> conditionKeysOf(String roleName) {
    Set<String> keys = new HashSet<>(resourceConditionKeys);
    policies
        .role(roleName)
        .ifPresent(r -> r.statements().forEach(st -> keys.addAll(conditionKeysOf(st))));
    return Set.copyOf(keys);
  }

  private static Set<String> conditionKeysOf(Statement statement) {
    Set<String> keys = new HashSet<>();
    statement
        .conditions()
        .values()
        .forEach(byKey -> byKey.keySet().forEach(k -> keys.add(k.toLowerCase(Locale.ROOT))));
    return keys;
  }

  /** AWS's AccessDenied message for an implicit or explicit deny. */
  static String deniedMessage(Principal principal, Check check, Decision decision) {
    String head =
        "User: "
            + principal.arn()
            + " is not authorized to perform: "
            + check.action()
            + " on resource: "
            + check.resource();
    return switch (decision) {
      case EXPLICIT_DENY_IDENTITY -> head + " with an explicit deny in an identity-based policy";
      case EXPLICIT_DENY_RESOURCE -> head + " with an explicit deny in a resource-based policy";
      default ->
          head + " because no identity-based policy allows the " + check.action() + " action";
    };
  }

  private static String message(Kind kind, String detail) {
    return switch (kind) {
      case UNSIGNED -> "Request is missing Authentication Token";
      case UNKNOWN_KEY -> "The security token included in the request is invalid.";
      case INVALID_TOKEN -> "The security token included in the request is invalid.";
      case BAD_SIGNATURE ->
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
      default -> detail;
    };
  }

  /** An unsigned request names no service: S3 requests are the ones without a target header. */
  private static String guessService(AwsRequest request) {
    String target = request.header("X-Amz-Target").orElse("");
    if (target.startsWith("DynamoDB_")) {
      return "dynamodb";
    }
    if (!target.isEmpty()) {
      return "json";
    }
    if (request.header("Content-Type").orElse("").startsWith("application/x-www-form-urlencoded")) {
      return "sns";
    }
    return request.rawPath().contains("/@connections/") ? "execute-api" : "s3";
  }
}
