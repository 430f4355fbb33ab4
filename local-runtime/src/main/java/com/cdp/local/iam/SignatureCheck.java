package com.cdp.local.iam;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SigV4 verification for a local endpoint that is not behind the front door (e.g. the gateway's
 * Secrets Manager API): the caller must have signed with a key this platform issued.
 */
public final class SignatureCheck {
  private final SigV4Verifier verifier;
  private final Clock clock;

  private SignatureCheck(LocalCredentials credentials, Clock clock) {
    this.verifier = new SigV4Verifier(credentials);
    this.clock = clock;
  }

  public static SignatureCheck of(LocalCredentials credentials) {
    return new SignatureCheck(credentials, Clock.systemUTC());
  }

  /**
   * Why the request is refused ({@code __type} and message as Secrets Manager answers), or empty
   * when it is signed by a known key.
   */
  public Optional<Map.Entry<String, String>> refusal(HttpServletRequest request, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    AwsRequest aws =
        new AwsRequest(
            request.getMethod(),
            request.getScheme(),
            request.getRequestURI(),
            Optional.ofNullable(request.getQueryString()),
            headers,
            body);
    SigV4Verifier.Result result = verifier.verify(aws, clock.instant());
    if (result.verified()) {
      return Optional.empty();
    }
    return Optional.of(
        switch (result.refusal().orElseThrow()) {
          case UNSIGNED ->
              Map.entry(
                  "MissingAuthenticationTokenException", "Request is missing Authentication Token");
          case UNKNOWN_KEY, INVALID_TOKEN ->
              Map.entry(
                  "UnrecognizedClientException",
                  "The security token included in the request is invalid.");
          default -> Map.entry("InvalidSignatureException", result.detail());
        });
  }
}
