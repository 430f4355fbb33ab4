package com.cdp.local.iam;

import com.cdp.local.iam.AwsErrors.Answer;
import com.cdp.local.iam.AwsErrors.Kind;
import com.cdp.local.iam.IamPolicies.Role;
import com.cdp.local.iam.LocalCredentials.Principal;
import com.cdp.local.iam.PolicyEvaluator.Check;
import com.cdp.local.iam.PolicyEvaluator.Decision;
import com.cdp.local.iam.SigV4Verifier.Result;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

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
    Optional<Role> role = policies.role(principal.roleName());
    Answer denial = null;
    for (Check check : checks) {
      Decision decision =
          PolicyEvaluator.evaluate(
              principal.roleArn(),
              role.map(Role::statements).orElse(List.of()),
              policies.resourceStatements(check.resource()),
              check);
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
