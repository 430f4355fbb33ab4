package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.local.iam.AccessLog;
import com.cdp.local.iam.FrontDoor;
import com.cdp.local.runtime.InvocationResult;
import com.cdp.testing.RepoRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One grant taken out of the template's policies (get-transactions' dynamodb:GetItem on the
 * sessions table): the function's own call fails with AWS's AccessDenied naming the action and the
 * table.
 */
class FrontDoorMissingGrantTest {
  private static final String SESSIONS =
      "arn:aws:dynamodb:us-east-1:000000000000:table/cdp-local-sessions";
  @TempDir static Path dataDir;
  private static LocalPlatform platform;

  @BeforeAll
  static void start() {
    System.setProperty(
        LocalPlatform.IAM_REVOKE_FOR_TESTS_PROPERTY,
        "get-transactions|dynamodb:GetItem|" + SESSIONS);
    System.setProperty(LocalPlatform.IAM_MODE_PROPERTY, "enforce");
    try {
      platform = LocalPlatform.start(LocalOptions.forTests(dataDir, RepoRoot.find()), List.of());
    } finally {
      System.clearProperty(LocalPlatform.IAM_REVOKE_FOR_TESTS_PROPERTY);
      System.clearProperty(LocalPlatform.IAM_MODE_PROPERTY);
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theFunctionsCallIsDeniedAsAwsDeniesIt() throws Exception {
    FrontDoor door = platform.frontDoor().orElseThrow();
    String event =
        """
        {"version":"2.0","routeKey":"GET /accounts/{accountId}/transactions",
         "rawPath":"/accounts/a1/transactions","rawQueryString":"",
         "headers":{"authorization":"Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
         "pathParameters":{"accountId":"a1"},
         "requestContext":{"http":{"method":"GET","path":"/accounts/a1/transactions"},
           "requestId":"r1","routeKey":"GET /accounts/{accountId}/transactions","stage":"$default"}}
        """;
    String function = platform.function("get-transactions").name();
    InvocationResult result = platform.invoke(function, event.getBytes(StandardCharsets.UTF_8));
    assertThat(result.payloadText()).doesNotContain("\"statusCode\":401");
    AccessLog.Denial denial = door.accessLog().denials().get(0);
    assertThat(denial.function()).isEqualTo(function);
    assertThat(denial.action()).isEqualTo("dynamodb:GetItem");
    assertThat(denial.resource()).isEqualTo(SESSIONS);
    assertThat(denial.message())
        .isEqualTo(
            "User: arn:aws:sts::000000000000:assumed-role/"
                + denial.role()
                + "/"
                + function
                + " is not authorized to perform: dynamodb:GetItem on resource: "
                + SESSIONS
                + " because no identity-based policy allows the dynamodb:GetItem action");
  }
}
